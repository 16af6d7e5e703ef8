"""`dealmon ics`: the events as an iCalendar file (RFC 5545, SPEC §3), made with the
`icalendar` library (escaping, folding at 75 octets, CRLF).

One all-day VEVENT per event of the JSON, its UID `DEAL.KIND@dealmon` so that a re-import or a
subscription updates the event instead of adding one (stable across runs and date moves);
VALARMs `warn_days` and `critical_days` before every event but a start; DTSTAMP the as-of date
at 00:00:00Z, so the same files and as-of date give the same bytes. Text from the files is
made visible first: no control character reaches a calendar.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from .evaluate import DealState, Event, derivations
from .report import Report
from .text import visible
from .words import WHAT_IF, EventKind

PRODID = "-//dealmon//deal deadlines//EN"

# The computed date each kind of event is (whose derivation the description gives).
_DERIVED_FROM = {
    EventKind.EXIT_RIGHT: "exit_right_from", EventKind.NOTICE_DEADLINE: "notice_deadline",
    EventKind.RENEWAL: "term_end", EventKind.TERM_END: "exit_date", EventKind.EXIT: "exit_date",
}


def uid(e: Event, n: int = 0) -> str:
    """`DEAL.KIND@dealmon`; the n-th (from 1) further event of one deal and kind gets `.n`."""
    return f"{e.deal}.{e.kind.value}{f'.{n}' if n else ''}@dealmon"


def calendar_bytes(r: Report) -> bytes:
    from icalendar import Alarm, Calendar  # (only this command needs it)
    from icalendar import Event as VEvent

    ev = r.ev
    settings = ev.settings
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    hypothetical = f"{WHAT_IF} ({', '.join(r.assumptions)}) " if r.assumptions else ""
    cal.add("x-wr-calname", visible(f"{hypothetical}dealmon: {r.label}"))
    stamp = datetime.combine(ev.as_of, time(0, 0), tzinfo=UTC)
    seen: dict[tuple[str, str], int] = {}
    why: dict[str, dict[str, str]] = {}
    for e in ev.events:
        state = r.state(e)
        deal = state.deal
        n = seen[(e.deal, e.kind.value)] = seen.get((e.deal, e.kind.value), -1) + 1
        summary = f"{e.kind.label}: {e.deal} ({r.parties(deal)})"
        vevent = VEvent()
        vevent.add("uid", uid(e, n))
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", e.date)
        following = _next_day(e.date)
        if following is not None:  # (an all-day event on 9999-12-31: one day without DTEND)
            vevent.add("dtend", following)
        vevent.add("summary", visible(summary))  # (SPEC §3's form; a what-if says so in the description)
        vevent.add("description", _description(r, e, state, why, hypothetical))
        vevent.add("categories", [e.kind.label])
        vevent.add("transp", "TRANSPARENT")  # a deadline, not a meeting: the day stays free
        if e.kind is not EventKind.START:
            for days in sorted({settings.warn_days, settings.critical_days}, reverse=True):
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", visible(f"in {days} days: {summary}"))
                alarm.add("trigger", timedelta(days=-days))
                vevent.add_component(alarm)
        cal.add_component(vevent)
    data: bytes = cal.to_ical()
    return data


def _next_day(d: date) -> date | None:
    try:
        return d + timedelta(days=1)
    except OverflowError:
        return None


def _description(r: Report, e: Event, state: DealState, why: dict[str, dict[str, str]], hypothetical: str) -> str:
    """What the event asks (SPEC §3's words) and how its date was derived."""
    lines = [visible(r.asks(e))]
    name = _DERIVED_FROM.get(e.kind)
    if name is not None:
        if e.deal not in why:
            why[e.deal] = derivations(state, r.ev.as_of, r.ev.settings)
        derived = why[e.deal].get(name)
        if derived:
            lines.append(f"{e.kind.label} {e.date.isoformat()}: {visible(derived)}")
    elif e.kind is EventKind.START:
        lines.append(f"start {e.date.isoformat()}, as the files say")
    if hypothetical:
        lines.insert(0, visible(f"{hypothetical}hypothetical: not in the files"))
    lines.append(f"dealmon, as of {r.ev.as_of.isoformat()}")
    return "\n".join(lines)

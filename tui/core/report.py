"""`dealmon check` output: the JSON of SPEC §3 and a compact text report."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from . import formatting as fmt
from .evaluate import Evaluation, Figures, deal_capacity, event_asks
from .model import Facility, Provider
from .problems import Problem
from .text import visible
from .words import WHAT_IF

SCHEMA = 1


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _figures(f: Figures) -> dict[str, Any]:
    return {"accelerators": f.nonzero(), "power_mw": fmt.mw_number(f.power_mw)}


def _money_map(m: dict[str, Decimal]) -> dict[str, str]:
    return {cur: fmt.plain_decimal(amount) for cur, amount in m.items()}


def raw_message(p: Problem) -> str:
    return f"{p.path}:{p.line}:{p.col}: {p.message}"


def to_json(ev: Evaluation, zone: str, warnings: list[Problem], facilities: dict[str, Facility],
            assumptions: list[str] | None = None) -> dict[str, Any]:
    """SPEC §3's JSON; `assumptions` (normalised, SPEC §2.1) are echoed when there are any."""
    deals = []
    for ident, s in ev.deals.items():
        c = s.deal.commitment
        deals.append({
            "id": ident,
            "buyer": s.deal.buyer,
            "provider": s.deal.provider,
            "status": s.status,
            "commitment_per_year": ({"amount": fmt.plain_decimal(c.per_year), "currency": c.currency}
                                    if c is not None else None),
            "exit_right_from": _iso(s.exit_right_from),
            "exit_date": _iso(s.exit_date),
            "term_end": _iso(s.term_end),
            "notice_deadline": _iso(s.notice_deadline),
            "earliest_exit_if_notice_today": _iso(s.earliest_exit_if_notice_today),
            "events": [{"kind": e.kind, "date": e.date.isoformat(), "days_left": e.days_left, "level": e.level}
                       for e in s.events],
            "disputed": s.disputed,
            "capacity": _figures(deal_capacity(s, ev.as_of, facilities)),
            "at_risk": s.risk,
        })
    cap = ev.capacity
    capacity = {
        **_figures(cap.totals),
        "commitment_per_year": _money_map(cap.commitment_per_year),
        "ending": _figures(cap.ending),
        "at_risk": _figures(cap.at_risk),
        "by_provider": {pid: {**_figures(p.figures), "commitment_per_year": _money_map(p.commitment_per_year),
                              "concentration": p.concentration}
                        for pid, p in cap.by_provider.items()},
        "by_facility": {fid: {**_figures(f.figures), "allocated": f.allocated}
                        for fid, f in cap.by_facility.items()},
        "timeline": [{"date": d.isoformat(), **_figures(f)} for d, f in cap.timeline],
    }
    out = {"schema": SCHEMA, "as_of": ev.as_of.isoformat(), "timezone": zone, "deals": deals,
           "capacity": capacity, "warnings": [raw_message(w) for w in warnings]}
    if assumptions:
        out["assumptions"] = assumptions
    return out


def errors_json(messages: list[str]) -> dict[str, Any]:
    """The JSON of an invalid load or a refused assumption: the raw messages (JSON escapes them)."""
    return {"schema": SCHEMA, "errors": messages}


def text_report(ev: Evaluation, zone: str, label: str, today_is_as_of: bool, within: int,
                warnings: list[Problem], providers: dict[str, Provider] | None = None,
                assumptions: list[str] | None = None) -> str:
    """A compact report for a terminal or a cron e-mail. All file text goes through visible()."""
    out: list[str] = []
    if assumptions:
        out.append(f"{WHAT_IF}: hypothetical, assuming {', '.join(visible(a) for a in assumptions)}")
    when = fmt.day(ev.as_of) + ("" if today_is_as_of else " (not today)")
    out.append(f"dealmon: {visible(label)} · as of {when} · {zone}")
    width = max([len(visible(i)) for i in ev.deals] + [4])
    for ident, s in ev.deals.items():
        deal = s.deal
        parties = f"{visible(deal.buyer)} → {visible(deal.provider)}"
        nxt = s.next_event
        nxt_text = (f"next: {nxt.kind.label} {fmt.day(nxt.date)} ({fmt.days(nxt.days_left)}, {nxt.level.label})"
                    if nxt else "no upcoming events")
        extra = ""
        if s.earliest_exit_if_notice_today is not None and deal.notice is not None:
            extra = f" · notice today → exit {fmt.day(s.earliest_exit_if_notice_today)}"
        mark = nxt.level.mark if nxt else "  "
        out.append(f"{mark}{visible(ident):<{width}}  {s.status.label:<8}  {parties} · {nxt_text}{extra}")
    cap = ev.capacity
    commitment = fmt.per_year(cap.commitment_per_year, "none")
    out.append(f"capacity: {visible(fmt.accelerators(cap.totals.nonzero()))} · {fmt.power(cap.totals.power_mw)}"
               f" · commitment {commitment}")
    h = ev.settings.horizon_days
    out.append(f"within {h} days: ending {visible(fmt.accelerators(cap.ending.nonzero()))}, "
               f"{fmt.power(cap.ending.power_mw)} · at risk {visible(fmt.accelerators(cap.at_risk.nonzero()))}, "
               f"{fmt.power(cap.at_risk.power_mw)}")
    due = [e for e in ev.events if e.days_left <= within]
    if due:
        out.append(f"{len(due)} event(s) within {within} days:")
        for e in due:
            state = ev.deals[e.deal]
            provider = (providers or {}).get(state.deal.provider)
            asks = event_asks(e, state, provider.name if provider else state.deal.provider)
            out.append(f"  {fmt.day(e.date)}  {fmt.days(e.days_left):<12} {e.level.label:<8} {visible(e.deal)} "
                       f"{e.kind.label}: {visible(asks)}")
    else:
        out.append(f"no events within {within} days")
    for w in warnings:
        out.append(f"warning: {w}")
    return "\n".join(out) + "\n"

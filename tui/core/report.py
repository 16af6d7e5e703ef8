"""`dealmon check` output: the JSON of SPEC §3 and a compact text report."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from . import formatting as fmt
from .disputes import disputes
from .evaluate import DealState, Evaluation, Event, Figures, deal_capacity, deals_at_risk, event_asks, exit_words
from .model import Deal, Facility, Portfolio
from .problems import Problem
from .text import visible
from .words import WHAT_IF, Risk, Status

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
    head, tail = _portfolio_json(ev, zone, warnings, assumptions)
    return {**head, "deals": [_deal_json(s, ev, facilities) for s in ev.deals.values()], **tail}


def json_text(ev: Evaluation, zone: str, warnings: list[Problem], facilities: dict[str, Facility],
              assumptions: list[str] | None = None) -> str:
    """`json.dumps(to_json(...))` as `check` prints it (compact, ASCII), each deal encoded as it
    is made: a 10,000-deal document never exists as one tree of dicts (17 MB of peak memory)."""
    head, tail = _portfolio_json(ev, zone, warnings, assumptions)
    deals = ",".join(_dumps(_deal_json(s, ev, facilities)) for s in ev.deals.values())
    return f"{_dumps(head)[:-1]},\"deals\":[{deals}],{_dumps(tail)[1:]}\n"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def _deal_json(s: DealState, ev: Evaluation, facilities: dict[str, Facility]) -> dict[str, Any]:
    c = s.deal.commitment
    return {
        "id": s.id,
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
    }


def _portfolio_json(ev: Evaluation, zone: str, warnings: list[Problem],
                    assumptions: list[str] | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The document but its deals: what comes before them (schema, as_of, timezone) and after
    (capacity, warnings and any assumptions)."""
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
    tail = {"capacity": capacity, "warnings": [raw_message(w) for w in warnings]}
    if assumptions:
        tail["assumptions"] = assumptions
    return {"schema": SCHEMA, "as_of": ev.as_of.isoformat(), "timezone": zone}, tail


def errors_json(messages: list[str]) -> dict[str, Any]:
    """The JSON of an invalid load or a refused assumption: the raw messages (JSON escapes them)."""
    return {"schema": SCHEMA, "errors": messages}


@dataclass(frozen=True)
class Report:
    """What every human-facing format of `dealmon check` (text, markdown, GitHub) and the
    calendar are made from: one evaluation and the words around it."""

    ev: Evaluation
    portfolio: Portfolio
    zone: str
    label: str  # the config source, as the header says it
    today: date  # the real date (the as-of date may be another)
    within: int  # the events listed: days_left <= within
    warnings: list[Problem] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)  # a what-if's, normalised

    @property
    def due(self) -> list[Event]:
        """The events within `within` days, the soonest first."""
        return [e for e in self.ev.events if e.days_left <= self.within]

    def state(self, e: Event) -> DealState:
        return self.ev.deals[e.deal]

    def provider_name(self, deal: Deal) -> str:
        provider = self.portfolio.providers.get(deal.provider)
        return provider.name if provider is not None else deal.provider

    def parties(self, deal: Deal) -> str:
        """'Anthropic ← SpaceX': the buyer and the provider's name (raw file text)."""
        return f"{deal.buyer} ← {self.provider_name(deal)}"

    def asks(self, e: Event) -> str:
        """What event `e` asks of the user, in SPEC §3's words (raw file text inside)."""
        state = self.state(e)
        return event_asks(e, state, self.provider_name(state.deal))

    @cached_property
    def at_risk(self) -> list[DealState]:
        """The deals at risk, the largest first (sorted once: the figures and the names use it)."""
        return deals_at_risk(self.ev, self.portfolio.facilities)

    def capacity_of(self, s: DealState) -> Figures:
        return deal_capacity(s, self.ev.as_of, self.portfolio.facilities)


def risk_words(r: Report, limit: int) -> tuple[str, str]:
    """The ending and at-risk figures within the horizon, each naming its deals (at most
    `limit`) with their share of the accelerators: raw file text inside."""
    cap, total = r.ev.capacity, r.ev.capacity.totals.total_accelerators
    risky = r.at_risk
    out = []
    for figures, pairs in ((cap.ending, [s for s in risky if s.risk is Risk.ENDING]), (cap.at_risk, risky)):
        text = f"{fmt.count(figures.total_accelerators)} accelerators · {fmt.power(figures.power_mw)}"
        share = fmt.share(figures.total_accelerators, total)
        if figures.total_accelerators and share:
            text += f" ({share} of accelerators)"
        if pairs and limit:
            named = [f"{s.id} ({fmt.share(r.capacity_of(s).total_accelerators, total) or '0%'}, "
                     f"{s.risk.label if s.risk else ''})" for s in pairs[:limit]]
            text += ": " + ", ".join(named) + (f" and {len(pairs) - limit:,} more" if len(pairs) > limit else "")
        out.append(text)
    return out[0], out[1]


def text_report(r: Report) -> str:
    """A compact report for a terminal or a cron e-mail: the deals in force or to come (ended
    ones counted), capacity, the deals at risk, disputes, the events within the window and
    warnings. All file text goes through visible()."""
    ev = r.ev
    out: list[str] = []
    if r.assumptions:
        out.append(f"{WHAT_IF}: hypothetical, assuming {', '.join(visible(a) for a in r.assumptions)}")
    when = fmt.day(ev.as_of) + ("" if ev.as_of == r.today else " (not today)")
    out.append(f"dealmon: {visible(r.label)} · as of {when} · {r.zone}")
    live = [s for s in ev.deals.values() if s.status is not Status.ENDED]
    width = max([len(visible(s.id)) for s in live] + [4])
    for s in live:
        deal = s.deal
        nxt = s.next_event
        nxt_text = (f"next: {nxt.kind.label} {fmt.day(nxt.date)} ({fmt.days(nxt.days_left)}, {nxt.level.label})"
                    if nxt else "no upcoming events")
        mark = nxt.level.mark if nxt else "  "
        out.append(f"{mark}{visible(s.id):<{width}}  {s.status.label:<8}  {visible(r.parties(deal))} · {nxt_text}"
                   f" · {visible(exit_words(s, ev.as_of, r.today))}")
    ended = len(ev.deals) - len(live)
    if ended:
        out.append(f"  ({fmt.plural(ended, 'ended deal')} not listed)")
    cap = ev.capacity
    commitment = fmt.per_year(cap.commitment_per_year, "none")
    out.append(f"capacity: {visible(fmt.accelerators(cap.totals.nonzero()))} · {fmt.power(cap.totals.power_mw)}"
               f" · commitment {commitment}")
    ending, at_risk = risk_words(r, 5)
    h = ev.settings.horizon_days
    out.append(f"ending within {h} days: {visible(ending)}")
    out.append(f"at risk within {h} days: {visible(at_risk)}")
    claims = disputes(r.portfolio)
    if claims:
        sources = len({d.claim.source for d in claims if d.claim.source})
        fields = sorted({f"{d.ident} {d.claim.field}" for d in claims})
        shown = ", ".join(fields[:5]) + (f" and {len(fields) - 5:,} more" if len(fields) > 5 else "")
        out.append(f"disputed: {fmt.plural(len(claims), 'claim')} from {fmt.plural(sources, 'source')} on "
                   f"{visible(shown)} (--format markdown lists them)")
    due = r.due
    if due:
        out.append(f"{fmt.plural(len(due), 'event')} within {r.within} days:")
        for e in due:
            out.append(f"  {fmt.day(e.date)}  {fmt.days(e.days_left):<12} {e.level.label:<8} {visible(e.deal)} "
                       f"{e.kind.label}: {visible(r.asks(e))}")
    else:
        out.append(f"no events within {r.within} days")
    for w in r.warnings:
        out.append(f"warning: {w}")
    return "\n".join(out) + "\n"

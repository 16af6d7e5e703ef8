"""`dealmon check --format markdown`: a digest to paste into a chat or an e-mail (SPEC §3).

First the action items (the events within the window, the soonest first, in the event words
of SPEC §3), then the capacity ending and at risk within the horizon naming the deals with
their share, then the disputes. It stays a chat message at any size: each list shows its
first entries and counts the rest (under a hundred lines at 10,000 deals).
"""
from __future__ import annotations

import re

from . import formatting as fmt
from .disputes import disputes
from .evaluate import exit_words
from .report import Report, risk_words
from .text import visible
from .words import WHAT_IF

ITEMS_SHOWN = 30
AT_RISK_SHOWN = 10
DISPUTES_SHOWN = 15

# What can start formatting in the middle of a line (every file text here follows a list marker
# and words, so line-start syntax such as `#`, `-` or `1.` cannot act; `(` needs a `]` first).
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md(text: str) -> str:
    """File text as literal Markdown: control characters made visible, every character that
    Markdown (CommonMark, Slack, GitHub) could read as formatting escaped."""
    return _SPECIAL.sub(r"\\\1", visible(text))


def code(ident: str) -> str:
    """An id as inline code (ids cannot hold a backtick: `[a-z0-9][a-z0-9._-]*`)."""
    return f"`{visible(ident)}`"


def markdown_digest(r: Report) -> str:
    ev = r.ev
    out = [f"## dealmon · {md(r.label)} · as of {fmt.day(ev.as_of)}" + ("" if ev.as_of == r.today else " (not today)")]
    if r.assumptions:
        out += ["", f"> **{WHAT_IF}**: hypothetical, assuming " + ", ".join(code(a) for a in r.assumptions)]

    due = r.due
    out += ["", f"### Action items: {fmt.plural(len(due), 'event')} within {r.within} days"]
    for e in due[:ITEMS_SHOWN]:
        deal = r.state(e).deal
        out.append(f"- **{fmt.day(e.date)}** ({fmt.days(e.days_left)}, {e.level.label}) · **{e.kind.label}** · "
                   f"{code(e.deal)} ({md(r.parties(deal))}): {md(r.asks(e))}")
    if len(due) > ITEMS_SHOWN:
        out.append(f"- … and {len(due) - ITEMS_SHOWN:,} more within {r.within} days "
                   f"(`dealmon check --within {r.within}` lists them all)")
    if not due:
        out.append(f"- nothing within {r.within} days")

    h = ev.settings.horizon_days
    out += ["", f"### Capacity ending and at risk within {h} days"]
    ending, at_risk = risk_words(r, 0)  # (the deals are listed below, with their parties)
    out.append(f"- **Ending:** {md(ending)}")
    out.append(f"- **At risk:** {md(at_risk)}")
    total = ev.capacity.totals.total_accelerators
    risky = r.at_risk
    for s in risky[:AT_RISK_SHOWN]:
        figures = r.capacity_of(s)
        share = fmt.share(figures.total_accelerators, total) or "0%"
        why = s.risk.label if s.risk is not None else ""
        out.append(f"  - {code(s.id)} ({md(r.parties(s.deal))}): {fmt.count(figures.total_accelerators)} "
                   f"accelerators · {fmt.power(figures.power_mw)}, {share} of accelerators; {why}; "
                   f"{md(exit_words(s, r.ev.as_of, r.today))}")
    if len(risky) > AT_RISK_SHOWN:
        out.append(f"  - … and {len(risky) - AT_RISK_SHOWN:,} more deals")

    claims = disputes(r.portfolio)
    out += ["", f"### Disputes: {fmt.plural(len(claims), 'claim')}"]
    for d in claims[:DISPUTES_SHOWN]:
        source = code(d.claim.source) if d.claim.source else "a source not named"
        out.append(f"- {d.kind} {code(d.ident)} {md(d.claim.field)}: the files say {md(d.in_files)}; "
                   f"{source} says {md(d.claim.raw)}")
    if len(claims) > DISPUTES_SHOWN:
        out.append(f"- … and {len(claims) - DISPUTES_SHOWN:,} more (`d` in the monitor lists them by source)")
    if not claims:
        out.append("- none")
    if r.warnings:
        out += ["", f"### Warnings: {len(r.warnings):,}"]
        out += [f"- {md(str(w))}" for w in r.warnings[:10]]
        if len(r.warnings) > 10:
            out.append(f"- … and {len(r.warnings) - 10:,} more")
    return "\n".join(out) + "\n"

"""The capacity pane's texts: totals by model, MW and commitment; ending and at risk within
the horizon; the timeline's figures; per provider with concentration."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text

from ..core import formatting as fmt
from ..core.text import visible
from ..core.words import WHAT_IF, Risk
from .cells import DISPUTED_MARK, DISPUTED_STYLE, STYLE, cell

if TYPE_CHECKING:  # (a reopen screen's first frame shows these texts without the evaluation)
    from ..core.evaluate import DealState, Evaluation, Figures
    from ..core.model import Portfolio
    from ..core.scenarios import WhatIf


class CapacityTexts(NamedTuple):
    totals: Text
    timeline: Text  # the timeline: a row every `step` months, bars from zero with the figures
    providers: Text


EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: float, top: float, width: int) -> str:
    """A horizontal bar from zero: `width` cells stand for `top` (eighths of a cell)."""
    if top <= 0 or value <= 0:
        return " " * width
    eighths = round(min(value / top, 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (EIGHTHS[part] if part else "")).ljust(width)


def timeline_text(points: list[tuple[date, int, Decimal]], step: int, width: int) -> Text:
    """The 24-month timeline as rows on one time axis: the month, a bar and the figure for the
    accelerators, a bar and the figure for MW; each bar from zero to the labelled maximum."""
    rows = [points[i] for i in range(0, len(points), step)]
    if not rows:
        return Text("no timeline", end="")
    top_n = max(n for _, n, _ in points)
    top_mw = max(float(mw) for _, _, mw in points)
    counts = [fmt.count(n) for _, n, _ in rows]
    powers = [fmt.power(mw) for _, _, mw in rows]
    count_w = max(len(c) for c in counts)
    power_w = max(len(p) for p in powers)
    bars = max(4, (width - 9 - count_w - power_w - 4) // 2)
    out = Text(end="", no_wrap=True)
    out.append(f"{'':<9}{('accelerators, 0–' + fmt.count(top_n))[:bars + count_w + 1]:<{bars + count_w + 2}}",
               style="bold")
    out.append(f"{('MW, 0–' + fmt.power(Decimal(str(top_mw))).removesuffix(' MW'))[:bars + power_w + 1]}",
               style="bold")
    for (d, n, mw), count, power in zip(rows, counts, powers, strict=True):
        label = "now" if d == points[0][0] else d.strftime("%b %Y")
        out.append(f"\n{label:<9}")
        out.append(bar(n, top_n, bars), style="bold")
        out.append(f" {count:>{count_w}} ")
        out.append(bar(float(mw), top_mw, bars), style="bold")
        out.append(f" {power:>{power_w}}")
    return out


def _figures(f: Figures) -> str:
    return f"{fmt.count(f.total_accelerators)} accelerators · {fmt.power(f.power_mw)}"


def _append(out: Text, text: str, is_disputed: bool, style: str = "") -> None:
    """File-derived text, marked `±` when a claim disputes what it is built from."""
    if is_disputed:
        out.append(DISPUTED_MARK + visible(text), style=DISPUTED_STYLE)
    else:
        out.append_text(cell(text, style))


def _deals(pairs: list[DealState], limit: int = 2) -> str:
    """'anthropic-spacex', 'a, b +3 more': the deals behind a figure, the largest first."""
    names = [visible(s.id) for s in pairs[:limit]]
    more = f" +{len(pairs) - limit:,} more" if len(pairs) > limit else ""
    return ", ".join(names) + more


def capacity_texts(ev: Evaluation, step: int, width: int = 80, portfolio: Portfolio | None = None,
                   what_if: WhatIf | None = None) -> CapacityTexts:
    """What the capacity pane shows for `ev`: the timeline every `step` months, `width` wide.

    Args:
        portfolio: the portfolio evaluated: names the deals at risk and marks the figures a
            claim disputes.
        what_if: the scenario on show: its difference from the files gets a line.
    """
    from ..core.disputes import DisputedFigures, disputed_figures
    from ..core.evaluate import deals_at_risk

    cap = ev.capacity
    h = ev.settings.horizon_days
    marks = disputed_figures(ev, portfolio) if portfolio is not None else DisputedFigures()
    totals = Text(end="")
    totals.append("Total  ", style="bold")
    _append(totals, fmt.accelerators(cap.totals.nonzero()), marks.accelerators)
    totals.append("\n       ")
    _append(totals, fmt.power(cap.totals.power_mw), marks.power)
    totals.append(" · ")
    _append(totals, fmt.per_year(cap.commitment_per_year, "no commitment"), marks.commitment)
    total_n = cap.totals.total_accelerators
    risky = deals_at_risk(ev, portfolio.facilities) if portfolio is not None else []
    for label, figures, pairs in ((f"Ending ≤{h}d  ", cap.ending, [s for s in risky if s.risk is Risk.ENDING]),
                                  (f"At risk ≤{h}d ", cap.at_risk, risky)):
        totals.append("\n" + label, style="bold")
        some = bool(figures.total_accelerators or figures.power_mw)
        totals.append(_figures(figures), style=STYLE["at_risk"] if some else (STYLE["ok"] if "risk" in label else ""))
        if some and total_n:
            totals.append(f" ({fmt.share(figures.total_accelerators, total_n)})", style=STYLE["at_risk"])
        if pairs:
            totals.append(" " + _deals(pairs), style="bold")
    if what_if is not None:
        totals.append("\n")
        totals.append(f"{WHAT_IF} ", style=STYLE["what_if"])
        d = what_if.difference
        if d is None:
            totals.append(" no change in capacity or commitment")
        else:
            share = fmt.share(d.accelerators, total_n) if d.accelerators else ""
            totals.append(f" {fmt.difference(d.accelerators, d.figures.power_mw, d.money)} from {fmt.day(d.since)}"
                          + (f" ({share})" if share else ""), style="bold")
        if what_if.moved and d is None:  # what it does change: the dates
            totals.append_text(cell(f"; {what_if.moved[0]}"
                                    + (f" +{len(what_if.moved) - 1:,} more" if len(what_if.moved) > 1 else "")))

    points = [(d, f.total_accelerators, f.power_mw) for d, f in cap.timeline]
    timeline = timeline_text(points, step, width)

    providers = Text("By provider", style="bold", end="")
    for pid, p in cap.by_provider.items():
        providers.append("\n")
        providers.append_text(cell(pid, "bold"))
        money = fmt.per_year(p.commitment_per_year, "—")
        providers.append_text(cell(f"  {_figures(p.figures)} · {money}"))
        if p.concentration is not None:
            style = STYLE["at_risk"] if p.concentration >= 0.5 else ""
            providers.append(" · ")
            _append(providers, f"{p.concentration:.0%} of its revenue", pid in marks.providers, style)
    return CapacityTexts(totals, timeline, providers)

"""The capacity pane's texts: totals by model, MW and commitment; ending and at risk within
the horizon; the timeline's figures; per provider with concentration."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from rich.text import Text

from ..core import formatting as fmt
from ..core.evaluate import Evaluation, Figures
from .cells import STYLE, cell


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


def capacity_texts(ev: Evaluation, step: int, width: int = 80) -> CapacityTexts:
    """What the capacity pane shows for `ev`: the timeline every `step` months, `width` wide."""
    cap = ev.capacity
    h = ev.settings.horizon_days
    totals = Text(end="")
    totals.append("Total  ", style="bold")
    totals.append_text(cell(fmt.accelerators(cap.totals.nonzero())))
    totals.append(f"\n       {fmt.power(cap.totals.power_mw)} · ")
    commitment = fmt.per_year(cap.commitment_per_year, "no commitment")
    totals.append_text(cell(commitment))
    totals.append(f"\nEnding ≤{h}d  ", style="bold")
    ending = cap.ending.total_accelerators or cap.ending.power_mw
    totals.append(_figures(cap.ending), style=STYLE["at_risk"] if ending else "")
    totals.append(f"\nAt risk ≤{h}d ", style="bold")
    risky = cap.at_risk.total_accelerators or cap.at_risk.power_mw
    totals.append(_figures(cap.at_risk), style=STYLE["at_risk"] if risky else STYLE["ok"])
    if risky and cap.totals.total_accelerators:
        share = cap.at_risk.total_accelerators / cap.totals.total_accelerators
        totals.append(f" ({share:.0%} of accelerators)", style=STYLE["at_risk"])

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
            providers.append(f" · {p.concentration:.0%} of its revenue", style=style)
    return CapacityTexts(totals, timeline, providers)

"""The capacity pane's texts: totals by model, MW and commitment; ending and at risk within
the horizon; the timeline's figures; per provider with concentration."""
from __future__ import annotations

from typing import NamedTuple

from rich.text import Text

from ..core import formatting as fmt
from ..core.evaluate import Evaluation, Figures
from .cells import cell


class CapacityTexts(NamedTuple):
    totals: Text
    chart: list[float]  # accelerators at each timeline point
    numbers: Text  # the timeline's figures, every `step` months
    providers: Text


def _figures(f: Figures) -> str:
    return f"{fmt.count(f.total_accelerators)} accelerators · {fmt.power(f.power_mw)}"


def capacity_texts(ev: Evaluation, step: int) -> CapacityTexts:
    """What the capacity pane shows for `ev`, the timeline's figures every `step` months."""
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
    totals.append(_figures(cap.ending), style="yellow" if ending else "")
    totals.append(f"\nAt risk ≤{h}d ", style="bold")
    risky = cap.at_risk.total_accelerators or cap.at_risk.power_mw
    totals.append(_figures(cap.at_risk), style="bold red" if risky else "green")
    if risky and cap.totals.total_accelerators:
        share = cap.at_risk.total_accelerators / cap.totals.total_accelerators
        totals.append(f" ({share:.0%} of accelerators)", style="bold red")

    points = [(d, f.total_accelerators, f.power_mw) for d, f in cap.timeline]
    numbers = Text(end="")
    for i in range(0, len(points), step):
        d, n, mw = points[i]
        label = "now" if i == 0 else d.strftime("%b %Y")
        if numbers:
            numbers.append("\n")
        numbers.append(f"{label:<8} {fmt.count(n):>9} {fmt.power(mw)}")

    providers = Text("By provider", style="bold", end="")
    for pid, p in cap.by_provider.items():
        providers.append("\n")
        providers.append_text(cell(pid, "bold"))
        money = fmt.per_year(p.commitment_per_year, "—")
        providers.append_text(cell(f"  {_figures(p.figures)} · {money}"))
        if p.concentration is not None:
            style = "bold red" if p.concentration >= 0.5 else ""
            providers.append(f" · {p.concentration:.0%} of its revenue", style=style)
    return CapacityTexts(totals, [float(n) for _, n, _ in points], numbers, providers)

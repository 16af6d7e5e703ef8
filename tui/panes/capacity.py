"""Capacity: totals by model, MW and commitment; ending and at risk within the horizon; per
provider with concentration; a 24-month timeline chart with the numbers beside it."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Sparkline, Static

from ..core import formatting as fmt
from ..core.evaluate import Evaluation, Figures
from ..rows.cells import cell


def _figures(f: Figures) -> str:
    return f"{fmt.count(f.total_accelerators)} accelerators · {fmt.power(f.power_mw)}"


class CapacityPane(VerticalScroll):
    BORDER_TITLE = "Capacity"  # shown from the first frame, before the data arrives

    def compose(self) -> ComposeResult:
        yield Static(id="capacity-totals")
        with Horizontal(id="timeline-row"):
            yield Sparkline([], id="timeline-chart")
            yield Static(id="timeline-numbers")
        yield Static(id="capacity-providers")

    def show(self, ev: Evaluation) -> None:
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
        self.query_one("#capacity-totals", Static).update(totals)

        points = [(d, f.total_accelerators, f.power_mw) for d, f in cap.timeline]
        self.query_one("#timeline-chart", Sparkline).data = [float(n) for _, n, _ in points]
        numbers = Text(end="")
        # More of the timeline as the terminal grows: every 6 months, or every 3 when tall.
        step = 3 if self.app.size.height >= 40 else 6
        self.query_one("#timeline-row").styles.height = 25 // step + 2
        for i in range(0, 25, step):
            if i < len(points):
                d, n, mw = points[i]
                label = "now" if i == 0 else d.strftime("%b %Y")
                if numbers:
                    numbers.append("\n")
                numbers.append(f"{label:<8} {fmt.count(n):>9} {fmt.power(mw)}")
        self.query_one("#timeline-numbers", Static).update(numbers)

        providers = Text("By provider", style="bold", end="")
        for pid, p in cap.by_provider.items():
            providers.append("\n")
            providers.append_text(cell(pid, "bold"))
            money = fmt.per_year(p.commitment_per_year, "—")
            providers.append_text(cell(f"  {_figures(p.figures)} · {money}"))
            if p.concentration is not None:
                style = "bold red" if p.concentration >= 0.5 else ""
                providers.append(f" · {p.concentration:.0%} of its revenue", style=style)
        self.query_one("#capacity-providers", Static).update(providers)
        self.border_title = "Capacity · next 24 months"

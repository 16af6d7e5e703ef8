"""The panes' texts, built without Textual: the timeline chart reads from zero, with units."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from tui.rows.capacity import bar, timeline_text


def test_bars_start_at_zero_and_fill_to_the_maximum():
    assert bar(0, 100, 4) == "    "
    assert bar(100, 100, 4) == "████"
    assert bar(50, 100, 4) == "██  "
    assert bar(25, 100, 4) == "█   " and bar(30, 100, 4) == "█▎  "  # eighths of a cell
    assert bar(450_000, 450_000, 3) == "███"


def test_the_timeline_has_units_a_labelled_maximum_and_one_time_axis():
    points = [(date(2026, 12, 25), 450_000, Decimal(510)), (date(2027, 1, 1), 450_000, Decimal(510)),
              (date(2027, 2, 1), 225_000, Decimal("255.5")), (date(2027, 3, 1), 0, Decimal(0))]
    lines = timeline_text(points, 1, 60).plain.splitlines()
    assert lines[0].startswith("         accelerators, 0–450,000") and "MW, 0–510" in lines[0]
    assert lines[1].startswith("now      ") and lines[1].endswith(" 450,000 " + lines[1].split(" 450,000 ")[1])
    assert lines[2].startswith("Jan 2027 ")
    # a flat 450,000 is a full bar, half is half, zero is empty: never scaled min-to-max
    width = lines[1][9:].index(" ")
    full, half, empty = (line[9:9 + width] for line in (lines[1], lines[3], lines[4]))
    assert width >= 8 and full == "█" * width and empty == " " * width
    assert half.rstrip() == "█" * (width // 2) and len(half) == width
    assert lines[3].endswith("255.5 MW") and lines[4].endswith("    0 MW")


def test_each_meaning_has_its_own_style_legible_without_colour():
    from rich.style import Style

    from tui.rows.cells import STYLE

    parsed = {name: Style.parse(style) for name, style in STYLE.items()}
    colours = [s.color.name for name, s in parsed.items() if s.color is not None and name != "error"]
    assert len(colours) == len(set(colours))  # no colour carries two meanings
    assert parsed["error"] == parsed["critical"]  # broken files are as urgent as a critical countdown
    for name in ("critical", "warn", "disputed", "at_risk", "error", "travel", "muted"):
        s = parsed[name]
        assert s.bold or s.italic or s.underline or s.reverse, name  # legible under NO_COLOR
        assert not s.dim, name
    assert parsed["critical"] != parsed["at_risk"] != parsed["disputed"]
    assert parsed["critical"].reverse and parsed["disputed"].italic and parsed["at_risk"].underline


def test_rows_kept_across_a_date_move_equal_rows_built_afresh():
    from datetime import timedelta

    from conftest import REPO, assert_same_deal_rows, assert_same_event_rows

    from tui.core.loader import load
    from tui.loading import prepare_view
    from tui.rows.deals import build_deal_rows
    from tui.rows.events import build_event_rows

    portfolio = load([str(REPO / "config")]).portfolio
    day = date(2026, 7, 1)
    view = prepare_view(portfolio, day, None, 0)
    for step in range(1, 400, 37):  # across the exit right, the deals' start and a year
        view = prepare_view(portfolio, day + timedelta(days=step), view, 0)
        fresh_events = build_event_rows(view.evaluation, None)
        fresh_deals = build_deal_rows(view.evaluation, portfolio, None, 0)
        assert_same_event_rows(view.event_rows, fresh_events)
        assert_same_deal_rows(view.deal_rows, fresh_deals) and view.deal_rows.order(0) == fresh_deals.order(0)

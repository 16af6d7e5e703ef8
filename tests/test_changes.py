"""What a reload changed, computed from two evaluations at the same date."""
from datetime import date

from conftest import deal_yaml, load_yaml

from tui.core.changes import compare
from tui.core.evaluate import evaluate

T = date(2026, 11, 29)


def ev(tmp_path, body):
    result = load_yaml(tmp_path, deal_yaml(body))
    assert result.ok
    return evaluate(result.portfolio, T)


def test_no_changes(tmp_path):
    a = ev(tmp_path, "start: 2026-01-01\nend: 2027-06-01")
    changes = compare(a, a)
    assert not changes and changes.summary() == "no deal added or removed, no date moved, no band changed"


def test_added_removed_moved_and_bands(tmp_path):
    old = ev(tmp_path, "start: 2026-01-01\nend: 2027-06-01")
    new_body = deal_yaml("start: 2026-01-01\nend: 2026-12-20") + \
        "  e:\n    buyer: X\n    provider: p\n    start: 2026-01-01\n"
    result = load_yaml(tmp_path, new_body)
    new = evaluate(result.portfolio, T)
    changes = compare(old, new)
    assert changes.added == ["e"] and changes.removed == []
    assert changes.moved == ["d: exit date 2027-06-01 → 2026-12-20", "d: term end 2027-06-01 → 2026-12-20",
                             "d: exit if notice today 2027-06-01 → 2026-12-20"]
    assert changes.bands == ["d: term ends ok → warn"]
    assert changes.summary().splitlines()[0] == "1 added · 3 dates moved · 1 band changed"
    assert compare(new, old).removed == ["e"]


def test_summary_is_capped(tmp_path):
    old = ev(tmp_path, "start: 2026-01-01")
    body = deal_yaml("start: 2026-01-01") + "".join(
        f"  n{i}:\n    buyer: X\n    provider: p\n    start: 2026-01-01\n" for i in range(12))
    new = evaluate(load_yaml(tmp_path, body).portfolio, T)
    lines = compare(old, new).summary(limit=5).splitlines()
    assert lines[0] == "12 added" and lines[-1] == "… and 7 more" and len(lines) == 7

"""The per-file load cache: a reload parses only files whose bytes changed, and a cached load
always equals a fresh one (portfolio, errors and warnings), whatever the edits."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from tui.core.loader import LoadCache, load


@pytest.fixture(autouse=True)
def split_small_files_too(monkeypatch):
    """The monitor splits only files of 32 kB and more by entity; these test files are small."""
    from tui.core.loader import incremental

    monkeypatch.setattr(incremental, "SPAN_MIN_CHARS", 0)


def same(a, b) -> None:
    assert [str(p) for p in a.errors] == [str(p) for p in b.errors]
    assert [str(p) for p in a.warnings] == [str(p) for p in b.warnings]
    assert repr(a.portfolio) == repr(b.portfolio)


def files(tmp_path: Path, **contents: str) -> Path:
    """A config directory holding NAME.yaml for each NAME=text."""
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    for name, text in contents.items():
        (cfg / f"{name}.yaml").write_text(text)
    return cfg


def example(tmp_path: Path) -> Path:
    cfg = tmp_path / "cfg"
    shutil.copytree(REPO / "config", cfg)
    return cfg


def test_a_reload_parses_only_the_changed_file_and_reuses_the_rest(tmp_path):
    cfg = example(tmp_path)
    cache = LoadCache()
    first = load([str(cfg)], cache=cache)
    assert first.ok and len(first.parsed) == 4
    again = load([str(cfg)], cache=cache)
    assert again.parsed == []
    same(again, first)
    assert again.portfolio.deals["anthropic-spacex"] is first.portfolio.deals["anthropic-spacex"]

    deals = cfg / "deals.yaml"
    deals.write_text(deals.read_text().replace("buyer: Google", "buyer: Alphabet"))
    edited = load([str(cfg)], cache=cache)
    assert edited.parsed == [str(deals)]
    assert edited.portfolio.deals["google-spacex"].buyer == "Alphabet"
    assert edited.portfolio.providers["spacex"] is first.portfolio.providers["spacex"]
    same(edited, load([str(cfg)]))


def test_new_settings_reread_every_file_with_them(tmp_path):
    cfg = files(tmp_path, a="version: 1\nsettings:\n  currency: USD\n",
                b="version: 1\nproviders:\n  p:\n    name: P\n    revenue: 10B/year\n")
    cache = LoadCache()
    assert load([str(cfg)], cache=cache).portfolio.providers["p"].revenue.currency == "USD"
    (cfg / "a.yaml").write_text("version: 1\nsettings:\n  currency: EUR\n")
    result = load([str(cfg)], cache=cache)
    assert sorted(result.parsed) == [str(cfg / "a.yaml"), str(cfg / "b.yaml")]
    assert result.portfolio.providers["p"].revenue.currency == "EUR"  # the bare amount follows


def test_a_second_definition_is_dropped_with_its_problems_as_without_the_cache(tmp_path):
    cfg = files(tmp_path, a="providers:\n  p:\n    name: P\n", b="providers:\n  p:\n    nam: typo\n")
    cache = LoadCache()
    result = load([str(cfg)], cache=cache)
    assert [str(e) for e in result.errors] == [
        f"{cfg / 'b.yaml'}:2:3: provider id 'p' is defined twice; first at {cfg / 'a.yaml'}:2:3"]
    (cfg / "a.yaml").write_text("providers:\n  q:\n    name: Q\n")  # now b's is the only one
    result = load([str(cfg)], cache=cache)
    assert result.parsed == [str(cfg / "a.yaml")]
    assert any("unknown key 'nam'" in str(e) for e in result.errors)
    same(result, load([str(cfg)]))


# Each file slot takes one of these contents; together they cover settings in several files,
# duplicates across files, dangling and resolved references, YAML errors and empty files.
VARIANTS = [
    "",
    "version: 1\nsettings:\n  currency: EUR\n",
    "version: 1\nsettings:\n  currency: USD\n  warn_days: 3\n  critical_days: 9\n",
    "providers:\n  p:\n    name: P\n    revenue: 10B/year\n",
    "providers:\n  p:\n    name: P2\n    bogus: 1\n",
    "facilities:\n  f:\n    name: F\n    operator: p\n    power_mw: 100\n",
    "deals:\n  d1:\n    buyer: B\n    provider: p\n    start: 2026-01-01\n    commitment: 5M/month\n"
    "    capacity:\n      - facility: f\n        share: 50%\n",
    "deals:\n  d1:\n    buyer: B\n    provider: nobody\n    start: 2026-01-01\n",
    "deals:\n  d2:\n    buyer: C\n    provider: p\n    start: 2026-02-30\n",
    "deals: [unclosed\n",
    "sources:\n  s:\n    title: S\nproviders:\n  p:\n    name: P\n    source: s\n",
]


@hyp_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, len(VARIANTS) - 1)), min_size=1, max_size=12))
def test_a_cached_load_always_equals_a_fresh_one(tmp_path_factory, edits):
    cfg = tmp_path_factory.mktemp("cfg")
    cache = LoadCache()
    for slot, variant in edits:
        (cfg / f"{slot}.yaml").write_text(VARIANTS[variant])
        cached = load([str(cfg)], cache=cache)
        assert len(cached.parsed) <= len(list(cfg.iterdir()))
        same(cached, load([str(cfg)]))


# --- one large file edited: only the changed entities are read again ----------------------------

BIG = """version: 1
settings:
  currency: USD
providers:
  p:
    name: P
    revenue: 10B/year
facilities:
  f:
    name: F
    operator: p
    power_mw: 100
deals:
""" + "".join(
    f"  d{i}:\n    buyer: B{i}\n    provider: p\n    start: 2026-01-0{1 + i % 9}\n    end: 2028-01-01\n"
    f"    notice: {{period: 90 days, parties: either}}\n    capacity:\n      - facility: f\n        share: 5%\n"
    for i in range(12))


def test_an_in_place_edit_of_a_large_file_rereads_only_that_entity(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(BIG)
    cache = LoadCache()
    first = load([str(path)], cache=cache)
    assert first.ok and first.partial == []
    path.write_text(BIG.replace("buyer: B7\n", "buyer: Seven\n"))
    again = load([str(path)], cache=cache)
    assert again.partial == [str(path)]
    assert again.portfolio.deals["d7"].buyer == "Seven"
    assert again.portfolio.deals["d3"] is first.portfolio.deals["d3"]  # not read again
    same(again, load([str(path)]))


# In-place edits (same lines), structural ones (lines added or removed, ids renamed or given
# twice, entities moved between kinds) and broken ones (YAML errors, bad values, anchors).
EDITS = [
    ("buyer: B3\n", "buyer: Three\n"),
    ("start: 2026-01-05\n", "start: 2026-02-30\n"),
    ("start: 2026-01-02\n", "start: 2027-01-02\n"),
    ("  d4:\n", "  d44:\n"),
    ("  d5:\n", "  d4:\n"),
    ("  d6:\n", "  D6:\n"),
    ("buyer: B2\n", "buyer: [unclosed\n"),
    ("buyer: B8\n", "buyer: B8\n    notes: one more line\n"),
    ("    provider: p\n    start: 2026-01-03\n", "    provider: q\n    start: 2026-01-03\n"),
    ("share: 5%\n  d9:", "share: 5%\n  # a comment\n  d9:"),
    ("buyer: B1\n", "buyer: &a B1\n"),
    ("  currency: USD\n", "  currency: EUR\n"),
    ("    power_mw: 100\n", "    power_mw: 200\n"),
    ("buyer: B10\n", 'buyer: "B10\n'),
    ("  d11:\n", "  d11: x\n"),
    ("buyer: B0\n", "buyer: B0\n   badindent: 1\n"),
    ("buyer: B3\n    provider: p\n", 'buyer: "B3\n  d99: x"\n'),  # a quote running into the next line
    ("buyer: B5\n    provider: p\n", "buyer: B5\n      continued plain\n"),  # same line count
    ("buyer: B6\n    provider: p\n", "buyer: |\n      literal\n"),
    ("buyer: B9\n    provider: p\n", "buyer: B9\n  d9x: {buyer: Y, provider: p, start: 2026-01-01}\n"),
]


@hyp_settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sets(st.integers(0, len(EDITS) - 1), max_size=3), min_size=1, max_size=6))
def test_entity_by_entity_rereads_always_equal_a_fresh_load(tmp_path_factory, steps):
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    path.write_text(BIG)
    cache = LoadCache()
    load([str(path)], cache=cache)
    for chosen in steps:
        text = BIG
        for k in sorted(chosen):
            text = text.replace(*EDITS[k], 1)
        path.write_text(text)
        same(load([str(path)], cache=cache), load([str(path)]))

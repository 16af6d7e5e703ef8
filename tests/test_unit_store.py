"""The reopen cache (issue 13): what a load made of each file is kept on disk, and a start on
unchanged files reads it back instead of parsing; same rules as the check cache."""
from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from datetime import date

import pytest
from conftest import deal_yaml, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.loader import LoadCache, load
from tui.core.loader.codec import Undecodable, decode_unit, encode_unit
from tui.loading import load_view
from tui.unitstore import UnitStore, fill_from_store, keep_in_store
from tui.watch import take_snapshot

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "config")
AS_OF = date(2026, 11, 29)


@pytest.fixture(autouse=True)
def every_file_is_stored(monkeypatch):
    """The store skips files under STORE_MIN_BYTES; these tests use small files."""
    import tui.unitstore

    monkeypatch.setattr(tui.unitstore, "STORE_MIN_BYTES", 0)


def units_of(paths: list[str]) -> dict:
    cache = LoadCache()
    load(paths, cache=cache)
    return cache.units


def test_every_unit_of_the_example_round_trips_exactly():
    for path, unit in units_of([EXAMPLE]).items():
        back = decode_unit(list(encode_unit(unit)))
        assert back == replace(unit, spans=None), path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["start: 2026-01-01", "start: 2026-01-01\nend: 2027-01-01\nrenewal: 1 year",
                        "start: 2026-01-01\ncommitment: 1.25B USD/month\nnotice: {period: 30 bd, "
                        "not_before: 2026-03-01, effect: after_period}",
                        "start: 2026-01-01\ncapacity: [{accelerators: {H100: 5}, power_mw: 2.5}]",
                        "start: 2026-02-30", "start: 2026-01-01\nbogus: 1"]),
       st.sampled_from(["", "claims: [{field: start, value: 2026-02-01, source: s}]",
                        "notices: [{by: buyer, given: 2026-06-01}]"]))
def test_units_with_errors_warnings_and_claims_round_trip(tmp_path, body, extra):
    path = write(tmp_path, "d.yaml", deal_yaml(body + ("\n" + extra if extra else "")) +
                 "sources:\n  s: {title: S, date: 2026-01-01}\n")
    for unit in units_of([str(path)]).values():
        assert decode_unit(list(encode_unit(unit))) == replace(unit, spans=None)


@pytest.mark.parametrize("forged", [None, [], ["null"], ['{"c": 1}'], ["[1, 2, 3]"], ["FileUnit"],
                                    ["[" + "[" * 5000], [b"\xff"]])
def test_what_was_not_written_by_encode_unit_is_undecodable(forged):
    with pytest.raises(Undecodable):
        decode_unit(forged)


def test_a_start_on_unchanged_files_parses_nothing(tmp_path):
    """The second monitor start reads every file's unit back: nothing is parsed, and the
    view is the one a parse gives."""
    store = UnitStore.open()
    assert store is not None
    first = load_view([EXAMPLE], None, LoadCache(), lambda p: AS_OF, None, 0, lambda f: None, store=store)
    assert len(first[0].parsed) == 4
    keep_in_store(store, units_of([EXAMPLE]), first[0].parsed)
    again = load_view([EXAMPLE], None, LoadCache(), lambda p: AS_OF, None, 0, lambda f: None, store=store)
    assert again[0].parsed == [] and again[0].ok
    assert again[0].portfolio == first[0].portfolio
    rows_again, rows_first = again[2].deal_rows, first[2].deal_rows
    assert rows_again.ids(0, None) == rows_first.ids(0, None)
    assert [rows_again.row(i) for i in rows_again.ids(0, None)] == [rows_first.row(i) for i in rows_first.ids(0, None)]
    assert stat.S_IMODE(os.stat(store.directory).st_mode) == 0o700
    entries = [e for e in os.scandir(store.directory) if e.name.endswith(".json")]
    assert len(entries) == 4 and all(stat.S_IMODE(e.stat().st_mode) == 0o600 for e in entries)


def test_a_changed_file_is_parsed_and_the_rest_read_back(tmp_path):
    a = write(tmp_path, "a.yaml", deal_yaml("start: 2026-01-01"))
    write(tmp_path, "b.yaml", "sources:\n  s: {title: S}\n")
    store = UnitStore.open()
    keep_in_store(store, units_of([str(tmp_path)]), [str(a), str(tmp_path / "b.yaml")])
    write(tmp_path, "a.yaml", deal_yaml("start: 2026-02-01"))
    result = load_view([str(tmp_path)], None, LoadCache(), lambda p: AS_OF, None, 0, lambda f: None,
                       store=store)[0]
    assert result.parsed == [str(a)]
    assert result.portfolio.deals["d"].start == date(2026, 2, 1)


def test_a_stored_unit_read_with_other_settings_is_read_again(tmp_path):
    """The settings are not in the key: a unit read with other settings than those that now
    count (another file's `settings:` changed) is parsed again, as when kept in memory."""
    write(tmp_path, "a.yaml", "settings: {currency: USD}\n")
    deals = write(tmp_path, "b.yaml", deal_yaml("start: 2026-01-01\ncommitment: 12M/year"))
    store = UnitStore.open()
    keep_in_store(store, units_of([str(tmp_path)]), [str(deals)])
    write(tmp_path, "a.yaml", "settings: {currency: EUR}\n")
    result = load_view([str(tmp_path)], None, LoadCache(), lambda p: AS_OF, None, 0, lambda f: None,
                       store=store)[0]
    assert str(deals) in result.parsed
    assert result.portfolio.deals["d"].commitment.currency == "EUR"


def test_a_damaged_or_foreign_entry_is_a_miss(tmp_path):
    path = write(tmp_path, "d.yaml", deal_yaml("start: 2026-01-01"))
    store = UnitStore.open()
    units = units_of([str(path)])
    keep_in_store(store, units, [str(path)])
    (entry,) = [e.path for e in os.scandir(store.directory) if e.name.endswith(".json")]
    good = open(entry, encoding="utf-8").read()
    head, unit_line, rest = good.split("\n", 2)
    assert json.loads(head) == {"path": str(path)}  # JSON lines: the path, the unit, its entities
    for damaged in (good[:len(good) // 2], "[]", '{"path": "/elsewhere"}\n' + unit_line + "\n" + rest,
                    good.replace('"2026-01-01"', '"2026-13-01"'), good.replace('"deals"', '"pwned"'),
                    head + "\n" + unit_line.replace("[", "{", 1) + "\n" + rest):
        with open(entry, "w", encoding="utf-8") as fh:
            fh.write(damaged)
        cache = LoadCache()
        assert fill_from_store(store, cache, {str(path): units[str(path)].digest}, {str(path): 1}) == [], \
            damaged[:80]


def test_a_directory_others_can_write_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    store = UnitStore.open()
    assert store is not None
    os.chmod(store.directory, 0o777)
    assert UnitStore.open() is None
    monkeypatch.setenv("DEALMON_NO_CACHE", "1")
    assert UnitStore.open() is None


def test_an_entry_of_other_content_is_never_used(tmp_path):
    """Keyed by the content hash: the unit of the file's old bytes is not found for new ones."""
    path = write(tmp_path, "d.yaml", deal_yaml("start: 2026-01-01"))
    store = UnitStore.open()
    keep_in_store(store, units_of([str(path)]), [str(path)])
    write(tmp_path, "d.yaml", deal_yaml("start: 2026-03-01"))
    snapshot = take_snapshot([str(path)])
    assert fill_from_store(store, LoadCache(), snapshot.file_digests, {str(path): 1}) == []


def test_small_files_are_parsed_not_stored(tmp_path, monkeypatch):
    """A file under STORE_MIN_BYTES parses as fast as its entry reads: never stored, never
    looked up (a monitor on the example never loads the codec)."""
    import tui.unitstore

    monkeypatch.setattr(tui.unitstore, "STORE_MIN_BYTES", 32 * 1024)
    store = UnitStore.open()
    keep_in_store(store, units_of([EXAMPLE]), [os.path.join(EXAMPLE, "deals.yaml")])
    assert [e for e in os.scandir(store.directory) if e.name.endswith(".json")] == []
    big = write(tmp_path, "big.yaml", deal_yaml("start: 2026-01-01\nnotes: " + "x" * 9000) +
                "".join(f"  d{i}:\n    buyer: B\n    provider: p\n    start: 2026-01-01\n    notes: {'y' * 40}\n"
                        for i in range(400)))
    keep_in_store(store, units_of([str(big)]), [str(big)])
    assert len([e for e in os.scandir(store.directory) if e.name.endswith(".json")]) == 1


async def test_the_monitor_started_again_parses_nothing(tmp_path, monkeypatch):
    """The App keeps what its first load parsed; the next start on the same files reads it back
    (and shows the same deals)."""
    from conftest import loaded

    import tui.app
    from tui.app import DealmonApp

    monkeypatch.setattr(tui.app, "STORE_FIRST_AFTER_SECONDS", 0.01)
    path = write(tmp_path, "d.yaml", deal_yaml("start: 2026-01-01\nend: 2027-01-01"))
    for run, parsed in enumerate(([str(path)], [])):
        app = DealmonApp([str(path)], as_of=AS_OF, watch=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            assert app.result.parsed == parsed, run
            assert app.view.deal_rows.ids(0, None) == ["d"]
            await pilot.pause(0.1)
            stores = [w for w in app.workers if w.group == "store"]
            if stores:
                await app.workers.wait_for_complete(stores)

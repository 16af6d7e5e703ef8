"""`dealmon check` on unchanged files answers from a JSON cache in the user's own cache dir."""
from __future__ import annotations

import json
import os
import stat

import pytest
from conftest import deal_yaml, write

from tui import checkcache
from tui.cli import main


def run(capsys, *args):
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def no_load(monkeypatch):
    """Make any real load fail loudly: a cache hit must not parse anything."""
    import tui.check

    def refuse(*a, **k):
        raise AssertionError("loaded although cached")
    return lambda: monkeypatch.setattr(tui.check, "load", refuse)


def test_unchanged_files_are_answered_from_the_cache(tmp_path, capsys, no_load):
    path = write(tmp_path, "d.yaml", deal_yaml("start: 2026-01-01\nend: 2026-12-02"))
    first = run(capsys, str(path), "--as-of", "2026-11-29", "--format", "json")
    assert first[0] == 1
    no_load()
    assert run(capsys, str(path), "--as-of", "2026-11-29", "--format", "json") == first
    directory = checkcache.cache_dir()
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    entries = [e for e in os.scandir(directory) if e.name.endswith(".json")]
    assert len(entries) == 1 and stat.S_IMODE(entries[0].stat().st_mode) == 0o600
    json.loads(open(entries[0].path, encoding="utf-8").read())  # JSON, not a pickle


def test_a_changed_file_or_option_is_computed_again(tmp_path, capsys):
    path = write(tmp_path, "d.yaml", deal_yaml("start: 2026-01-01\nend: 2026-12-02"))
    assert run(capsys, str(path), "--as-of", "2026-11-29")[0] == 1
    assert run(capsys, str(path), "--as-of", "2026-11-29", "--within", "1")[0] == 0
    write(tmp_path, "d.yaml", deal_yaml("start: 2026-01-01\nend: 2027-12-02"))
    assert run(capsys, str(path), "--as-of", "2026-11-29")[0] == 0
    write(tmp_path, "d.yaml", deal_yaml("start: 2026-02-30"))
    code, out, err = run(capsys, str(path))
    assert code == 2 and "not a real date" in err
    assert run(capsys, str(path)) == (code, out, err)  # errors come from the cache alike


def test_an_entry_of_another_day_is_not_used(tmp_path, capsys, no_load):
    path = write(tmp_path, "d.yaml", deal_yaml("start: 2026-01-01"))
    run(capsys, str(path))
    directory = checkcache.cache_dir()
    for entry in os.scandir(directory):
        data = json.load(open(entry.path, encoding="utf-8"))
        data["today"] = "2000-01-01"
        json.dump(data, open(entry.path, "w", encoding="utf-8"))
    no_load()
    code, _, err = run(capsys, str(path))  # the stale entry is ignored: a real load is attempted
    assert code == 2 and "loaded although cached" in err


def test_unsafe_or_disabled_cache_is_not_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    (shared / "dealmon").mkdir(parents=True)
    os.chmod(shared / "dealmon", 0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
    assert checkcache.cache_dir() is None  # others could plant entries
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "mine"))
    assert checkcache.cache_dir() is not None
    monkeypatch.setenv("DEALMON_NO_CACHE", "1")
    assert checkcache.cache_dir() is None

"""`dealmon check`: exit codes, the JSON contract of SPEC §3, the text report, hostile text."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from conftest import REPO, deal_yaml, write

from tui.cli import main


def check(capsys, *args):
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_example_json_contract(capsys):
    code, out, err = check(capsys, str(REPO / "config"), "--as-of", "2026-11-29", "--format", "json")
    assert code == 0 and err == ""  # the first event is 33 days away: none within critical_days
    doc = json.loads(out)
    assert doc["schema"] == 1 and doc["as_of"] == "2026-11-29" and doc["timezone"] == "America/Los_Angeles"
    assert [d["id"] for d in doc["deals"]] == ["anthropic-spacex", "google-spacex"]
    a = doc["deals"][0]
    assert set(a) == {"id", "buyer", "provider", "status", "commitment_per_year", "exit_right_from", "exit_date",
                      "term_end", "notice_deadline", "earliest_exit_if_notice_today", "events", "disputed",
                      "capacity", "at_risk"}
    assert a["commitment_per_year"] == {"amount": "15000000000", "currency": "USD"}
    assert (a["status"], a["exit_right_from"], a["exit_date"], a["earliest_exit_if_notice_today"]) == \
        ("active", "2026-08-03", "2029-05-31", "2027-02-27")
    assert a["disputed"] == ["capacity", "commitment", "notice.not_before"]
    assert a["events"] == [{"kind": "term_end", "date": "2029-05-31", "days_left": 914, "level": "ok"}]
    g = doc["deals"][1]
    assert g["events"][0] == {"kind": "exit_right", "date": "2027-01-01", "days_left": 33, "level": "ok"}
    cap = doc["capacity"]
    assert set(cap) == {"accelerators", "power_mw", "commitment_per_year", "ending", "at_risk", "by_provider",
                        "by_facility", "timeline"}
    assert cap["accelerators"] == {"GB200": 140000, "H100": 150000, "H200": 50000, "NVIDIA GPU": 110000}
    assert cap["power_mw"] == 510.0
    assert cap["commitment_per_year"] == {"USD": "26040000000"}
    # SpaceX could end Anthropic's deal by 2027-02-27 (within 90 days); Google's not before 2027-04-01.
    assert cap["at_risk"] == {"accelerators": {"GB200": 140000, "H100": 150000, "H200": 50000}, "power_mw": 510.0}
    assert cap["ending"] == {"accelerators": {}, "power_mw": 0.0}
    assert cap["by_provider"]["spacex"]["concentration"] == pytest.approx(26.04 / 18.7)
    assert cap["by_facility"]["colossus-1"]["allocated"] == 1.0
    assert len(cap["timeline"]) == 25 and cap["timeline"][1]["date"] == "2026-12-01"
    assert doc["warnings"] == []


def test_exit_codes_follow_within(tmp_path, capsys):
    path = write(tmp_path, "d.yaml", deal_yaml("start: 2026-01-01\nend: 2026-12-09"))
    assert check(capsys, str(path), "--as-of", "2026-11-29")[0] == 0  # 10 days > critical 7
    assert check(capsys, str(path), "--as-of", "2026-12-02")[0] == 1  # 7 days
    assert check(capsys, str(path), "--as-of", "2026-11-29", "--within", "10")[0] == 1
    assert check(capsys, str(path), "--as-of", "2026-11-29", "--within", "9")[0] == 0


def test_invalid_exits_2_with_errors_on_stderr_and_json(tmp_path, capsys):
    path = write(tmp_path, "d.yaml", deal_yaml("start: 2026-02-30\nrenewal: 3 m"))
    code, out, err = check(capsys, str(path))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"{path}:8:12: start: expected a date YYYY-MM-DD, found '2026-02-30' (not a real date: day is out of range for month)",
        f"{path}:9:14: renewal: expected a duration like '90 days', '3 months', '10 business days', found '3 m' "
        "('m' is ambiguous (minutes or months?): write 'mo' or 'months')",
    ]
    code, out, err = check(capsys, str(path), "--format", "json")
    assert code == 2 and json.loads(out) == {"schema": 1, "errors": err.splitlines()}


def test_bad_arguments_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--as-of", "2026-02-30"])
    assert exc.value.code == 2
    assert "expected a date YYYY-MM-DD" in capsys.readouterr().err


def test_default_is_the_bundled_example(capsys):
    code, out, err = check(capsys, "--as-of", "2026-11-29")
    assert code == 0  # the first event, google-spacex's exit right, is 33 days away (> 7)
    assert out.startswith("dealmon: bundled example · as of 2026-11-29 (not today) · America/Los_Angeles")
    assert "anthropic-spacex" in out


def test_text_report_lines(capsys):
    code, out, _ = check(capsys, str(REPO / "config"), "--as-of", "2026-12-30", "--within", "5")
    lines = out.splitlines()
    assert lines[1] == ("  anthropic-spacex  active    Anthropic ← SpaceX · next: term ends 2029-05-31 (883 days, ok) "
                        "· notice on 2026-12-30 → exit on 2027-03-30")
    assert lines[2].startswith("!!google-spacex     active    Google ← SpaceX · next: exit right opens 2027-01-01 "
                               "(2 days, critical)")
    assert lines[3] == ("capacity: GB200 140,000 · H100 150,000 · H200 50,000 · NVIDIA GPU 110,000 · 510 MW "
                        "· commitment 26.04B USD/yr")
    assert lines[5] == ("at risk within 90 days: 340,000 accelerators · 510 MW (76% of accelerators): "
                        "anthropic-spacex (76%, other side can end)")
    assert "1 event within 5 days:" in out and code == 1


HOSTILE = [
    "\x1b]0;pwned\x1b\\", "\x1b[2J", "\x9b31m", "\x1b]52;c;ZXZpbA==\x07", "\u202eevil", "Space[/]X", "a\x00b\x7f",
]


def test_hostile_text_never_reaches_the_terminal(tmp_path, capsys):
    import yaml

    doc = {"providers": {"p": {"name": HOSTILE[0]}},
           "deals": {f"d{i}": {"buyer": text, "provider": "p", "start": "2026-01-01", "notes": text, "end": "2026-12-01"}
                     for i, text in enumerate(HOSTILE)}}
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=False), encoding="utf-8")
    code, out, err = check(capsys, str(path), "--as-of", "2026-11-29")
    assert code == 1, err
    for bad in ("\x1b", "\x9b", "\x00", "\x7f", "\u202e", "\x07"):
        assert bad not in out
    assert "␛[2J" in out and "<U+009B>31m" in out and "Space[/]X" in out and "<U+202E>evil" in out
    # JSON keeps the raw string; JSON escaping makes it inert.
    code, out, _ = check(capsys, str(path), "--as-of", "2026-11-29", "--format", "json")
    assert "\x1b" not in out and "\x9b" not in out
    buyers = [d["buyer"] for d in json.loads(out)["deals"]]
    assert buyers == HOSTILE


def test_hostile_text_in_error_messages(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text('deals: {d: {buyer: x, provider: "\\e[2Jnope", start: 2026-01-01}}\n', encoding="utf-8")
    code, _, err = check(capsys, str(path))
    assert code == 2 and "\x1b" not in err and "unknown provider '␛[2Jnope'" in err


def test_console_script_runs_as_a_module_without_textual(tmp_path):
    # `python -m tui check` works and never imports Textual (fast start for cron).
    code = ("import sys, runpy; sys.argv=['dealmon','check','--as-of','2026-11-29'];"
            "\ntry:\n runpy.run_module('tui', run_name='__main__')\nexcept SystemExit as e:"
            "\n assert e.code == 0, e.code\nassert 'textual' not in sys.modules")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "anthropic-spacex" in proc.stdout


def test_bad_input_is_fast(tmp_path, capsys):
    (tmp_path / "deep.yaml").write_bytes(b"deals: " + b"[" * 500000 + b"]" * 500000)
    started = time.perf_counter()
    code, _, err = check(capsys, str(tmp_path / "deep.yaml"))
    assert code == 2 and "nesting" in err
    assert time.perf_counter() - started < 5  # generous: the contract is < 1 s, machines are shared

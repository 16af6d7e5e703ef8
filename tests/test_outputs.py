"""The outputs that leave the terminal (SPEC §3): the calendar (`dealmon ics`), the markdown
digest, GitHub annotations, `--quiet` and the compact text report. Each is read back as its
consumer reads it: the calendar by `icalendar` and by a hand-written line reader (RFC 5545's
line rules), the annotations by a parser of GitHub's workflow-command syntax."""
from __future__ import annotations

import json
import os
import re
from datetime import date

import pytest
from conftest import REPO, generated, write

from tui.cli import main

EXAMPLE = str(REPO / "config")
T = "2026-12-02"  # (a past date: never the day a test runs, so the words say "on", not "today")
HOSTILE = "Evil\x1b]0;pwned\x07 Corp, Inc; \\ *bold* [x](y) `c` | <b>"


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def run_bytes(capfdbinary, *argv):
    code = main(list(argv))
    out = capfdbinary.readouterr()
    return code, out.out, out.err


def hostile_portfolio(tmp_path):
    return str(write(tmp_path, "h.yaml", f"""
        providers: {{p: {{name: {json.dumps(HOSTILE)}}}}}
        deals:
          d-1: {{buyer: {json.dumps(HOSTILE)}, provider: p, start: 2026-12-05, end: 2027-01-10,
                notice: {{period: 30 days}}}}
          old: {{buyer: B, provider: p, start: 2020-01-01, end: 2021-01-01}}
    """))


# --- iCalendar -----------------------------------------------------------------------------------

def unfold(data: bytes) -> list[str]:
    """RFC 5545 content lines: CRLF ends, a line starting with a space continues the last."""
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    for line in physical:
        assert len(line) <= 75, line  # octets, not characters
        assert b"\n" not in line and b"\r" not in line
    lines: list[bytes] = []
    for line in physical:
        if line.startswith(b" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return [line.decode("utf-8") for line in lines]


def vevents(lines: list[str]) -> list[dict[str, list[str]]]:
    out, current, depth = [], None, 0
    for line in lines:
        if line == "BEGIN:VEVENT":
            current, depth = {}, 0
        elif line == "END:VEVENT":
            out.append(current)
            current = None
        elif current is not None:
            if line == "BEGIN:VALARM":
                depth += 1
            name, _, value = line.partition(":")
            key = ("VALARM." if depth and not line.startswith(("BEGIN:VALARM",)) else "") + name
            current.setdefault(key, []).append(value)
            if line == "END:VALARM":
                depth -= 1
    return out


def test_the_calendar_has_one_event_per_json_event(capfdbinary):
    code, out, _ = run_bytes(capfdbinary, "check", EXAMPLE, "--as-of", T, "--format", "json")
    events = [(d["id"], e["kind"], e["date"]) for d in json.loads(out)["deals"] for e in d["events"]]
    code, data, err = run_bytes(capfdbinary, "ics", EXAMPLE, "--as-of", T)
    assert code == 0 and err == b""
    lines = unfold(data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    got = vevents(lines)
    assert len(got) == len(events) == 3
    by_uid = {e["UID"][0]: e for e in got}
    for deal, kind, day in events:
        e = by_uid[f"{deal}.{kind}@dealmon"]
        assert e["DTSTART;VALUE=DATE"] == [day.replace("-", "")]
        following = date.fromordinal(date.fromisoformat(day).toordinal() + 1).isoformat()
        assert e["DTEND;VALUE=DATE"] == [following.replace("-", "")]
        assert e["DTSTAMP"] == ["20261202T000000Z"]
        assert e["VALARM.TRIGGER"] == ["-P30D", "-P7D"] and e["VALARM.ACTION"] == ["DISPLAY", "DISPLAY"]
    google = by_uid["google-spacex.exit_right@dealmon"]
    assert google["SUMMARY"] == ["exit right opens: google-spacex (Google ← SpaceX)"]
    assert google["DESCRIPTION"] == ["from this day either party may give notice (90 days\\; earliest exit "
                                     "2027-04-01)\\nexit right opens 2027-01-01: not_before 2027-01-01\\n"
                                     "dealmon\\, as of 2026-12-02"]


def test_the_calendar_reads_back_with_icalendar(capfdbinary):
    from icalendar import Calendar

    main(["ics", EXAMPLE, "--as-of", T])
    cal = Calendar.from_ical(capfdbinary.readouterr().out)
    starts = sorted(str(c.get("dtstart").dt) for c in cal.walk("VEVENT"))
    assert starts == ["2027-01-01", "2029-05-31", "2029-06-30"]
    assert all(len(c.walk("VALARM")) == 2 for c in cal.walk("VEVENT"))


def test_the_calendar_is_byte_identical_and_its_uids_stable_across_dates(capfdbinary):
    main(["ics", EXAMPLE, "--as-of", T])
    first = capfdbinary.readouterr().out
    main(["ics", EXAMPLE, "--as-of", T])
    assert capfdbinary.readouterr().out == first
    main(["ics", EXAMPLE, "--as-of", "2027-02-01"])  # the exit right has opened meanwhile
    later = capfdbinary.readouterr().out
    uids = lambda data: {e["UID"][0] for e in vevents(unfold(data))}  # noqa: E731
    assert uids(later) == uids(first) - {"google-spacex.exit_right@dealmon"}
    assert b"DTSTAMP:20270201T000000Z" in later


def test_a_start_has_no_alarm_and_hostile_text_no_control_characters(tmp_path, capfdbinary):
    main(["ics", hostile_portfolio(tmp_path), "--as-of", T])
    data = capfdbinary.readouterr().out
    assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", data.replace(b"\r\n", b""))
    got = {e["UID"][0]: e for e in vevents(unfold(data))}
    assert "VALARM.TRIGGER" not in got["d-1.start@dealmon"]
    assert got["d-1.term_end@dealmon"]["VALARM.TRIGGER"] == ["-P30D", "-P7D"]
    summary = got["d-1.start@dealmon"]["SUMMARY"][0]
    assert summary == "starts: d-1 (Evil␛]0\\;pwned␇ Corp\\, Inc\\; \\\\ *bold* [x](y) `c` | <b> ← Evil␛]0\\;pwned␇ " \
                      "Corp\\, Inc\\; \\\\ *bold* [x](y) `c` | <b>)"


def test_the_calendar_goes_to_a_file_atomically_and_invalid_files_exit_2(tmp_path, capsys):
    target = tmp_path / "deals.ics"
    code, out, _ = run(capsys, "ics", EXAMPLE, "--as-of", T, "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n") and oct(target.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in tmp_path.iterdir()] == ["deals.ics"]  # no temporary file left
    bad = write(tmp_path, "bad.yaml", "deals: {d: {buyer: x, provider: nope, start: 2026-01-01}}\n")
    code, out, err = run(capsys, "ics", str(bad), "-o", str(target))
    assert code == 2 and err == f"{bad}:1:33: unknown provider 'nope'\n"
    code, _, err = run(capsys, "ics", EXAMPLE, "--assume", "notice:nope:2027-01-01")
    assert code == 2 and err == "--assume 'notice:nope:2027-01-01': unknown deal 'nope'\n"


def test_a_what_if_calendar_says_so(capfdbinary):
    main(["ics", EXAMPLE, "--as-of", T, "--assume", "notice:anthropic-spacex:2026-12-10"])
    got = {e["UID"][0]: e for e in vevents(unfold(capfdbinary.readouterr().out))}
    event = got["anthropic-spacex.notice@dealmon"]
    assert event["SUMMARY"] == ["send notice (what-if): anthropic-spacex (Anthropic ← SpaceX)"]
    assert event["DESCRIPTION"][0].startswith(
        "WHAT-IF (notice:anthropic-spacex:2026-12-10:buyer) hypothetical: not in the files\\nthe assumed notice "
        "goes out")
    assert all(e["DESCRIPTION"][0].startswith("WHAT-IF") for e in got.values())


# --- markdown ------------------------------------------------------------------------------------

def test_markdown_digest_of_the_example(capsys):
    code, out, _ = run(capsys, "check", EXAMPLE, "--as-of", T, "--format", "markdown")
    assert code == 0
    assert out.splitlines() == [
        f"## dealmon · {EXAMPLE} · as of 2026-12-02 (not today)",
        "",
        "### Action items: 1 event within 30 days",
        "- **2027-01-01** (30 days, warn) · **exit right opens** · `google-spacex` (Google ← SpaceX): from this day "
        "either party may give notice (90 days; earliest exit 2027-04-01)",
        "",
        "### Capacity ending and at risk within 90 days",
        "- **Ending:** 0 accelerators · 0 MW",
        "- **At risk:** 340,000 accelerators · 510 MW (76% of accelerators)",
        "  - `anthropic-spacex` (Anthropic ← SpaceX): 340,000 accelerators · 510 MW, 76% of accelerators; other "
        "side can end; notice on 2026-12-02 → exit on 2027-03-02",
        "",
        "### Disputes: 5 claims",
        "- deal `anthropic-spacex` commitment: the files say 1.25B USD/month; `news-commentary` says 1.25B USD/year",
        "- deal `anthropic-spacex` notice.not\\_before: the files say 3 months; `musk-x-post` says 180 days",
        "- deal `anthropic-spacex` capacity: the files say 2 capacity lines; `anthropic-announcement` says "
        "\\[{facility: colossus-1, share: 100%}\\]",
        "- provider `spacex` revenue: the files say 18.7B USD/year; `news-commentary` says 18B USD/year",
        "- facility `colossus-1` accelerators: the files say {H100: 150,000, H200: 50,000, GB200: 30,000}; "
        "`anthropic-announcement` says {NVIDIA GPU: 220000}",
    ]


def test_markdown_names_every_deal_with_an_event_within_the_window(tmp_path, capsys):
    path = generated(tmp_path / "p.yaml", 60, 12)
    _, out, _ = run(capsys, "check", path, "--as-of", T, "--format", "json")
    due = {d["id"] for d in json.loads(out)["deals"] for e in d["events"] if e["days_left"] <= 30}
    assert len(due) >= 3
    _, digest, _ = run(capsys, "check", path, "--as-of", T, "--format", "markdown")
    assert {d for d in due if f"`{d}`" in digest} == due


def test_markdown_stays_a_chat_message_at_thousands_of_deals(tmp_path, capsys):
    path = generated(tmp_path / "p.yaml", 3000, 60)
    _, digest, _ = run(capsys, "check", path, "--as-of", T, "--format", "markdown")
    lines = digest.splitlines()
    assert len(lines) < 100
    assert any(line.startswith("- … and ") and "more within 30 days" in line for line in lines)
    items = [line for line in lines if line.startswith("- **20")]
    assert items == sorted(items)  # the soonest first


def test_markdown_escapes_file_text(tmp_path, capsys):
    _, digest, _ = run(capsys, "check", hostile_portfolio(tmp_path), "--as-of", T, "--format", "markdown")
    assert "\x1b" not in digest and "\x07" not in digest
    assert "Evil␛\\]0;pwned␇ Corp, Inc; \\\\ \\*bold\\* \\[x\\](y) \\`c\\` \\| \\<b\\>" in digest


# --- GitHub annotations --------------------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the runner reads it, unescaped."""
    m = COMMAND.match(line)
    assert m, line
    unescape = lambda s: s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",") \
        .replace("%25", "%")  # noqa: E731
    props = {}
    for pair in (m.group(2) or "").split(","):
        if pair:
            key, _, value = pair.partition("=")
            assert re.fullmatch(r"[a-zA-Z]+", key) and "," not in value and ":" not in value
            props[key] = unescape(value)
    assert "\n" not in m.group(3) and "\r" not in m.group(3)
    return m.group(1), props, m.group(3).replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def test_github_errors_point_at_file_line_and_column(tmp_path, capsys):
    folder = tmp_path / "odd, dir: 100%"
    folder.mkdir()
    bad = write(folder, "deals.yaml", """\
        providers: {p: {name: P}}
        deals:
          d: {buyer: B, provider: nope, start: 2026-02-30}
          e: {buyer: B, provider: p, start: 2026-01-01, pricing: 3}
        """)
    code, out, err = run(capsys, "check", str(bad), "--format", "github")
    assert code == 2
    got = [parse_command(line) for line in out.splitlines()]
    path = str(bad)
    assert all(kind == "error" and props["file"] == path for kind, props, _ in got)
    assert {(props["line"], props["col"], message.split(":")[0]) for _, props, message in got} == {
        ("3", "40", "start"), ("3", "27", "unknown provider 'nope'"), ("4", "49", "unknown key 'pricing' in deal 'e'; expected one of")}
    # the same errors as on stderr, where they are PATH:LINE:COL: message
    assert sorted(f"{p['file']}:{p['line']}:{p['col']}: {m}" for _, p, m in got) == sorted(err.splitlines())
    assert "%25" in out and "%2C" in out and "%3A" in out  # the path's '%', ',' and ':'


def test_github_warns_of_events_within_the_window_on_the_deal(capsys):
    code, out, _ = run(capsys, "check", EXAMPLE, "--as-of", T, "--format", "github")
    assert code == 0
    [(kind, props, message)] = [parse_command(line) for line in out.splitlines()]
    assert kind == "warning" and props == {"file": f"{EXAMPLE}/deals.yaml", "line": "51", "col": "5",
                                           "title": "exit right opens"}
    assert message == ("google-spacex (Google ← SpaceX) 2027-01-01 (30 days, warn): from this day either party may "
                       "give notice (90 days; earliest exit 2027-04-01)")


def test_github_escapes_newlines_and_percent_in_messages(tmp_path, capsys):
    path = write(tmp_path, "w.yaml", """\
        providers: {p: {name: "100% P\\nnext line"}}
        deals:
          d: {buyer: B, provider: p, start: 2026-12-04, commitment: 5M}
        """)
    code, out, _ = run(capsys, "check", str(path), "--as-of", T, "--format", "github")
    assert code == 1
    parsed = [parse_command(line) for line in out.splitlines()]
    assert parsed[0][0] == "warning" and parsed[0][2] == "commitment has no period (e.g. '/month'); read as per year"
    assert parsed[1][2].startswith("d (B ← 100% P\nnext line) 2026-12-04 (2 days, critical): capacity and fees begin")


# --- quiet and the compact text ------------------------------------------------------------------

def test_quiet_prints_nothing_when_all_is_well(capsys):
    assert run(capsys, "check", EXAMPLE, "--as-of", T, "--quiet") == (0, "", "")
    code, out, _ = run(capsys, "check", EXAMPLE, "--as-of", "2026-12-30", "--quiet")
    assert code == 1 and "google-spacex exit right opens" in out
    for fmt in ("markdown", "github", "json"):
        assert run(capsys, "check", EXAMPLE, "--as-of", T, "--quiet", "--format", fmt) == (0, "", "")


def test_text_lists_deals_in_force_or_to_come_and_counts_the_ended(tmp_path, capsys):
    code, out, _ = run(capsys, "check", hostile_portfolio(tmp_path), "--as-of", T)
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[1:3]] == ["!!d-1", "(1"]
    assert lines[2] == "  (1 ended deal not listed)"
    assert "\x1b" not in out


def test_text_says_when_notice_would_end_a_deal_whose_exit_right_has_not_opened(capsys):
    _, out, _ = run(capsys, "check", EXAMPLE, "--as-of", T)
    assert out.splitlines()[2] == (
        "! google-spacex     active    Google ← SpaceX · next: exit right opens 2027-01-01 (30 days, warn) · exit "
        "right opens 2027-01-01 → exit on 2027-04-01 at the earliest")


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    monkeypatch.setenv("DEALMON_NO_CACHE", "1")
    yield
    assert os.environ["DEALMON_NO_CACHE"] == "1"

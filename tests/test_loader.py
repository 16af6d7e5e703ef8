"""The loader: files and directories, positions, every error reported, limits, safety."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import REPO, deal_yaml, load_yaml, permission_checks, write

from tui.core.loader import BUNDLED_DIR, default_paths, load

POSITION = re.compile(r"^.+:\d+:\d+: \S.*$")


def messages(result):
    return [str(e) for e in result.errors]


def test_example_portfolio_is_valid_and_bundled_copy_matches():
    result = load([str(REPO / "config")])
    assert result.ok, messages(result)
    assert sorted(result.portfolio.deals) == ["anthropic-spacex", "google-spacex"]
    for path in (REPO / "config").glob("*.yaml"):
        assert (BUNDLED_DIR / path.name).read_bytes() == path.read_bytes(), path.name
    assert sorted(p.name for p in BUNDLED_DIR.glob("*.yaml")) == sorted(p.name for p in (REPO / "config").glob("*.yaml"))


def test_example_portfolio_facts():
    p = load([str(REPO / "config")]).portfolio
    deal = p.deals["anthropic-spacex"]
    assert deal.commitment.per_year == 15_000_000_000
    assert str(deal.notice.period) == "90 days" and deal.notice.parties == "either"
    assert {c.field for c in deal.claims} == {"commitment", "notice.not_before", "capacity"}
    assert p.providers["spacex"].revenue.per_year == 18_700_000_000
    assert p.facilities["colossus-1"].accelerators == {"H100": 150000, "H200": 50000, "GB200": 30000}
    google = p.deals["google-spacex"]
    assert google.commitment.per_year == 11_040_000_000
    assert str(google.notice.not_before) == "2027-01-01"


def test_default_chain(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert default_paths() == ([str(BUNDLED_DIR)], True)
    (tmp_path / "config").mkdir()
    assert default_paths() == (["config"], False)
    monkeypatch.setenv("DEALMON_CONFIG", "/elsewhere/deals.yaml")
    assert default_paths() == (["/elsewhere/deals.yaml"], False)


def test_bundled_example_is_used_from_an_empty_folder():
    result = load(None)
    assert result.ok and result.bundled and result.label == "bundled example"
    assert "anthropic-spacex" in result.portfolio.deals


def test_directory_rules(tmp_path):
    d = tmp_path / "cfg"
    d.mkdir()
    write(d, "b.yaml", deal_yaml("start: 2026-01-01"))
    write(d, "a.yml", "sources: {s: {title: S}}\n")
    for junk in (".hidden.yaml", "b.yaml~", "x.yaml.swp", "y.tmp", "#z.yaml#", "notes.txt"):
        (d / junk).write_text("this: is: not: yaml: [", encoding="utf-8")
    (d / "sub.yaml").mkdir()
    result = load([str(d)])
    assert result.ok, messages(result)
    assert result.files == [str(d / "a.yml"), str(d / "b.yaml")]


def test_a_file_named_twice_is_read_once(tmp_path):
    path = write(tmp_path, "deals.yaml", deal_yaml("start: 2026-01-01"))
    os.symlink(path, tmp_path / "link.yaml")
    result = load([str(path), str(tmp_path), str(tmp_path / "link.yaml")])
    assert result.ok, messages(result)
    assert result.files == [str(path)]


def test_files_merge_and_duplicate_ids_name_both_places(tmp_path):
    write(tmp_path, "a.yaml", deal_yaml("start: 2026-01-01"))
    write(tmp_path, "b.yaml", "deals:\n  d:\n    buyer: X\n    provider: p\n    start: 2026-01-01\n")
    result = load([str(tmp_path)])
    assert messages(result) == [f"{tmp_path}/b.yaml:2:3: deal id 'd' is defined twice; first at {tmp_path}/a.yaml:5:3"]


def test_duplicate_keys_in_one_mapping(tmp_path):
    result = load_yaml(tmp_path, deal_yaml("start: 2026-01-01\nstart: 2026-02-01"))
    assert messages(result) == [f"{tmp_path}/deals.yaml:9:5: duplicate key 'start' (first at line 8, column 5)"]


def test_path_as_given_for_directories(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cfg").mkdir()
    write(tmp_path / "cfg", "x.yaml", "deals: [\n")
    result = load(["cfg"])
    assert messages(result)[0].startswith("cfg/x.yaml:2:1: invalid YAML")


def test_settings_in_one_file_only(tmp_path):
    write(tmp_path, "a.yaml", "settings: {warn_days: 10}\n")
    write(tmp_path, "b.yaml", "settings: {warn_days: 20}\n")
    result = load([str(tmp_path)])
    assert messages(result) == [f"{tmp_path}/b.yaml:1:1: settings may appear in one file only; already given at {tmp_path}/a.yaml:1:1"]


def test_settings_currency_applies_to_every_file(tmp_path):
    write(tmp_path, "a.yaml", deal_yaml("start: 2026-01-01\ncommitment: 5M/month"))
    write(tmp_path, "z.yaml", "settings: {currency: eur}\n")
    result = load([str(tmp_path)])
    assert result.portfolio.deals["d"].commitment.currency == "EUR"


def test_empty_file_and_bom(tmp_path):
    write(tmp_path, "empty.yaml", "")
    (tmp_path / "bom.yaml").write_bytes(b"\xef\xbb\xbfversion: 1\nsources: {s: {title: S}}\n")
    result = load([str(tmp_path)])
    assert result.ok
    assert [str(w) for w in result.warnings] == [f"{tmp_path}/empty.yaml:1:1: empty file"]
    assert "s" in result.portfolio.sources


def test_every_error_of_a_load_is_reported(tmp_path):
    result = load_yaml(tmp_path, """
        version: 2
        deal: {}
        providers:
          p: {name: P, revenu: 5B/year}
        deals:
          d:
            buyer: B
            provider: nope
            start: 2026-02-30
            renewal: 3 m
            notice: {period: 90 days, parties: both}
            capacity:
              - {facility: f, share: 50}
    """)
    path = f"{tmp_path}/deals.yaml"
    assert messages(result) == [
        f"{path}:2:10: version: expected 1, found '2'",
        f"{path}:3:1: unknown top-level key 'deal' (did you mean 'deals'?); expected one of: version, settings, sources, providers, facilities, deals",
        f"{path}:5:16: unknown key 'revenu' in provider 'p' (did you mean 'revenue'?); expected one of: name, revenue, source, notes, claims",
        f"{path}:9:15: unknown provider 'nope'",
        f"{path}:10:12: start: expected a date YYYY-MM-DD, found '2026-02-30' (not a real date: day is out of range for month)",
        f"{path}:11:14: renewal: expected a duration like '90 days', '3 months', '10 business days', found '3 m' ('m' is ambiguous (minutes or months?): write 'mo' or 'months')",
        f"{path}:12:40: parties: expected one of either, buyer, provider, found 'both'",
        f"{path}:14:20: unknown facility 'f'",
        f"{path}:14:30: share: expected a share like '50%' or 0.5, found '50' (did you mean 50%?)",
    ]


@pytest.mark.parametrize("body, message", [
    ("start: 2026-01-01\nend: 2026-01-01", "end 2026-01-01 must be after start 2026-01-01"),
    ("start: 2026-01-01\nrenewal: 1 year", "renewal needs an end"),
    ("start: 2026-01-01\nnotices: [{by: buyer, given: 2026-02-01}]", "no notice terms"),
    ("start: 2026-01-01\nnotice: {period: 30 days, parties: provider}\nnotices: [{by: buyer, given: 2026-02-01}]",
     "notice by the buyer, but only the provider may give notice"),
    ("start: 2026-01-01\nnotice: {period: 30 days, not_before: 6 months}\nnotices: [{by: buyer, given: 2026-02-01}]",
     "before the exit right opens on 2026-07-01"),
    ("start: 2026-01-01\nnotice: {period: 30 days}\nnotices: [{by: buyer, given: 2025-12-01}]",
     "before the deal starts on 2026-01-01"),
    ("start: 2026-01-01\nend: 2026-06-01\nnotice: {period: 30 days}\nnotices: [{by: buyer, given: 2026-07-01}]",
     "after the deal ends on 2026-06-01"),
    ("start: 2026-01-01\nnotice: {period: 30 days, effect: term_end}", "effect term_end needs an end and a renewal"),
    ("start: 2026-01-01\ncapacity: [{accelerators: {H100: 1}, from: 2026-05-01, until: 2026-04-01}]",
     "until 2026-04-01 is before from 2026-05-01"),
    ("start: 2026-01-01\ncapacity: [{share: 50%}]", "a share needs a facility"),
    ("start: 2026-01-01\ncapacity: [{from: 2026-05-01}]", "needs a share of a facility, or accelerators"),
    ("start: 2026-01-01\nnotice: {period: 30 days, calendar: XX}", "expected a country code"),
    ("start: 2026-01-01\nsource: nowhere", "unknown source 'nowhere'"),
    ("start: 2026-01-01\nclaims: [{field: bogus, value: 1}]", "claim field 'bogus' is not a field here"),
    ("start: 2026-01-01\nclaims: [{field: notice.period, value: 3 m}]", "claim value for 'notice.period'"),
    ("start: 2026-01-01\ncommitment: $5M EUR/month", "'$' is USD, not EUR"),
    ("start: 2026-01-01\nbuyer2: x", "unknown key 'buyer2'"),
    ("start: 2026-01-01\ntags: {a: 1}", "tags: expected a list of text"),
    ("start: 10:00", "start: expected a date YYYY-MM-DD, found '10:00'"),
    ("start: 2026-01-01\ncapacity: [{accelerators: {H100: 0150000}}]", "leading zero"),
    ("start: 2026-01-01\nnotice: {period: 0 days}", "must be positive"),
    ("start: 2026-01-01\nnotice: {period: -30 days}", "must be positive"),
])
def test_deal_errors(tmp_path, body, message):
    result = load_yaml(tmp_path, deal_yaml(body))
    assert not result.ok
    got = messages(result)
    assert any(message in m for m in got), got
    assert all(POSITION.match(m) for m in got)


def test_missing_required_fields(tmp_path):
    result = load_yaml(tmp_path, "providers: {p: {revenue: 1B/year}}\ndeals: {d: {provider: p}}\n")
    assert messages(result) == [
        f"{tmp_path}/deals.yaml:1:16: provider 'p' is missing required key 'name'",
        f"{tmp_path}/deals.yaml:2:12: deal 'd' is missing required key 'buyer'",
        f"{tmp_path}/deals.yaml:2:12: deal 'd' is missing required key 'start'",
    ]


def test_settings_errors(tmp_path):
    result = load_yaml(tmp_path, "settings: {warn_days: 5, critical_days: 10, timezone: Mars/Base, side: both, colour: x}\n")
    got = messages(result)
    assert any("critical_days (10) must be <= warn_days (5)" in m for m in got)
    assert any("IANA time zone" in m for m in got)
    assert any("side: expected one of buyer, provider" in m for m in got)
    assert any("unknown key 'colour' in settings" in m for m in got)


def test_warnings_do_not_fail_the_load(tmp_path):
    result = load_yaml(tmp_path, deal_yaml("start: 2026-01-01\nend: 2026-06-01\ncommitment: 5M\n"
                                           "notice: {period: 30 days, not_before: 2026-09-01}"))
    assert result.ok
    warnings = [str(w) for w in result.warnings]
    assert any("commitment has no period" in w for w in warnings)
    assert any("it never opens" in w for w in warnings)


def test_text_fields_take_yaml_11_surprises_as_written(tmp_path):
    result = load_yaml(tmp_path, deal_yaml("start: 2026-01-01\nnotes: 0755\ntags: [NO, yes, 10:00, 3.10]",
                                           ).replace("buyer: B", "buyer: NO"))
    deal = result.portfolio.deals["d"]
    assert (deal.buyer, deal.notes, deal.tags) == ("NO", "0755", ["NO", "yes", "10:00", "3.10"])


def test_anchors_aliases_and_merge_keys_work(tmp_path):
    result = load_yaml(tmp_path, """
        providers: {p: {name: P}}
        deals:
          a: &base
            buyer: B
            provider: p
            start: 2026-01-01
            notice: &std {period: 90 days}
          b:
            <<: *base
            start: 2026-02-01
            notice: *std
    """)
    assert result.ok, messages(result)
    assert result.portfolio.deals["b"].start.month == 2
    assert str(result.portfolio.deals["b"].notice.period) == "90 days"


# --- hostile and malformed input ---------------------------------------------------------

BAD_INPUTS = {
    "malformed.yaml": (b"deals: [\n", "invalid YAML"),
    "list.yaml": (b"- a\n- b\n", "expected a mapping"),
    "scalar.yaml": (b"hello\n", "expected a mapping"),
    "multi.yaml": (b"a: 1\n---\nb: 2\n", "single YAML document"),
    "latin1.yaml": (b"deals:\n  x:\n    buyer: caf\xe9\n", "not UTF-8"),
    "utf16.yaml": ("version: 1\n".encode("utf-16"), "not UTF-8"),
    "tabs.yaml": (b"deals:\n\tx: 1\n", "invalid YAML"),
    "bigint.yaml": (b"version: " + b"9" * 5000 + b"\n", "version: expected 1"),
    "bigduration.yaml": (b"deals: {d: {buyer: b, provider: p, start: 2026-01-01, renewal: " + b"9" * 5000 + b" days}}\n",
                         "renewal: expected a duration"),
    "bigyear.yaml": (b"deals: {d: {buyer: b, provider: p, start: " + b"2" * 5000 + b"-01-01}}\n", "year past 9999"),
    "bigcount.yaml": (b"facilities: {f: {name: F, accelerators: {H100: " + b"9" * 5000 + b"}}}\n", "out of range"),
    "bigmoney.yaml": (b"providers: {p: {name: P, revenue: " + b"9" * 5000 + b"/year}}\n", "out of range"),
    "bignumber.yaml": (b"facilities: {f: {name: F, power_mw: " + b"9" * 5000 + b"}}\n", "out of range"),
    "bigshare.yaml": (b"facilities: {f: {name: F}}\ndeals: {d: {buyer: b, provider: p, start: 2026-01-01, "
                      b"capacity: [{facility: f, share: 0." + b"9" * 5000 + b"}]}}\n", "share"),
    "deep.yaml": (b"deals: " + b"[" * 5000 + b"]" * 5000 + b"\n", "nesting"),
    "deeper.yaml": (b"deals: " + b"[" * 200000 + b"]" * 200000 + b"\n", "nesting"),
    "deepblock.yaml": ("".join("  " * i + f"k{i}:\n" for i in range(300)).encode(), "nesting deeper than 100"),
    "pytag.yaml": (b'x: !!python/object/apply:os.system ["echo pwned"]\n', "tags are not allowed"),
    "pyname.yaml": (b"version: !!python/name:os.system\n", "tags are not allowed"),
    "custom.yaml": (b"version: !env HOME\n", "tags are not allowed"),
    "longstring.yaml": (b"sources: {s: {title: " + b"x" * 10001 + b"}}\n", "over the limit of 10,000"),
    "unknown-alias.yaml": (b"version: *nope\n", "alias"),
    "bool-deals.yaml": (b"deals: yes\n", "deals: expected a mapping"),
    "badid.yaml": (b"deals: {Bad Id: {}}\n", "invalid id"),
    "nul.yaml": (b"version: 1\x00\n", "invalid YAML"),
    "control.yaml": (b"version: \x1b[2J\n", "invalid YAML"),
}
BOMB = b"""a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""
BAD_INPUTS["bomb.yaml"] = (BOMB, "aliases expand to more than 100,000 nodes")


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_inputs_are_positioned_errors(tmp_path, name):
    data, expected = BAD_INPUTS[name]
    (tmp_path / name).write_bytes(data)
    result = load([str(tmp_path / name)])
    got = messages(result)
    assert not result.ok
    assert any(expected in m for m in got), got
    assert all(POSITION.match(m) and m.startswith(f"{tmp_path}/{name}:") for m in got), got
    assert all("\x1b" not in m and "\x00" not in m for m in got)


def test_file_size_limit(tmp_path, monkeypatch):
    import tui.core.loader.files as files

    monkeypatch.setattr(files, "MAX_FILE_BYTES", 100)
    path = write(tmp_path, "big.yaml", "sources:\n" + "".join(f"  s{i}: {{title: T}}\n" for i in range(20)))
    assert messages(load([str(path)])) == [f"{path}:1:1: file of 359 bytes is over the limit of 100"]


def test_missing_and_unreadable_paths(tmp_path):
    result = load([str(tmp_path / "nope.yaml")])
    assert messages(result) == [f"{tmp_path}/nope.yaml:1:1: no such file or directory"]


def test_unreadable_file(tmp_path):
    path = write(tmp_path, "x.yaml", "version: 1\n")
    path.chmod(0)
    with permission_checks():  # (as root too: CI runs as root)
        got = messages(load([str(path)]))
    assert got == [f"{path}:1:1: cannot read file: Permission denied"]


def test_loader_never_uses_unsafe_yaml_loading():
    core = (Path(__file__).resolve().parent.parent / "tui" / "core")
    paths = list(core.rglob("*.py"))
    assert any(p.parent.name == "loader" for p in paths)
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert "yaml.load(" not in text and "yaml.unsafe_load" not in text and "FullLoader" not in text
        assert "UnsafeLoader" not in text and "yaml.Loader" not in text

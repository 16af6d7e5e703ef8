"""`dealmon schema` (SPEC §3): made from the loader's field tables, shipped as
config/dealmon.schema.json, and agreeing with the loader: what the loader accepts validates,
and what it rejects for schema reasons (unknown keys, wrong types, bad ids, bad enum values)
the schema rejects too. Files are read as an editor reads them: YAML 1.2."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from conftest import REPO, generated
from hypothesis import HealthCheck, assume, given, settings
from jsonschema import Draft202012Validator
from test_properties import portfolios

from tui.core.loader import fields, load
from tui.core.loader.schema import fragment_of, schema, schema_text
from tui.core.problems import Problems
from tui.core.yamlnodes import Mapping, Node, Scalar, Sequence, compose

VALIDATOR = Draft202012Validator(schema())
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")


def yaml12(text: str) -> Any:
    """The document as yaml-language-server reads it (YAML 1.2 core schema): `2026-05-03` and
    `NO` are strings; plain `1` an integer, `1.5e2` a float; quoted scalars always strings."""
    root = compose(text, "x.yaml", Problems())

    def value(node: Node | None) -> Any:
        if node is None:
            return None
        if isinstance(node, Mapping):
            return {key: value(v) for key, (_, v) in node.items.items()}
        if isinstance(node, Sequence):
            return [value(item) for item in node.items]
        assert isinstance(node, Scalar)
        raw = node.value
        if not node.plain:
            return raw
        if node.is_null:
            return None
        if raw in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return raw.lower() == "true"
        if _INT.fullmatch(raw):
            return int(raw, 0) if raw.startswith(("0o", "0x")) else int(raw)
        if _FLOAT.fullmatch(raw):
            return float(raw)
        return raw
    return value(root)


def schema_errors(text: str) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(yaml12(text))]


def test_the_schema_is_valid_and_shipped_as_printed():
    Draft202012Validator.check_schema(schema())
    shipped = (REPO / "config" / "dealmon.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_text()
    assert (REPO / "tui" / "example" / "dealmon.schema.json").read_text(encoding="utf-8") == shipped
    out = subprocess.run([sys.executable, "-m", "tui", "schema"], capture_output=True, text=True, check=True)
    assert out.stdout == shipped


def test_every_parser_of_the_tables_has_a_schema():
    tables = [fields.SOURCE_FIELDS, fields.PROVIDER_FIELDS, fields.FACILITY_FIELDS, fields.NOTICE_FIELDS,
              fields.SERVED_FIELDS, fields.LINE_FIELDS, fields.DEAL_FIELDS, fields.SETTINGS_FIELDS]
    for table in tables:
        for name, (parser, _) in table.items():
            assert parser is None or fragment_of(parser) is not None, name


def test_the_example_files_name_the_schema_and_validate():
    for path in sorted((REPO / "config").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=dealmon.schema.json\n"), path.name
        assert schema_errors(text) == [], path.name


def test_a_generated_portfolio_validates(tmp_path):
    path = generated(tmp_path / "p.yaml", 60, 12)
    text = open(path, encoding="utf-8").read()
    assert load([path]).ok
    assert schema_errors(text) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(portfolios())
def test_what_the_loader_accepts_the_schema_accepts(tmp_path, text):
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    assume(load([str(tmp_path / "p.yaml")]).ok)
    assert schema_errors(text) == []


def _deal(extra: str) -> str:
    return textwrap.dedent("""\
        providers: {p: {name: P}}
        facilities: {f: {name: F, accelerators: {H100: 10}}}
        deals:
          d:
            buyer: B
            provider: p
            start: 2026-01-01
        """) + textwrap.indent(textwrap.dedent(extra), "    ")


BAD = {
    "unknown top-level key": "deal: {}\n",
    "unknown deal key": _deal("price: 3\n"),
    "unknown notice key": _deal("notice: {period: 90 days, parties: either, lockout: 3 months}\n"),
    "unknown capacity line key": _deal("capacity: [{facility: f, share: 50%, gpus: 3}]\n"),
    "unknown settings key": "settings: {warn_day: 30}\n",
    "unknown claim key": _deal("claims: [{field: end, value: 2027-01-01, who: x}]\n"),
    "bad claim field": _deal("claims: [{field: price, value: 3}]\n"),
    "wrong type: buyer a list": "providers: {p: {name: P}}\ndeals: {d: {buyer: [a], provider: p, start: 2026-01-01}}\n",
    "wrong type: start a mapping": _deal("end: {y: 2027}\n"),
    "wrong type: capacity a mapping": _deal("capacity: {facility: f}\n"),
    "wrong type: accelerators a list": "facilities: {f: {name: F, accelerators: [H100]}}\n",
    "wrong type: a count that is text": "facilities: {f: {name: F, accelerators: {H100: many}}}\n",
    "wrong type: tags a mapping": _deal("tags: {a: b}\n"),
    "bad id": "providers: {Big_P: {name: P}}\n",
    "bad id in deals": "providers: {p: {name: P}}\ndeals: {-d: {buyer: B, provider: p, start: 2026-01-01}}\n",
    "bad enum: parties": _deal("notice: {period: 90 days, parties: everyone}\n"),
    "bad enum: effect": _deal("notice: {period: 90 days, effect: never}\n"),
    "bad enum: status": "facilities: {f: {name: F, status: running}}\n",
    "bad enum: side": "settings: {side: seller}\n",
    "bad enum: served by": _deal("notice: {period: 90 days}\nnotices: [{by: lawyer, given: 2026-05-01}]\n"),
    "missing required: start": "providers: {p: {name: P}}\ndeals: {d: {buyer: B, provider: p}}\n",
    "missing required: period": _deal("notice: {parties: either}\n"),
    "bad version": "version: 2\n",
}


@pytest.mark.parametrize("name", list(BAD))
def test_schema_rejects_what_the_loader_rejects(tmp_path, name):
    text = BAD[name]
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    assert not load([str(tmp_path / "bad.yaml")]).ok, "the loader accepts it"
    assert schema_errors(text), "the schema accepts it"


def test_enum_values_in_any_case_and_nulls_as_the_loader_reads_them(tmp_path):
    text = _deal("notice: {period: 90 days, parties: EITHER, effect: After_Period}\nend: null\nrenewal:\n")
    (tmp_path / "ok.yaml").write_text(text, encoding="utf-8")
    assert load([str(tmp_path / "ok.yaml")]).ok
    assert schema_errors(text) == []


def test_claims_may_dispute_one_model_of_a_facility():
    text = "sources: {s: {title: S}}\nfacilities: {f: {name: F, claims: [{field: accelerators.H100, value: 5, source: s}]}}\n"
    assert schema_errors(text) == []
    assert json.loads(schema_text())["$schema"] == "https://json-schema.org/draft/2020-12/schema"

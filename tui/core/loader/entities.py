"""Entity readers: one function per kind of entity (and the settings), each turning a YAML
mapping into a model object through the field tables, with the checks that span fields."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import values as v
from ..model import Claim, Deal, Facility, Provider, Source
from ..yamlnodes import Mapping, Node, Scalar, describe
from .fields import (
    CLAIM_FIELDS,
    DEAL_FIELDS,
    FACILITY_FIELDS,
    PROVIDER_FIELDS,
    SETTINGS_FIELDS,
    SOURCE_FIELDS,
    Context,
    Parser,
    Skip,
    claimable_fields,
    count,
    did_you_mean,
    node_text,
    read_fields,
)


def _claims(node: Node | None, fields: dict[str, tuple[Parser, bool]], ctx: Context) -> list[Claim]:
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return []
    claimable = claimable_fields(fields)
    out = []
    try:
        items = v.sequence(node, "a list of claims {field, value, source, note}").items
    except v.Invalid as exc:
        ctx.error(exc.node, f"claims: {exc.message}")
        return []
    for item in items:
        try:
            m = v.mapping(item, "a claim {field, value, source, note}")
        except v.Invalid as exc:
            ctx.error(exc.node, f"claims: {exc.message}")
            continue
        f, nodes = read_fields(m, CLAIM_FIELDS, ctx, "claim")
        name = f.get("field")
        if name is None:
            continue
        parser = claimable.get(name)
        if parser is None and name.startswith("accelerators.") and name[13:] and "accelerators" in fields:
            parser = count  # a dotted path into the mapping: one model's count
        if parser is None:
            ctx.error(nodes["field"], f"claim field '{name}' is not a field here{did_you_mean(name, claimable)}")
            continue
        value_node = nodes.get("value")
        if value_node is None:
            continue
        try:
            value = parser(value_node, ctx)
        except v.Invalid as exc:
            ctx.error(exc.node, f"claim value for '{name}': {exc.message}")
            continue
        except Skip:
            continue
        out.append(Claim(name, value, node_text(value_node), f.get("source"), f.get("note"), ctx.loc(item)))
    return out



def read_settings(node: Node, ctx: Context) -> None:
    if isinstance(node, Scalar) and node.is_null:
        return
    if not isinstance(node, Mapping):
        ctx.error(node, f"settings: expected a mapping, found {describe(node)}")
        return
    # Read before any entity of any file: bare amounts everywhere depend on `currency`.
    f, nodes = read_fields(node, SETTINGS_FIELDS, ctx, "settings")
    s = ctx.settings
    for name, value in f.items():
        setattr(s, name, value)
    if s.critical_days > s.warn_days:
        where = nodes.get("critical_days") or nodes.get("warn_days") or node
        ctx.error(where, f"critical_days ({s.critical_days}) must be <= warn_days ({s.warn_days})")


def _read_source(ident: str, node: Mapping, ctx: Context) -> Source | None:
    f, _ = read_fields(node, SOURCE_FIELDS, ctx, f"source '{ident}'")
    if "title" not in f:
        return None
    return Source(ident, loc=ctx.loc(node), **f)


def _entity_reader(cls: type[Provider] | type[Facility], fields: dict[str, tuple[Parser, bool]],
                   what: str) -> Callable[[str, Mapping, Context], Provider | Facility | None]:
    """Reader for providers and facilities: named entities that may carry claims."""
    def read(ident: str, node: Mapping, ctx: Context) -> Provider | Facility | None:
        f, nodes = read_fields(node, fields, ctx, f"{what} '{ident}'")
        claims = _claims(nodes.get("claims"), fields, ctx)
        if "name" not in f:
            return None
        return cls(ident, claims=claims, loc=ctx.loc(node), **f)
    return read


_read_provider = _entity_reader(Provider, PROVIDER_FIELDS, "provider")
_read_facility = _entity_reader(Facility, FACILITY_FIELDS, "facility")


def _read_deal(ident: str, node: Mapping, ctx: Context) -> Deal | None:
    f, nodes = read_fields(node, DEAL_FIELDS, ctx, f"deal '{ident}'")
    claims = _claims(nodes.get("claims"), DEAL_FIELDS, ctx)
    if not all(k in f for k in ("buyer", "provider", "start")):
        return None
    deal = Deal(ident, claims=claims, loc=ctx.loc(node), **f)
    notice = deal.notice
    deal.calendar = (notice.calendar if notice and notice.calendar else None) or ctx.settings.calendar
    if deal.commitment is not None and deal.commitment.per is None:
        ctx.warn(nodes["commitment"], "commitment has no period (e.g. '/month'); read as per year")
    notice_nodes = ctx.field_nodes.get(id(notice), {}) if notice is not None else {}
    for name, message in deal.term_errors():
        ctx.error(_node_of(name, deal, nodes, notice_nodes, ctx), message)
    if notice is not None:
        opens = deal.exit_right_opens
        fixed_end = deal.fixed_end
        if fixed_end is not None and opens is not None and opens > fixed_end:
            ctx.warn(notice_nodes.get("not_before", nodes["notice"]),
                     f"the exit right opens on {opens}, after the deal ends on {fixed_end}: it never opens")
    return deal


def _node_of(name: str, deal: Deal, nodes: dict[str, Node], notice_nodes: dict[str, Node], ctx: Context) -> Node:
    """The node a `Deal.term_errors` message is about."""
    first, _, rest = name.partition(".")
    if first == "notice":
        return notice_nodes.get(rest, nodes["notice"])
    if first == "notices" and rest:
        index, _, field = rest.partition(".")
        served_nodes = ctx.field_nodes.get(id(deal.notices[int(index)]), {})
        return served_nodes.get(field, served_nodes.get("given", nodes["notices"]))
    return nodes[first]


READERS: dict[str, Callable[[str, Mapping, Context], Any]] = {
    "sources": _read_source, "providers": _read_provider, "facilities": _read_facility, "deals": _read_deal,
}

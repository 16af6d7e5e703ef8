"""The filter typed with `/`: which deals the three panes show.

Words are ANDed, case-insensitively. A plain word matches the deal's id, buyer, provider (id or
name), facilities (id or name) or tags; the prefixes narrow it to one field:

    provider:spacex   status:notice   model:h100   tag:training   disputed   risk

`disputed`: a field of the deal, its provider or one of its facilities is disputed by a
claim; `risk`: the deal is ending, or the other side could end it, within the horizon.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .evaluate import DealState
    from .model import Portfolio

PREFIXES = ("provider:", "status:", "model:", "tag:")
FLAGS = ("disputed", "risk")


@dataclass(frozen=True)
class DealFilter:
    """A parsed filter; `DealFilter.parse("")` keeps every deal."""

    text: str
    words: tuple[str, ...]  # plain words
    fields: tuple[tuple[str, str], ...]  # (prefix, value)
    flags: frozenset[str]

    @classmethod
    def parse(cls, text: str) -> DealFilter:
        words, fields, flags = [], [], set()
        for raw in text.casefold().split():
            prefix = next((p for p in PREFIXES if raw.startswith(p)), None)
            if prefix is not None:
                fields.append((prefix[:-1], raw[len(prefix):]))
            elif raw in FLAGS:
                flags.add(raw)
            else:
                words.append(raw)
        return cls(text.strip(), tuple(words), tuple(fields), frozenset(flags))

    def __bool__(self) -> bool:
        return bool(self.words or self.fields or self.flags)

    def keeps(self, s: DealState, portfolio: Portfolio, haystack: str) -> bool:
        """Whether deal `s` passes; `haystack`: its searchable text, case-folded (see
        `rows.deals.haystack`), built once per deal."""
        if any(word not in haystack for word in self.words):
            return False
        deal = s.deal
        for name, value in self.fields:
            if name == "provider":
                provider = portfolio.providers.get(deal.provider)
                if value not in deal.provider.casefold() and not (provider and value in provider.name.casefold()):
                    return False
            elif name == "status":
                if not s.status.label.startswith(value):
                    return False
            elif name == "tag":
                if not any(value in tag.casefold() for tag in deal.tags):
                    return False
            elif name == "model" and not any(value in model.casefold() for model in _models(s, portfolio)):
                return False
        if "risk" in self.flags and not s.at_risk:
            return False
        return not ("disputed" in self.flags and not _disputed(s, portfolio))


def _models(s: DealState, portfolio: Portfolio) -> list[str]:
    models: list[str] = []
    for line in s.deal.capacity:
        models += line.accelerators
        facility = portfolio.facilities.get(line.facility) if line.facility and line.share is not None else None
        if facility is not None:
            models += facility.accelerators
    return models


def _disputed(s: DealState, portfolio: Portfolio) -> bool:
    if s.disputed:
        return True
    provider = portfolio.providers.get(s.deal.provider)
    if provider is not None and provider.claims:
        return True
    return any(line.facility and (f := portfolio.facilities.get(line.facility)) is not None and f.claims
               for line in s.deal.capacity)

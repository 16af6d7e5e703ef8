"""The portfolio as loaded from the files: plain data, no behaviour beyond small helpers."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .dates import Duration
from .values import Money, Rate


@dataclass(frozen=True, slots=True)
class Loc:
    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(slots=True)
class Settings:
    timezone: str | None = None  # None: the system's local zone
    warn_days: int = 30
    critical_days: int = 7
    horizon_days: int = 90
    currency: str = "USD"
    calendar: str | None = None
    side: str = "buyer"


@dataclass(slots=True)
class Claim:
    field: str
    value: Any  # parsed like the field it disputes
    raw: str  # the value as written, for display
    source: str | None
    note: str | None
    loc: Loc


@dataclass(slots=True)
class Source:
    id: str
    title: str
    date: date | None = None
    url: str | None = None
    kind: str | None = None
    notes: str | None = None
    loc: Loc | None = None


@dataclass(slots=True)
class Provider:
    id: str
    name: str
    revenue: Rate | None = None
    source: str | None = None
    notes: str | None = None
    claims: list[Claim] = field(default_factory=list)
    loc: Loc | None = None


@dataclass(slots=True)
class Facility:
    id: str
    name: str
    operator: str | None = None
    location: str | None = None
    power_mw: Decimal | None = None
    accelerators: dict[str, int] = field(default_factory=dict)
    status: str | None = None
    source: str | None = None
    notes: str | None = None
    claims: list[Claim] = field(default_factory=list)
    loc: Loc | None = None


@dataclass(slots=True)
class Notice:
    period: Duration
    parties: str = "either"  # either | buyer | provider
    not_before: date | Duration | None = None
    effect: str = "after_period"  # after_period | term_end
    calendar: str | None = None
    source: str | None = None


@dataclass(slots=True)
class ServedNotice:
    by: str  # buyer | provider
    given: date
    source: str | None = None
    note: str | None = None
    loc: Loc | None = None


@dataclass(slots=True)
class CapacityLine:
    facility: str | None = None
    share: Decimal | None = None
    accelerators: dict[str, int] = field(default_factory=dict)
    power_mw: Decimal = Decimal(0)
    start: date | None = None  # `from`
    until: date | None = None
    source: str | None = None
    loc: Loc | None = None


@dataclass(slots=True)
class Deal:
    id: str
    buyer: str
    provider: str
    start: date
    signed: date | None = None
    end: date | None = None
    renewal: Duration | None = None
    commitment: Rate | None = None
    total_value: Money | None = None
    notice: Notice | None = None
    notices: list[ServedNotice] = field(default_factory=list)
    capacity: list[CapacityLine] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: str | None = None
    source: str | None = None
    claims: list[Claim] = field(default_factory=list)
    loc: Loc | None = None
    calendar: str | None = None  # the business-day calendar for every duration of the deal

    @property
    def fixed_end(self) -> date | None:
        """A non-renewing `end`: the deal ends there whatever the notice terms."""
        return self.end if self.renewal is None else None


@dataclass(slots=True)
class Portfolio:
    settings: Settings = field(default_factory=Settings)
    sources: dict[str, Source] = field(default_factory=dict)
    providers: dict[str, Provider] = field(default_factory=dict)
    facilities: dict[str, Facility] = field(default_factory=dict)
    deals: dict[str, Deal] = field(default_factory=dict)  # in id order
    settings_loc: Loc | None = None

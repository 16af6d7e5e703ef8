"""The portfolio as loaded from the files: plain data, no behaviour beyond small helpers."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .dates import Duration, add
from .values import Money, Rate
from .words import Effect, FacilityStatus, Parties, Party


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
    side: Party = Party.BUYER

    @property
    def other_side(self) -> Party:
        """The side whose notice puts the user's capacity at risk."""
        return self.side.other


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
    status: FacilityStatus | None = None
    source: str | None = None
    notes: str | None = None
    claims: list[Claim] = field(default_factory=list)
    loc: Loc | None = None


@dataclass(slots=True)
class Notice:
    period: Duration
    parties: Parties = Parties.EITHER
    not_before: date | Duration | None = None
    effect: Effect = Effect.AFTER_PERIOD
    calendar: str | None = None
    source: str | None = None


@dataclass(slots=True)
class ServedNotice:
    by: Party
    given: date
    source: str | None = None
    note: str | None = None
    loc: Loc | None = None
    assumed: bool = False  # a what-if notice (SPEC §2.1): it counts at every as-of date


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

    @property
    def exit_right_opens(self) -> date | None:
        """R (SPEC §2): the later of `start` and `not_before` (a date, or a duration counted
        from `start`); None without an exit right, or when it would open after 9999."""
        notice = self.notice
        if notice is None:
            return None
        nb = notice.not_before
        if nb is None:
            return self.start
        opens = add(self.start, nb, self.calendar) if isinstance(nb, Duration) else nb
        return None if opens is None else max(opens, self.start)

    def term_errors(self) -> list[tuple[str, str]]:
        """What makes these terms invalid (SPEC §1 "Errors"), as (field, message) pairs; `field`
        says what the message is about: `end`, `renewal`, `notices`, `notice.effect`, or
        `notices.N.by` / `notices.N.given` for the N-th served notice. The one rule for the
        files (the loader places each message on its field) and for a what-if's result."""
        out = []
        start, end, notice = self.start, self.end, self.notice
        if end is not None and end <= start:
            out.append(("end", f"end {end} must be after start {start}"))
        if self.renewal is not None and end is None:
            out.append(("renewal", "renewal needs an end (the term that renews)"))
        if self.notices and notice is None:
            out.append(("notices", "notices were served but the deal has no notice terms (notice:)"))
        if notice is not None:
            if notice.effect == Effect.TERM_END and (end is None or self.renewal is None):
                out.append(("notice.effect", "effect term_end needs an end and a renewal (notice stops a renewal)"))
            for i, served in enumerate(self.notices):
                out += [(f"notices.{i}.{field}", message)
                        for field, message in self.notice_refusals(served.by, served.given)]
        return out

    def notice_refusals(self, by: Party, given: date) -> list[tuple[str, str]]:
        """Why a notice by `by` on `given` cannot be served under these terms, as
        (field, message) pairs: `field` ("by" or "given") is what the message is about.
        The one rule for notices in the files and for assumed ones (what-if)."""
        notice = self.notice
        if notice is None:
            return [("given", "the deal has no exit right (no notice terms)")]
        out = []
        if not notice.parties.allows(by):
            out.append(("by", f"notice by the {by}, but only {notice.parties.label} may give notice"))
        opens = self.exit_right_opens
        if given < self.start:
            out.append(("given", f"notice given {given}, before the deal starts on {self.start}"))
        elif opens is None:
            out.append(("given", f"notice given {given}, but the exit right never opens (after 9999-12-31)"))
        elif given < opens:
            out.append(("given", f"notice given {given}, before the exit right opens on {opens}"))
        fixed = self.fixed_end
        if fixed is not None and given > fixed:
            out.append(("given", f"notice given {given}, after the deal ends on {fixed}"))
        return out


@dataclass(slots=True)
class Portfolio:
    settings: Settings = field(default_factory=Settings)
    sources: dict[str, Source] = field(default_factory=dict)
    providers: dict[str, Provider] = field(default_factory=dict)
    facilities: dict[str, Facility] = field(default_factory=dict)
    deals: dict[str, Deal] = field(default_factory=dict)  # in id order
    settings_loc: Loc | None = None

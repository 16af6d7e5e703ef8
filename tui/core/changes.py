"""What a reload changed: deals added and removed, dates that moved, countdowns that changed band."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import formatting as fmt
from .evaluate import DealState, Evaluation
from .words import Band, EventKind

# A deal's computed dates, each with its words (the details screen and the change log use these).
DATE_FIELDS = (("exit_right_from", "exit right from"), ("exit_date", "exit date"), ("term_end", "term end"),
               ("notice_deadline", "notice deadline"), ("earliest_exit_if_notice_today", "exit if notice today"))


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)  # "deal: field old → new"
    bands: list[str] = field(default_factory=list)  # "deal: kind old → new"

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.moved or self.bands)

    def summary(self, limit: int = 8) -> str:
        """A few lines for a notification; the first says how much changed."""
        if not self:
            return "no deal added or removed, no date moved, no band changed"
        head = []
        if self.added:
            head.append(f"{len(self.added)} added")
        if self.removed:
            head.append(f"{len(self.removed)} removed")
        if self.moved:
            head.append(fmt.plural(len(self.moved), "date moved", "dates moved"))
        if self.bands:
            head.append(fmt.plural(len(self.bands), "band changed", "bands changed"))
        lines = ([f"+ {d}" for d in self.added] + [f"- {d}" for d in self.removed] + self.moved + self.bands)
        shown = lines[:limit]
        if len(lines) > limit:
            shown.append(f"… and {len(lines) - limit} more")
        return " · ".join(head) + "\n" + "\n".join(shown)


def _bands(ev: Evaluation, ident: str) -> dict[EventKind, tuple[Band, str]]:
    """kind -> (band, date) of a deal's first event of each kind."""
    out: dict[EventKind, tuple[Band, str]] = {}
    for e in ev.deals[ident].events:
        out.setdefault(e.kind, (e.level, e.date.isoformat()))
    return out


def moved_dates(before: DealState, after: DealState) -> list[str]:
    """'deal: exit date 2029-05-31 → 2027-03-03' for each computed date that differs."""
    out = []
    for name, label in DATE_FIELDS:
        a, b = getattr(before, name), getattr(after, name)
        if a != b:
            out.append(f"{after.id}: {label} {a or '—'} → {b or '—'}")
    return out


def compare(old: Evaluation, new: Evaluation) -> Changes:
    changes = Changes(added=sorted(set(new.deals) - set(old.deals)),
                      removed=sorted(set(old.deals) - set(new.deals)))
    for ident in sorted(set(old.deals) & set(new.deals)):
        before, after = old.deals[ident], new.deals[ident]
        if before is after:  # reused by the evaluation: the deal did not change
            continue
        changes.moved += moved_dates(before, after)
        old_bands, new_bands = _bands(old, ident), _bands(new, ident)
        for kind in sorted(set(old_bands) & set(new_bands)):
            if old_bands[kind][0] != new_bands[kind][0]:
                changes.bands.append(f"{ident}: {kind.label} {old_bands[kind][0].label} → {new_bands[kind][0].label}")
    return changes

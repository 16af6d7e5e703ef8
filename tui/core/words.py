"""The domain's words, each typed once with its one display form (SPEC §3).

Identifiers (the enum values) are what the files and the JSON say; `label` is what every
human-facing output says: the screen, the text report, the details, the change notices.
Being `StrEnum`s, members compare equal to their identifiers and serialise as them.
"""
from __future__ import annotations

from enum import StrEnum

WHAT_IF = "WHAT-IF"  # how every view of a scenario (SPEC §2.1) says that it is hypothetical


class Party(StrEnum):
    """A side of a deal."""

    BUYER = "buyer"
    PROVIDER = "provider"

    @property
    def label(self) -> str:
        return self.value

    @property
    def other(self) -> Party:
        return Party.PROVIDER if self is Party.BUYER else Party.BUYER


class Parties(StrEnum):
    """Who may give notice."""

    EITHER = "either"
    BUYER = "buyer"
    PROVIDER = "provider"

    @property
    def label(self) -> str:
        return "either party" if self is Parties.EITHER else f"the {self.value}"

    def allows(self, party: Party) -> bool:
        return self is Parties.EITHER or self.value == party.value


class Effect(StrEnum):
    """What a notice does: end the deal a period later, or stop the next renewal."""

    AFTER_PERIOD = "after_period"
    TERM_END = "term_end"

    @property
    def label(self) -> str:
        return "ends the deal a period after notice" if self is Effect.AFTER_PERIOD \
            else "stops the next renewal it is in time for"


class FacilityStatus(StrEnum):
    OPERATIONAL = "operational"
    CONSTRUCTION = "construction"
    PLANNED = "planned"


class Status(StrEnum):
    """A deal's status on the as-of date (SPEC §2)."""

    UPCOMING = "upcoming"
    ACTIVE = "active"
    NOTICE = "notice"
    ENDED = "ended"

    @property
    def label(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        """Sort order: what needs attention first."""
        return _STATUS_RANK[self]


_STATUS_RANK = {Status.NOTICE: 0, Status.ACTIVE: 1, Status.UPCOMING: 2, Status.ENDED: 3}


class Band(StrEnum):
    """How close an event is: within critical_days, within warn_days, or later."""

    CRITICAL = "critical"
    WARN = "warn"
    OK = "ok"

    @property
    def label(self) -> str:
        return self.value

    @property
    def mark(self) -> str:
        """The band as two characters, so it reads without colour (NO_COLOR, monochrome)."""
        return _BAND_MARK[self]


_BAND_MARK = {Band.CRITICAL: "!!", Band.WARN: "! ", Band.OK: "  "}


class Risk(StrEnum):
    """Why a deal's capacity counts as at risk within the horizon (SPEC §2 "Per deal")."""

    ENDING = "ending"  # it ends within the horizon as things stand
    OTHER_SIDE = "other_side"  # the other side could end it within the horizon

    @property
    def label(self) -> str:
        return "ending" if self is Risk.ENDING else "other side can end"


class EventKind(StrEnum):
    """What an event in the countdowns is (SPEC §3, "Event words")."""

    START = "start"
    EXIT_RIGHT = "exit_right"
    NOTICE_DEADLINE = "notice_deadline"
    RENEWAL = "renewal"
    TERM_END = "term_end"
    EXIT = "exit"
    NOTICE = "notice"  # an assumed notice goes out (what-if)

    @property
    def label(self) -> str:
        """The full label of SPEC §3's table."""
        return _EVENT_LABEL[self][0]

    @property
    def short(self) -> str:
        """A short form that keeps the label's key word, for narrow screens."""
        return _EVENT_LABEL[self][1]


_EVENT_LABEL = {
    EventKind.START: ("starts", "starts"),
    EventKind.EXIT_RIGHT: ("exit right opens", "exit opens"),
    EventKind.NOTICE_DEADLINE: ("notice deadline", "notice by"),
    EventKind.RENEWAL: ("renews", "renews"),
    EventKind.TERM_END: ("term ends", "ends"),
    EventKind.EXIT: ("exit", "exit"),
    EventKind.NOTICE: ("send notice (what-if)", "send notice"),
}

"""What-if (SPEC §2.1): the message a screen sends to ask for an assumption, and the prompt for
an assumed notice (`n` on a deal): a date (default: today) and a party (default: our side),
checked by the files' own rule before it is sent."""
from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from ..core.model import Deal
from ..core.scenarios import Assumption, NoticeAssumption
from ..core.text import visible
from ..core.values import date_from_text
from ..core.words import Party


class AssumptionRequested(Message):
    """Posted by a screen: show the portfolio with `assumption` added (the App decides)."""

    def __init__(self, assumption: Assumption) -> None:
        super().__init__()
        self.assumption = assumption


class AssumeNoticeScreen(ModalScreen[NoticeAssumption | None]):
    """Asks when, and by whom, a notice on `deal` would go out; dismissed with the assumption,
    or None (esc). A date or party the deal's terms refuse is said here, not sent."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="back without assuming anything")]

    def __init__(self, deal: Deal, today: date, side: Party) -> None:
        super().__init__()
        self.deal = deal
        self.today = today
        self.side = side

    def compose(self) -> ComposeResult:
        deal = self.deal
        notice = deal.notice
        with Vertical(id="assume-notice"):
            head = Text(f"What if notice were served on {visible(deal.id)}?", style="bold", end="")
            if notice is not None:
                head.append(f"\n{notice.period} notice; {notice.parties.label} may give it.", style="italic")
            yield Static(head)
            yield Static("Notice given on (YYYY-MM-DD), enter to assume it; tab: the party:")
            yield Input(value=self.today.isoformat(), placeholder="YYYY-MM-DD", id="assume-notice-date")
            with RadioSet(id="assume-notice-party"):
                for party in Party:
                    yield RadioButton(f"by the {party.label}" + (" (our side)" if party is self.side else ""),
                                      value=party is self.side, name=party.value)
            yield Static(id="assume-notice-error")

    def on_mount(self) -> None:
        self.query_one("#assume-notice-date", Input).focus()

    @property
    def party(self) -> Party:
        pressed = self.query_one(RadioSet).pressed_button
        return Party(pressed.name) if pressed is not None and pressed.name else self.side

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        # Back to the date, where enter assumes the notice (enter in the set picks a party).
        event.stop()
        self.query_one("#assume-notice-date", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        error = self.query_one("#assume-notice-error", Static)
        text = self.query_one("#assume-notice-date", Input).value.strip()
        try:
            given = date_from_text(text)
        except ValueError as exc:
            detail = f" ({exc})" if str(exc) else ""
            error.update(Text(f"expected a date YYYY-MM-DD{detail}", end=""))
            return
        refusals = self.deal.notice_refusals(self.party, given)
        if refusals:
            error.update(Text("; ".join(message for _, message in refusals), end=""))
            return
        self.dismiss(NoticeAssumption(self.deal.id, given, self.party))

    def action_cancel(self) -> None:
        self.dismiss(None)

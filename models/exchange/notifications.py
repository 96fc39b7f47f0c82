"""What the exchange says on its own initiative, through the outbox.

Each notification names ids only; the renderer reads the current state when it is
delivered, so a message about something that changed meanwhile is skipped or says so.
Group cards of requests and offers use the foundation's PlacePost / RefreshPosts with
PostRef("request", id).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from models.exchange.model import Role
from models.notifications import Notification, PostRef

REQUEST_POST = "request"


def request_ref(request_id: int) -> PostRef:
    """The post reference of a request's (or offer's) group card."""
    return PostRef(ref_kind=REQUEST_POST, ref_id=request_id)


THANKS_POST = "thanks"


def thanks_ref(thanks_id: int) -> PostRef:
    """The post reference of a bedankje its sender chose to show in the street group.

    A placed post (not a plain message) so that it carries "Melden", and so that a worker's
    removal, the sender's or helper's /vergeetmij can take it down again.
    """
    return PostRef(ref_kind=THANKS_POST, ref_id=thanks_id)


class ConversationStarted(Notification):
    """A relayed conversation began; `you_started` tells which side this copy is for."""

    kind: ClassVar[str] = "exchange.conversation_started"
    conversation_id: int
    you_started: bool


class ConversationEnded(Notification):
    """The other side ended the conversation, or the request was cancelled."""

    kind: ClassVar[str] = "exchange.conversation_ended"
    conversation_id: int
    reason: Literal["ended", "cancelled", "unreachable", "stopped"] = "ended"


class ContactShareAsked(Notification):
    """The other side wants to share contact details: do you too?"""

    kind: ClassVar[str] = "exchange.contact_asked"
    conversation_id: int


class ContactShared(Notification):
    """Both agreed: here are the other side's contact details."""

    kind: ClassVar[str] = "exchange.contact_shared"
    conversation_id: int


class DoneProposed(Notification):
    """The helper thinks it is done: does the requester confirm?"""

    kind: ClassVar[str] = "exchange.done_proposed"
    conversation_id: int


class HelpDone(Notification):
    """The help is done: thanks for the giver, a thank-you invitation for the receiver."""

    kind: ClassVar[str] = "exchange.help_done"
    conversation_id: int
    role: Role


class FeedbackAsk(Notification):
    """Two short questions after the help: did it help, did you know each other."""

    kind: ClassVar[str] = "exchange.feedback_ask"
    conversation_id: int


class RideFeedbackAsk(Notification):
    """The same two questions after a grocery ride, for a passenger who went along."""

    kind: ClassVar[str] = "exchange.ride_feedback_ask"
    ride_id: int


class ThankYouReceived(Notification):
    """A bedankje for the one who helped, privately."""

    kind: ClassVar[str] = "exchange.thanks_received"
    thanks_id: int


class StillNeeded(Notification):
    """ "Nog nodig?" for a request that has been open for a while."""

    kind: ClassVar[str] = "exchange.still_needed"
    request_id: int


class RequestExpired(Notification):
    """A request closed itself after a long silence."""

    kind: ClassVar[str] = "exchange.request_expired"
    request_id: int


class EntryCheck(Notification):
    """ "Klopt dit nog?" for a register entry not confirmed for months."""

    kind: ClassVar[str] = "exchange.entry_check"
    entry_id: int


class EntryPaused(Notification):
    """An entry was paused because nobody answered "klopt dit nog?"."""

    kind: ClassVar[str] = "exchange.entry_paused"
    entry_id: int


class OfferInvite(Notification):
    """A gentle invitation to add one small thing to "wie kan wat"."""

    kind: ClassVar[str] = "exchange.offer_invite"


class ReciprocityNudge(Notification):
    """Privately: you were helped often, add an offer; or: you give a lot, asking is fine."""

    kind: ClassVar[str] = "exchange.reciprocity"
    nudge: Literal["add_offer", "ask_too"]

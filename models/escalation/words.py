"""How escalation's offers are put into words, for flows and renderers alike."""

from __future__ import annotations

from models.escalation.cases import needs_crisis_numbers
from models.escalation.model import Offer, SourceKind
from models.messages import OutgoingMessage, keyboard, outgoing, press
from models.say import Say


def offer_key(offer: Offer) -> str:
    """The text that explains an offer, by where it came from."""
    return {
        SourceKind.TOO_HEAVY: "escalation.offer_too_heavy",
        SourceKind.NO_HELPER: "escalation.offer_no_helper",
        SourceKind.REQUEST: "escalation.offer_request",
        SourceKind.RELAY: "escalation.offer_relay",
    }.get(offer.source.kind, "escalation.offer_text")


def offer_message(s: Say, offer: Offer, neighbourhood: str) -> OutgoingMessage:
    """An offer of route 1 with its two buttons (crisis numbers first where needed)."""
    parts = []
    if needs_crisis_numbers(offer.source.prefilled_theme, offer.level):
        parts.append(s.t("escalation.crisis"))
    parts.append(s.t(offer_key(offer), neighbourhood=neighbourhood))
    about = offer.source.prefilled_text
    if about and offer.source.kind in {SourceKind.TOO_HEAVY, SourceKind.NO_HELPER}:
        # Which of their requests it is about; only ever in the resident's own chat.
        parts.append(s.t("escalation.offer_about", text=about))
    rows = [
        [press(s.p("escalation.offer_yes"), "eo", "y", offer.id)],
        [press(s.p("escalation.offer_no"), "eo", "n", offer.id)],
    ]
    return outgoing("\n\n".join(parts), keyboard(rows))

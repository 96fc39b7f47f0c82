"""Typed domain errors; handlers turn each into a friendly, translated sentence."""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    """A rule said no. `message_key` names the friendly text; `params` fill it."""

    message_key: ClassVar[str] = "errors.generic"

    def __init__(self, **params: object) -> None:
        super().__init__(self.message_key)
        self.params = params


class NotFound(DomainError):
    """The thing asked for does not exist (any more)."""

    message_key = "errors.not_found"


class StaleAction(DomainError):
    """A button for something that has changed since it was shown."""

    message_key = "errors.stale"


class NotAllowed(DomainError):
    """This person may not do this here."""

    message_key = "errors.not_allowed"


class NotAdministrator(NotAllowed):
    """Only chat administrators may do this in a group."""

    message_key = "errors.not_admin"


class NotAStreetMember(NotAllowed):
    """The person has not joined the street (yet)."""

    message_key = "errors.not_member"


class BlockedFromStreet(NotAllowed):
    """A community worker blocked this person from the street."""

    message_key = "errors.blocked"


class InvalidInput(DomainError):
    """Input that does not fit: empty, too long, unknown choice."""

    message_key = "errors.invalid_input"


class TextTooLong(InvalidInput):
    """Free text over its length limit."""

    message_key = "errors.text_too_long"


class TextEmpty(InvalidInput):
    """Free text with nothing in it."""

    message_key = "errors.text_empty"


class UnknownJoinCode(DomainError):
    """A join link that does not (or no longer) belong to a street."""

    message_key = "errors.unknown_join_code"


class StreetNotSetUp(DomainError):
    """A group that is not linked to a street yet."""

    message_key = "errors.street_not_set_up"


class RateLimited(DomainError):
    """Too many actions in a short time (spam guard)."""

    message_key = "errors.rate_limited"

"""The outcome of a sensitivity assessment: a level and a theme, never the text."""

from __future__ import annotations

from enum import StrEnum

from models.core import Frozen
from models.errors import DomainError


class Level(StrEnum):
    """How heavy a text is."""

    NONE = "none"
    UNCERTAIN = "uncertain"
    PROFESSIONAL = "professional"
    CRISIS = "crisis"

    @property
    def rank(self) -> int:
        """Order from light to heavy (none < uncertain < professional < crisis)."""
        return _RANK[self]


_RANK = {Level.NONE: 0, Level.UNCERTAIN: 1, Level.PROFESSIONAL: 2, Level.CRISIS: 3}


class Theme(StrEnum):
    """What kind of heavy problem (the themes a resident can also pick themselves)."""

    MONEY = "money"
    HOUSING = "housing"
    SAFETY = "safety"
    HEALTH = "health"
    LONELINESS = "loneliness"
    OTHER = "other"


class Sensitivity(Frozen):
    """The outcome of an assessment (never holds the text itself)."""

    level: Level = Level.NONE
    theme: Theme | None = None
    # A doubtful text that leans towards crisis: asked about, with the crisis numbers first.
    leans_crisis: bool = False

    @property
    def flagged(self) -> bool:
        """Too heavy for neighbours (crisis or professional): never posted or relayed."""
        return self.level in {Level.PROFESSIONAL, Level.CRISIS}

    @property
    def crisis(self) -> bool:
        """Life or safety at stake: the crisis numbers are shown at once."""
        return self.level is Level.CRISIS

    @property
    def needs_numbers(self) -> bool:
        """Show 112 / 113 / Veilig Thuis first: a crisis, or a doubtful text close to one."""
        return self.crisis or self.leans_crisis or (self.uncertain and self.theme is Theme.SAFETY)

    @property
    def uncertain(self) -> bool:
        """Maybe heavy: the resident is asked privately before anything is posted."""
        return self.level is Level.UNCERTAIN

    @property
    def clear(self) -> bool:
        """An everyday text: it may go to the neighbours."""
        return self.level is Level.NONE


class TooHeavyForNeighbours(DomainError):
    """A text that sounds too heavy for neighbours never reaches a group or a neighbour."""

    message_key = "escalation.errors.too_heavy"


class NeedsCheck(DomainError):
    """A doubtful text: the resident must first say it is for the neighbours."""

    message_key = "escalation.errors.needs_check"


def require_for_neighbours(sensitivity: Sensitivity, *, checked: bool = False) -> None:
    """The domain's last line: heavy texts never pass; doubtful ones only once confirmed."""
    if sensitivity.flagged:
        raise TooHeavyForNeighbours()
    if sensitivity.uncertain and not checked:
        raise NeedsCheck()

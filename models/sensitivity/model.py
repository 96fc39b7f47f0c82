"""The outcome of a sensitivity assessment: a level and a theme, never the text."""

from __future__ import annotations

from enum import StrEnum

from models.core import Frozen


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

    @property
    def flagged(self) -> bool:
        """Too heavy for neighbours (crisis or professional): never posted or relayed."""
        return self.level in {Level.PROFESSIONAL, Level.CRISIS}

    @property
    def crisis(self) -> bool:
        """Life or safety at stake: the crisis numbers are shown at once."""
        return self.level is Level.CRISIS

    @property
    def uncertain(self) -> bool:
        """Maybe heavy: the resident is asked privately before anything is posted."""
        return self.level is Level.UNCERTAIN

    @property
    def clear(self) -> bool:
        """An everyday text: it may go to the neighbours."""
        return self.level is Level.NONE

"""Is a text too heavy for neighbours? Keyword and phrase lists per language, from config.

A request about debts, a bailiff, eviction, violence, threats or suicide must not be
posted in the street group; the person is offered a professional instead, and where life
or safety is at stake the crisis numbers are shown at once. Lists live in
`config/sensitivity.yaml`; phrases are matched on word boundaries after folding case and
accents, and a trailing `*` matches word forms ("schuld*" finds "schulden").
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from models.core import Frozen
from models.text import fold

CONFIG = Path(__file__).resolve().parent.parent / "config" / "sensitivity.yaml"


class Level(StrEnum):
    """How heavy a text is."""

    NONE = "none"
    PROFESSIONAL = "professional"
    CRISIS = "crisis"


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
        """Whether the text should stay out of the group."""
        return self.level is not Level.NONE


_ORDER = {Level.NONE: 0, Level.PROFESSIONAL: 1, Level.CRISIS: 2}


class Rules:
    """Compiled phrase patterns: language → list of (pattern, level, theme)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._rules: dict[str, list[tuple[re.Pattern[str], Level, Theme]]] = {}
        self._exceptions: dict[str, list[re.Pattern[str]]] = {}
        for language, spec in data.items():
            compiled: list[tuple[re.Pattern[str], Level, Theme]] = []
            for theme_name, levels in (spec.get("themes") or {}).items():
                theme = Theme(theme_name)
                for level_name, phrases in levels.items():
                    level = Level(level_name)
                    compiled.extend((_phrase(p), level, theme) for p in phrases)
            self._rules[language] = compiled
            self._exceptions[language] = [_phrase(p) for p in spec.get("not") or []]

    def assess(self, text: str, language: str) -> Sensitivity:
        """The heaviest match in the text, in the given language and (as a net) the others."""
        folded = " " + _normalise(text) + " "
        for pattern in self._exceptions.get(language, []):
            folded = pattern.sub(" ", folded)
        best = Sensitivity()
        languages = [language, *[lang for lang in self._rules if lang != language]]
        for lang in languages:
            for pattern, level, theme in self._rules.get(lang, []):
                if _ORDER[level] > _ORDER[best.level] and pattern.search(folded):
                    best = Sensitivity(level=level, theme=theme)
        return best


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})


def _normalise(text: str) -> str:
    """Fold case and accents, and make every apostrophe the plain one."""
    return fold(text.translate(_APOSTROPHES))


def _phrase(phrase: str) -> re.Pattern[str]:
    words = []
    for word in _normalise(phrase).split():
        if word.endswith("*"):
            words.append(re.escape(word[:-1]) + r"\w*")
        else:
            words.append(re.escape(word))
    return re.compile(r"(?<!\w)" + r"\W+(?:\w+\W+){0,2}?".join(words) + r"(?!\w)")


@cache
def default_rules() -> Rules:
    """The rules from config/sensitivity.yaml, read once."""
    with CONFIG.open(encoding="utf-8") as fh:
        return Rules(yaml.safe_load(fh))


def assess_sensitivity(text: str, language: str, rules: Rules | None = None) -> Sensitivity:
    """Level (none / professional / crisis) and theme of a text."""
    return (rules or default_rules()).assess(text, language)

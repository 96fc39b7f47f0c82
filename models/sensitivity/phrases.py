"""The phrase list: one signal of the detector, keyword and phrase lists per language.

Lists live in `config/sensitivity.yaml`; phrases are matched on word boundaries after
folding case and accents, and a trailing `*` matches word forms ("schuld*" finds
"schulden"). Up to two other words may stand between the words of a phrase, but never a
clause boundary (punctuation) or a conjunction: "bang voor spinnen en mijn man is er niet"
is not "bang voor mijn man".
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from models.sensitivity.model import Level, Sensitivity, Theme
from models.text import fold

CONFIG = Path(__file__).resolve().parents[2] / "config" / "sensitivity.yaml"


class Rules:
    """Compiled phrase patterns: language → list of (pattern, level, theme)."""

    def __init__(self, data: dict[str, Any]) -> None:
        # (first word, pattern, level, theme): a phrase is only searched for when its first
        # word occurs in the text at all (a substring test is far cheaper than the regex).
        self._rules: dict[str, list[tuple[str, re.Pattern[str], Level, Theme]]] = {}
        self._exceptions: dict[str, list[re.Pattern[str]]] = {}
        for language, spec in data.items():
            compiled: list[tuple[str, re.Pattern[str], Level, Theme]] = []
            for theme_name, levels in (spec.get("themes") or {}).items():
                theme = Theme(theme_name)
                for level_name, phrases in levels.items():
                    level = Level(level_name)
                    compiled.extend((_first_word(p), _phrase(p), level, theme) for p in phrases)
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
            for first, pattern, level, theme in self._rules.get(lang, []):
                if level.rank <= best.level.rank or first not in folded:
                    continue
                if pattern.search(folded):
                    best = Sensitivity(level=level, theme=theme)
        return best


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})


def _normalise(text: str) -> str:
    """Fold case and accents, and make every apostrophe the plain one."""
    return fold(text.translate(_APOSTROPHES))


# Between the words of a phrase: spaces and the like, never a clause boundary.
_SEP = r"[^\w.,;:!?()\n]+"
# A word that may stand in a gap: not one that starts a new clause.
_GAP_WORD = r"(?!(?:en|maar|of|want|omdat|dus|als|and|but|or|because|so|if|while)\b)\w+"
_GAP = _SEP + r"(?:" + _GAP_WORD + _SEP + r"){0,2}?"


def _first_word(phrase: str) -> str:
    return _normalise(phrase).split()[0].rstrip("*")


def _phrase(phrase: str) -> re.Pattern[str]:
    words = []
    for word in _normalise(phrase).split():
        if word.endswith("*"):
            words.append(re.escape(word[:-1]) + r"\w*")
        else:
            words.append(re.escape(word))
    return re.compile(r"(?<!\w)" + _GAP.join(words) + r"(?!\w)")


@cache
def default_rules() -> Rules:
    """The rules from config/sensitivity.yaml, read once."""
    with CONFIG.open(encoding="utf-8") as fh:
        return Rules(yaml.safe_load(fh))

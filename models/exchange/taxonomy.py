"""The category taxonomy (config/taxonomy.yaml) and matching free text to categories.

"snoeischaar", "heggescharen" and "tuin" must find the same neighbours, and "mijn lapop
doet raar" must still mean computer help. Matching works on folded words: equal word
stems (Snowball, Dutch and English) count fully, a known word inside a compound
("tuinslang" → tuin) counts a bit less, a typo within a small edit distance (rapidfuzz)
less again; a phrase of several words ("brief voorlezen") counts extra when all its words
are there. Words marked weak ("~maken") only tip the balance.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import snowballstemmer
import yaml
from rapidfuzz import fuzz, process

from models.core import Frozen, Language
from models.errors import InvalidInput
from models.text import fold

CONFIG = Path(__file__).resolve().parents[2] / "config" / "taxonomy.yaml"
OTHER = "other"

EXACT = 1.0
COMPOUND = 0.8
TYPO = 0.7
WEAK = 0.4
MIN_SCORE = 0.5
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "ik",
        "je",
        "jij",
        "u",
        "we",
        "wij",
        "ze",
        "zij",
        "hij",
        "mijn",
        "jouw",
        "zijn",
        "haar",
        "ons",
        "onze",
        "de",
        "het",
        "een",
        "en",
        "of",
        "naar",
        "met",
        "voor",
        "van",
        "aan",
        "op",
        "in",
        "uit",
        "bij",
        "om",
        "te",
        "is",
        "ben",
        "bent",
        "was",
        "kan",
        "kun",
        "kunt",
        "wil",
        "wilt",
        "zoek",
        "zoekt",
        "wie",
        "wat",
        "iemand",
        "hulp",
        "help",
        "helpen",
        "graag",
        "nodig",
        "doet",
        "raar",
        "heb",
        "hebt",
        "heeft",
        "mag",
        "even",
        "eens",
        "nog",
        "ook",
        "al",
        "niet",
        "wel",
        "dit",
        "dat",
        "die",
        "deze",
        "er",
        "hier",
        "daar",
        "morgen",
        "vandaag",
        "i",
        "me",
        "my",
        "you",
        "your",
        "a",
        "an",
        "the",
        "and",
        "or",
        "to",
        "with",
        "for",
        "of",
        "in",
        "on",
        "at",
        "is",
        "am",
        "are",
        "can",
        "could",
        "someone",
        "anyone",
        "need",
        "needs",
        "please",
        "would",
        "like",
        "some",
    ]
)


class EntryKind(StrEnum):
    """What kind of thing a register entry offers."""

    SKILL = "skill"
    TOOL = "tool"
    TRANSPORT = "transport"
    TIME = "time"


class UnknownCategory(InvalidInput):
    """A category id that is not in the taxonomy."""

    message_key = "exchange.errors.unknown_category"


class Category(Frozen):
    """One category: id, emoji, the usual kind of entry, a label per language."""

    id: str
    emoji: str
    kind: EntryKind
    labels: dict[str, str]
    professional: bool = False  # an unanswered request may be offered to the wijkteam

    def label(self, language: Language) -> str:
        """The label in a language (Dutch when missing)."""
        return self.labels.get(language) or self.labels["nl"]

    def title(self, language: Language) -> str:
        """Emoji and label, for buttons and cards."""
        return f"{self.emoji} {self.label(language)}"


class CategoryMatch(Frozen):
    """A category and how well a text fits it."""

    category: str
    score: float


@dataclass(frozen=True)
class _Term:
    category: str
    words: tuple[str, ...]
    stems: tuple[frozenset[str], ...]
    weight: float


_NL = snowballstemmer.stemmer("dutch")
_EN = snowballstemmer.stemmer("english")


def stems(word: str) -> frozenset[str]:
    """The word and its Dutch and English stems."""
    return frozenset({word, _NL.stemWord(word), _EN.stemWord(word)})


def words_of(text: str) -> list[str]:
    """Folded words of a text, without small function words."""
    return [w for w in _WORD.findall(fold(text)) if w not in _STOP and len(w) > 1]


def _typo_cutoff(word: str) -> float:
    if len(word) <= 5:
        return 88.0
    if len(word) <= 7:
        return 83.0
    return 80.0


class Taxonomy:
    """The categories and a matcher over their words."""

    def __init__(self, data: dict[str, Any]) -> None:
        categories: list[Category] = []
        terms: list[_Term] = []
        for category_id, spec in data.items():
            categories.append(
                Category(
                    id=category_id,
                    emoji=str(spec["emoji"]),
                    kind=EntryKind(spec["kind"]),
                    labels={k: str(v) for k, v in spec["label"].items()},
                    professional=bool(spec.get("professional", False)),
                )
            )
            raw_terms = [str(label) for label in spec["label"].values()]
            for language_words in (spec.get("words") or {}).values():
                raw_terms.extend(str(w) for w in language_words or [])
            for raw in raw_terms:
                weak = raw.startswith("~")
                words = tuple(_WORD.findall(fold(raw.removeprefix("~"))))
                if not words:
                    continue
                terms.append(
                    _Term(
                        category=category_id,
                        words=words,
                        stems=tuple(stems(w) for w in words),
                        weight=WEAK if weak else 1.0,
                    )
                )
        self.categories: tuple[Category, ...] = tuple(categories)
        self._by_id = {c.id: c for c in categories}
        self._phrases = [t for t in terms if len(t.words) > 1]
        self._by_stem: dict[str, list[tuple[str, float]]] = defaultdict(list)
        self._by_word: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for term in terms:
            if len(term.words) != 1:
                continue
            self._by_word[term.words[0]].append((term.category, term.weight))
            for stem in term.stems[0]:
                self._by_stem[stem].append((term.category, term.weight))
        self._vocabulary = sorted(self._by_word)
        self._compound_parts = sorted(
            (w for w in self._by_word if len(w) >= 4), key=len, reverse=True
        )

    def get(self, category_id: str) -> Category:
        """A category by id, or UnknownCategory."""
        category = self._by_id.get(category_id)
        if category is None:
            raise UnknownCategory()
        return category

    def ids(self) -> list[str]:
        """Every category id, in taxonomy order."""
        return [c.id for c in self.categories]

    def match(self, text: str) -> list[CategoryMatch]:
        """Categories that fit a text, best first (empty when nothing fits)."""
        tokens = words_of(text)
        candidates = list(tokens)
        candidates += [a + b for a, b in itertools.pairwise(tokens)]
        scores: dict[str, float] = defaultdict(float)
        for token in candidates:
            for category, score in self._token_scores(token).items():
                scores[category] += score
        token_stems = [stems(t) for t in tokens]
        for phrase in self._phrases:
            if all(any(s & ts for ts in token_stems) for s in phrase.stems):
                scores[phrase.category] += EXACT * phrase.weight
        ranked = [
            CategoryMatch(category=c, score=round(s, 3))
            for c, s in scores.items()
            if s >= MIN_SCORE and c != OTHER
        ]
        ranked.sort(key=lambda m: (-m.score, self.ids().index(m.category)))
        return ranked

    def best(self, text: str) -> Category | None:
        """The best fitting category, or None."""
        ranked = self.match(text)
        return self._by_id[ranked[0].category] if ranked else None

    def _token_scores(self, token: str) -> dict[str, float]:
        best: dict[str, float] = {}

        def offer(hits: list[tuple[str, float]], factor: float) -> None:
            for category, weight in hits:
                best[category] = max(best.get(category, 0.0), factor * weight)

        for stem in stems(token):
            offer(self._by_stem.get(stem, []), EXACT)
        if best:
            return best
        if len(token) >= 6:
            for part in self._compound_parts:
                if len(token) - len(part) >= 2 and (
                    token.startswith(part) or token.endswith(part)
                ):
                    offer(self._by_word[part], COMPOUND)
            if best:
                return best
        if len(token) >= 4:
            for word, similarity, _ in process.extract(
                token,
                self._vocabulary,
                scorer=fuzz.ratio,
                score_cutoff=_typo_cutoff(token),
                limit=3,
            ):
                offer(self._by_word[word], TYPO * similarity / 100)
        return best


@cache
def default_taxonomy() -> Taxonomy:
    """The taxonomy from config/taxonomy.yaml, read once."""
    with CONFIG.open(encoding="utf-8") as fh:
        return Taxonomy(yaml.safe_load(fh))


def text_similarity(query: str, text: str) -> float:
    """How well a search query fits an entry's own words (0..1), typo-tolerant."""
    query_words = words_of(query)
    text_words = words_of(text)
    if not query_words or not text_words:
        return 0.0
    total = 0.0
    text_stems = [stems(w) for w in text_words]
    for word in query_words:
        word_stems = stems(word)
        if any(word_stems & s for s in text_stems):
            total += 1.0
            continue
        hit = process.extractOne(
            word, text_words, scorer=fuzz.ratio, score_cutoff=_typo_cutoff(word)
        )
        if hit is not None:
            total += TYPO
        elif any(len(word) >= 4 and word in t for t in text_words):
            total += COMPOUND
    return total / len(query_words)

"""Figures of the detector on labelled sentences: per class, heavy recall, everyday precision."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from models.core import Frozen
from models.sensitivity.corpus import Example
from models.sensitivity.model import Level, Sensitivity

HEAVY = frozenset({Level.CRISIS, Level.PROFESSIONAL})


class ClassFigures(Frozen):
    """How one level fared: how many there were, found as such, and predicted as such."""

    level: Level
    support: int
    correct: int
    predicted: int

    @property
    def recall(self) -> float:
        """Share of this level's sentences given this level."""
        return self.correct / self.support if self.support else 1.0

    @property
    def precision(self) -> float:
        """Share of the sentences given this level that have it."""
        return self.correct / self.predicted if self.predicted else 1.0


class Figures(Frozen):
    """The whole picture on one set of sentences."""

    total: int
    classes: list[ClassFigures]
    crisis_missed: list[str]
    heavy_missed: list[str]
    heavy_recall: float
    crisis_numbers_shown: float
    everyday_posted: float
    everyday_precision: float
    everyday_blocked: list[str]

    def table(self) -> str:
        """A Markdown table, one row per level."""
        lines = ["| level | sentences | recall | precision |", "| --- | --- | --- | --- |"]
        lines.extend(
            f"| {c.level.value} | {c.support} | {c.recall:.1%} | {c.precision:.1%} |"
            for c in self.classes
        )
        return "\n".join(lines)


def evaluate(examples: Sequence[Example], assess: Callable[[str, str], Sensitivity]) -> Figures:
    """Run `assess` over every example and count (the texts of misses are for the developer)."""
    results = [(e, assess(e.text, e.language).level) for e in examples]
    classes = [
        ClassFigures(
            level=level,
            support=sum(1 for e, _ in results if e.level is level),
            correct=sum(1 for e, got in results if e.level is level and got is level),
            predicted=sum(1 for _, got in results if got is level),
        )
        for level in (Level.CRISIS, Level.PROFESSIONAL, Level.UNCERTAIN, Level.NONE)
    ]
    heavy = [(e, got) for e, got in results if e.level in HEAVY]
    crisis = [(e, got) for e, got in results if e.level is Level.CRISIS]
    everyday = [(e, got) for e, got in results if e.level is Level.NONE]
    posted = [(e, got) for e, got in results if got is Level.NONE]
    return Figures(
        total=len(results),
        classes=classes,
        crisis_missed=[e.text for e, got in crisis if got is not Level.CRISIS],
        heavy_missed=[e.text for e, got in heavy if got not in HEAVY],
        heavy_recall=sum(1 for _, got in heavy if got in HEAVY) / len(heavy) if heavy else 1.0,
        crisis_numbers_shown=(
            sum(1 for _, got in crisis if got is Level.CRISIS) / len(crisis) if crisis else 1.0
        ),
        everyday_posted=(
            sum(1 for _, got in everyday if got is Level.NONE) / len(everyday) if everyday else 1.0
        ),
        everyday_precision=(
            sum(1 for e, _ in posted if e.level is Level.NONE) / len(posted) if posted else 1.0
        ),
        everyday_blocked=[e.text for e, got in everyday if got is not Level.NONE],
    )

"""The labelled corpus the classifier learns from and is measured on (plain TSV in config)."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from models.core import Frozen
from models.sensitivity.model import Level, Theme

CORPUS_DIR = Path(__file__).resolve().parents[2] / "config" / "sensitivity_corpus"
HELD_OUT_EVERY = 5


class Example(Frozen):
    """One labelled sentence."""

    language: str
    level: Level
    theme: Theme | None
    text: str

    @property
    def held_out(self) -> bool:
        """The fixed split: decided by the text alone, so adding sentences moves nothing."""
        return zlib.crc32(self.text.encode("utf-8")) % HELD_OUT_EVERY == 0

    @property
    def label(self) -> str:
        """The classifier's class: level and theme together ("crisis:health", "none:-")."""
        return f"{self.level.value}:{self.theme.value if self.theme else '-'}"


def parse(language: str, lines: Sequence[str]) -> list[Example]:
    """Examples from TSV lines (level, theme, text); `#` comments and blank lines skipped."""
    examples = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) != 3:
            raise ValueError(f"{language}.tsv line {number}: expected 3 columns")
        level, theme, text = parts
        examples.append(
            Example(
                language=language,
                level=Level(level),
                theme=None if theme == "-" else Theme(theme),
                text=text.strip(),
            )
        )
    return examples


@cache
def load(directory: Path = CORPUS_DIR) -> tuple[Example, ...]:
    """Every sentence of every language, in file order."""
    examples: list[Example] = []
    for path in sorted(directory.glob("*.tsv")):
        with path.open(encoding="utf-8") as fh:
            examples.extend(parse(path.stem, fh.readlines()))
    return tuple(examples)


def training(directory: Path = CORPUS_DIR) -> list[Example]:
    """The part the classifier learns from."""
    return [e for e in load(directory) if not e.held_out]


def held_out(directory: Path = CORPUS_DIR) -> list[Example]:
    """The part it never sees: what the benchmark and the unit test measure."""
    return [e for e in load(directory) if e.held_out]

"""The detector on the held-out part of the corpus: the promise of PRODUCT.md §1.7 in figures.

Fails when any held-out crisis text is missed, when heavy recall (crisis + professional
given a heavy level) falls under 98 %, or when fewer than 95 % of what would be posted is
really everyday. Run with `-s` to see the per-class table. Speed is measured in
benchmarks/bench_sensitivity.py, not asserted here (docs/BENCHMARKS.md).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from models.sensitivity import Detector, Level, default_detector
from models.sensitivity.classifier import Classifier, default_classifier
from models.sensitivity.corpus import Example, held_out, load, parse, training
from models.sensitivity.evaluate import evaluate


def test_the_corpus_is_big_enough_and_labelled() -> None:
    examples = load()
    languages = Counter(e.language for e in examples)
    assert languages["nl"] >= 500
    assert languages["en"] >= 150
    assert len({e.text for e in examples}) == len(examples), "a sentence appears twice"
    for example in examples:
        assert (example.theme is None) == (example.level is Level.NONE), example.text
    held = held_out()
    assert 0.15 < len(held) / len(examples) < 0.25
    assert {e.level for e in held} == set(Level)
    assert not {e.text for e in held} & {e.text for e in training()}


def test_held_out_figures() -> None:
    figures = evaluate(held_out(), default_detector().assess)
    summary = (
        f"heavy recall {figures.heavy_recall:.1%},"
        f" crisis numbers {figures.crisis_numbers_shown:.1%},"
        f" everyday posted {figures.everyday_posted:.1%},"
        f" everyday precision {figures.everyday_precision:.1%}"
    )
    print(f"\n{figures.table()}\n{summary}")  # noqa: T201 - the per-class figures, with -s
    assert figures.crisis_missed == []
    assert figures.heavy_recall >= 0.98, figures.heavy_missed
    assert figures.everyday_precision >= 0.95
    assert figures.everyday_posted >= 0.95, figures.everyday_blocked


def test_training_is_deterministic_and_matches_scikit_learn() -> None:
    again = Classifier(training())
    first = default_classifier()
    for example in held_out()[:40]:
        assert again.probabilities(example.text) == first.probabilities(example.text)
        ours = first.probabilities(example.text)
        theirs = first.sklearn_probabilities(example.text)
        assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) < 1e-9


def test_the_split_is_fixed_by_the_text() -> None:
    one = Example(language="nl", level=Level.NONE, theme=None, text="wie kan mijn heg snoeien")
    assert one.held_out == Example.model_validate(one.model_dump()).held_out
    assert [e.held_out for e in parse("nl", ["none\t-\twie kan mijn heg snoeien"])] == [
        one.held_out
    ]


def test_a_detector_breaks_the_gate() -> None:
    # The gate really gates: a detector that knows only the phrase list fails it.
    detector = default_detector()
    phrases_only = Detector(detector.rules, detector.patterns, None)
    figures = evaluate(held_out(), phrases_only.rules.assess)
    assert figures.crisis_missed
    assert figures.heavy_recall < 0.98


def test_corpus_files_are_plain_tsv() -> None:
    for path in sorted(
        (Path(__file__).parents[2] / "config" / "sensitivity_corpus").glob("*.tsv")
    ):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line and not line.startswith("#"):
                assert line.count("\t") == 2, f"{path.name}:{number}"

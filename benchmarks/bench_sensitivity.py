"""Sensitivity detection on the held-out part of the corpus, and what it costs per text.

Baseline: the phrase list of config/sensitivity.yaml alone (what the bot did before issue
12). Patchwork: the detector (phrase list, stem-aware patterns and the classifier,
combined conservatively). Figures per class on the held-out sentences, then the time to
build the detector once (import and training) and per text (median and 99th percentile
over every corpus sentence, one core).
"""

from __future__ import annotations

import statistics
import time

from models.sensitivity.corpus import held_out, load


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


async def main() -> None:
    """Print the figures (Markdown, ready for docs/BENCHMARKS.md)."""
    started = time.perf_counter()
    # Imported here, so the time to build includes importing scikit-learn.
    from models.sensitivity import default_detector
    from models.sensitivity.evaluate import evaluate
    from models.sensitivity.phrases import default_rules

    detector = default_detector()
    built = time.perf_counter() - started
    examples = held_out()
    for name, assess in (
        ("phrase list only (before)", default_rules().assess),
        ("detector (now)", detector.assess),
    ):
        figures = evaluate(examples, assess)
        print(f"### {name}: {figures.total} held-out sentences")
        print(figures.table())
        print(
            f"\nheavy withheld {figures.heavy_recall:.1%} · crisis numbers shown "
            f"{figures.crisis_numbers_shown:.1%} · everyday posted {figures.everyday_posted:.1%}"
            f" · everyday precision {figures.everyday_precision:.1%}\n"
        )
    timings = []
    for example in load():
        one = time.perf_counter()
        detector.assess(example.text, example.language)
        timings.append(time.perf_counter() - one)
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(f"detector built (import + training) in {built:.2f} s")
    print(
        f"per text over {len(timings)} sentences: median {_ms(statistics.median(timings))},"
        f" p99 {_ms(p99)}, max {_ms(timings[-1])}"
    )

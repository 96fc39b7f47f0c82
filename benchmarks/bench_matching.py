"""Category matching ("snoeischaar" → tools/garden), with and without typo tolerance.

Baseline: exact lookup of each folded word in the taxonomy's vocabulary (what a plain
keyword list would do). Patchwork: `Taxonomy.match` — stems, compounds, phrases and
rapidfuzz typo tolerance. Both run over the 56 example phrases of the unit tests; the
ratio is the cost of understanding typos and word forms, and the hit rate shows what
that cost buys.
"""

from __future__ import annotations

import time

from models.exchange.taxonomy import Taxonomy, default_taxonomy, words_of
from tests.unit.test_exchange_taxonomy import PHRASES

ROUNDS = 200


def _exact(taxonomy: Taxonomy, text: str) -> set[str]:
    found: set[str] = set()
    for word in words_of(text):
        found |= {category for category, _ in taxonomy._by_word.get(word, [])}
    return found


def _timed(fn: object) -> float:
    started = time.perf_counter()
    for _ in range(ROUNDS):
        for text, _ in PHRASES:
            fn(text)  # type: ignore[operator]
    return (time.perf_counter() - started) / (ROUNDS * len(PHRASES))


async def main() -> None:
    """Time both matchers and count how many phrases each gets right."""
    taxonomy = default_taxonomy()
    base = _timed(lambda text: _exact(taxonomy, text))
    ours = _timed(taxonomy.match)
    base_hits = sum(bool(_exact(taxonomy, t) & expected) for t, expected in PHRASES)
    our_hits = sum(
        bool({m.category for m in taxonomy.match(t)[:1]} & expected) for t, expected in PHRASES
    )
    n = len(PHRASES)
    print(f"{n} example phrases, {ROUNDS} rounds")
    print(f"baseline (exact words):    {base * 1e6:8.1f} µs per phrase, right {base_hits}/{n}")
    print(f"patchwork (Taxonomy.match): {ours * 1e6:7.1f} µs per phrase, right {our_hits}/{n}")
    print(f"ratio patchwork/baseline: {ours / base:.1f}")

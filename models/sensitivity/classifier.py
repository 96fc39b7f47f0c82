"""The statistical signal: a linear model over word and character n-grams of the corpus.

Trained with scikit-learn from `config/sensitivity_corpus/*.tsv` (the training part only)
the first time it is needed, deterministically: same corpus, same model, nothing to keep
in sync. It happens once per process (the bot starts it in the background at start, see
`models.sensitivity.warm_up`). After training, the weights are copied into plain
dictionaries, so scoring one text is a few dictionary look-ups (well under a millisecond
on one core), without scikit-learn's per-call overhead and without network.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from models.core import Frozen
from models.sensitivity.corpus import CORPUS_DIR, Example, training
from models.sensitivity.model import Level, Theme
from models.text import fold

_NON_WORD = re.compile(r"[^\w']+")


def normalise(text: str) -> str:
    """What the model reads: folded case and accents, words separated by single spaces."""
    return _NON_WORD.sub(" ", fold(text.replace("\u2019", "'"))).strip()


class Scores(Frozen):
    """The classifier's view of a text: probability per level and the likeliest theme."""

    crisis: float
    professional: float
    uncertain: float
    theme: dict[Level, Theme | None]

    @property
    def heavy(self) -> float:
        """Probability that neighbours should not carry this (crisis or professional)."""
        return self.crisis + self.professional


class _Block:
    """One TF-IDF vectoriser as plain data: its analyser and gram → (idf, weight row)."""

    def __init__(
        self, analyse: Callable[[str], list[str]], features: dict[str, tuple[float, int]]
    ):
        self.analyse = analyse
        self.features = features

    def rows(self, text: str) -> tuple[list[int], list[float]]:
        """Weight rows and their values for a text (sublinear tf times idf, L2-normalised)."""
        rows, values = [], []
        for gram, count in Counter(self.analyse(text)).items():
            feature = self.features.get(gram)
            if feature is not None:
                rows.append(feature[1])
                values.append((1.0 + math.log(count)) * feature[0])
        norm = math.sqrt(sum(v * v for v in values)) or 1.0
        return rows, [v / norm for v in values]


class Classifier:
    """Logistic regression over TF-IDF word (1-2) and character (2-5) n-grams."""

    def __init__(self, examples: Sequence[Example]) -> None:
        # Imported here: only training needs scikit-learn (and its import takes a while).
        from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415
        from sklearn.linear_model import LogisticRegression  # noqa: PLC0415
        from sklearn.pipeline import FeatureUnion  # noqa: PLC0415
        from threadpoolctl import threadpool_limits  # noqa: PLC0415

        vectorisers = [
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        ]
        union = FeatureUnion([("words", vectorisers[0]), ("chars", vectorisers[1])])
        texts = [normalise(e.text) for e in examples]
        model = LogisticRegression(C=20.0, max_iter=5000, random_state=0)
        # One thread: as fast here (the matrices are small) and kind to a shared machine.
        with threadpool_limits(limits=1):
            matrix = union.fit_transform(texts)
            model.fit(matrix, [e.label for e in examples])
        self._sklearn = (union, model)
        self._labels: list[tuple[Level, Theme | None]] = []
        for label in model.classes_:
            level, theme = str(label).split(":")
            self._labels.append((Level(level), None if theme == "-" else Theme(theme)))
        self._bias: NDArray[np.float64] = np.asarray(model.intercept_, dtype=np.float64)
        self._weights: NDArray[np.float64] = np.ascontiguousarray(model.coef_.T)
        self._blocks = []
        offset = 0
        for vectoriser in vectorisers:
            idf = vectoriser.idf_
            features = {
                gram: (float(idf[index]), offset + int(index))
                for gram, index in vectoriser.vocabulary_.items()
            }
            self._blocks.append(_Block(vectoriser.build_analyzer(), features))
            offset += len(vectoriser.vocabulary_)

    def probabilities(self, text: str) -> list[float]:
        """Softmax over the classes (the same numbers scikit-learn's predict_proba gives)."""
        normalised = normalise(text)
        rows: list[int] = []
        values: list[float] = []
        for block in self._blocks:
            block_rows, block_values = block.rows(normalised)
            rows.extend(block_rows)
            values.extend(block_values)
        totals = self._bias + np.asarray(values) @ self._weights[rows]
        exps = np.exp(totals - totals.max())
        return [float(e) for e in exps / exps.sum()]

    def sklearn_probabilities(self, text: str) -> list[float]:
        """The same through scikit-learn (tests check the two agree)."""
        union, model = self._sklearn
        return [float(p) for p in model.predict_proba(union.transform([normalise(text)]))[0]]

    def scores(self, text: str) -> Scores:
        """Probabilities per level (summed over themes) and the likeliest theme of each."""
        per_level = dict.fromkeys(Level, 0.0)
        best: dict[Level, tuple[float, Theme | None]] = {}
        for (level, theme), p in zip(self._labels, self.probabilities(text), strict=True):
            per_level[level] += p
            if level not in best or p > best[level][0]:
                best[level] = (p, theme)
        return Scores(
            crisis=per_level[Level.CRISIS],
            professional=per_level[Level.PROFESSIONAL],
            uncertain=per_level[Level.UNCERTAIN],
            theme={level: found[1] for level, found in best.items()},
        )


_lock = threading.Lock()
_trained: dict[Path, Classifier] = {}


def default_classifier(directory: Path = CORPUS_DIR) -> Classifier:
    """The classifier trained on the committed corpus, once per process (thread-safe)."""
    with _lock:
        if directory not in _trained:
            _trained[directory] = Classifier(training(directory))
        return _trained[directory]

"""Is a text too heavy for neighbours? Three signals, combined conservatively.

A request about debts, a bailiff, eviction, violence, threats or suicide must not be
posted in the street group; the person is offered a professional instead, and where life
or safety is at stake the crisis numbers are shown at once. The signals:

- the phrase list of `config/sensitivity.yaml` (`phrases.py`): exact words, per language;
- stem-aware patterns per theme (`patterns.py`): inflection, past tense, separable verbs,
  compounds, indirect ways of speaking, everyday look-alikes removed first;
- a linear text classifier trained on the labelled corpus in `config/sensitivity_corpus/`
  (`classifier.py`).

Any crisis signal wins; then any professional one; a text that only some signal finds
doubtful is `uncertain` (the resident is asked before anything is posted). The result
holds the level and the theme, never the text. See docs/ESCALATION.md.
"""

from __future__ import annotations

import threading

from models.sensitivity.classifier import Classifier, Scores, default_classifier, normalise
from models.sensitivity.model import (
    Level,
    NeedsCheck,
    Sensitivity,
    Theme,
    TooHeavyForNeighbours,
    require_for_neighbours,
)
from models.sensitivity.patterns import Patterns, default_patterns
from models.sensitivity.phrases import Rules, default_rules

__all__ = [
    "Detector",
    "Level",
    "NeedsCheck",
    "Rules",
    "Sensitivity",
    "Theme",
    "TooHeavyForNeighbours",
    "assess_sensitivity",
    "default_detector",
    "require_for_neighbours",
    "warm_up",
]

# Classifier thresholds (docs/ESCALATION.md), chosen by five-fold cross-validation on the
# training part and a probe of everyday texts the corpus does not hold (the bot's own
# messages): low on purpose, since a missed crisis costs far more than a kind question.
CRISIS_AT = 0.50  # crisis on its own
CRISIS_HEAVY_AT = (0.30, 0.60)  # or crisis-leaning and clearly heavy
HEAVY_AT = 0.50
# A crisis-leaning text below those, or a mostly doubtful one, is asked about.
CRISIS_DOUBT_AT = 0.30
UNCERTAIN_AT = 0.80
# Under this many words the classifier has too little to go on ("ja hoor", "tot morgen"):
# only the phrase list and the patterns speak ("ik wil dood", "hij slaat me").
CLASSIFIER_MIN_WORDS = 4


class Detector:
    """The phrase list, the patterns and the classifier, combined conservatively."""

    def __init__(self, rules: Rules, patterns: Patterns, classifier: Classifier | None) -> None:
        self.rules = rules
        self.patterns = patterns
        self.classifier = classifier

    def assess(self, text: str, language: str) -> Sensitivity:
        """The level and theme of a text; the heaviest signal wins."""
        if not text.strip():
            return Sensitivity()
        normalised = normalise(text)
        signals = [self.rules.assess(text, language), self.patterns.assess(normalised)]
        if self.classifier is not None and len(normalised.split()) >= CLASSIFIER_MIN_WORDS:
            signals.append(_from_scores(self.classifier.scores(text)))
        best = max(signals, key=lambda s: s.level.rank)
        if best.level is Level.NONE:
            return Sensitivity()
        # The theme of the first signal at that level (phrases, then patterns, then model).
        return next(s for s in signals if s.level is best.level)


def _from_scores(scores: Scores) -> Sensitivity:
    crisis_at, heavy_at = CRISIS_HEAVY_AT
    if scores.crisis >= CRISIS_AT or (scores.crisis >= crisis_at and scores.heavy >= heavy_at):
        level = Level.CRISIS
    elif scores.heavy >= HEAVY_AT:
        level = Level.PROFESSIONAL
    elif scores.crisis >= CRISIS_DOUBT_AT:
        # Crisis-leaning but unsure: asked, with the crisis numbers first (see screen.py).
        return Sensitivity(
            level=Level.UNCERTAIN,
            theme=scores.theme.get(Level.CRISIS) or Theme.OTHER,
            leans_crisis=True,
        )
    elif scores.heavy + scores.uncertain >= UNCERTAIN_AT:
        level = Level.UNCERTAIN
    else:
        return Sensitivity()
    return Sensitivity(level=level, theme=scores.theme.get(level) or Theme.OTHER)


_lock = threading.Lock()
_detector: list[Detector] = []


def default_detector() -> Detector:
    """The detector over the committed lists and corpus, built once per process."""
    with _lock:
        if not _detector:
            _detector.append(Detector(default_rules(), default_patterns(), default_classifier()))
        return _detector[0]


def warm_up() -> None:
    """Build the detector now (training takes a second or two), not on the first text."""
    default_detector()


def assess_sensitivity(text: str, language: str, rules: Rules | None = None) -> Sensitivity:
    """Level (none / uncertain / professional / crisis) and theme of a text.

    With `rules`, only that phrase list is used (tests of the list itself).
    """
    if rules is not None:
        return rules.assess(text, language)
    return default_detector().assess(text, language)

"""Impact figures from facts: what the words say is what is counted."""

from __future__ import annotations

from models.impact.ports import FeedbackFact
from models.impact.service import street_figures


def test_only_the_one_who_was_helped_counts_as_helped() -> None:
    feedback = [
        FeedbackFact(street_id=1, helped="yes", knew_before=False),
        FeedbackFact(street_id=1, helped="yes", knew_before=False, helper=True),  # went well
        FeedbackFact(street_id=1, helped="no", knew_before=True),
    ]
    figures = street_figures(1, "Lindelaan", [], 0, 0, feedback)
    assert figures.feedback == 3
    assert figures.helped == 1
    assert figures.met_someone_new == 2

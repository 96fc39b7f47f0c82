"""End to end: where a flow's next question appears (handlers/flows.py).

A flow's own button answers in place: the pressed question turns into the next one. After
a screening question ("Haal mijn nummer eruit"), that question keeps its answer, and the
flow goes on under it in a new message.
"""

from __future__ import annotations

from bot.sandbox.harness import Harness
from tests.e2e.exchange_helpers import xbot
from tests.e2e.helpers import street_group
from tests.e2e.rides_steps import neighbour, open_rides, say, tap

__all__ = ["xbot"]

REMOVE = "✂️ Haal mijn nummer eruit (buren bereiken je via de bot)"


async def test_the_wizard_answers_in_place_and_goes_on_under_a_screening_answer(
    xbot: Harness,
) -> None:
    group, _, street = await street_group(xbot)
    joost = await neighbour(xbot, group, street, "Joost")
    chat = joost.private
    page = await open_rides(xbot, joost)
    await tap(xbot, joost, page, "🚙 Ik rijd")
    day_question = chat.last
    await tap(xbot, joost, day_question, "Morgen")
    assert chat.last is day_question  # the same message, now asking the time
    assert "Hoe laat vertrek je" in (day_question.text or "")
    await tap(xbot, joost, chat.last, "10:00")
    await say(xbot, joost, "markt Oost")
    await tap(xbot, joost, chat.last, "3")
    await tap(xbot, joost, chat.last, chat.last.buttons[1])  # a meeting point
    await say(xbot, joost, "bij de kerk, of app 0612345678")
    question = chat.last
    await tap(xbot, joost, question, REMOVE)
    assert "ik heb het eruit gehaald" in (question.text or "")
    assert chat.last is not question
    assert "Hoe laat ben je ongeveer terug?" in (chat.last.text or "")


async def test_stopping_the_wizard_replaces_its_question(xbot: Harness) -> None:
    group, _, street = await street_group(xbot)
    joost = await neighbour(xbot, group, street, "Joost")
    page = await open_rides(xbot, joost)
    await tap(xbot, joost, page, "🚙 Ik rijd")
    question = joost.private.last
    await tap(xbot, joost, question, "✖️ Stoppen")
    assert "ik plaats niets" in (question.text or "")
    assert question.buttons == ["⬅️ Alle ritten"]

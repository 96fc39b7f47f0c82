"""After a grocery ride, each passenger who went gets the exchange's two feedback questions.

The driver first has a few hours to say who was not there (no-shows are not asked); a
neighbour without Telegram is not asked, and neither is her coordinator. The answers are
stored with the exchange's feedback, so the impact report counts them.
"""

from __future__ import annotations

from datetime import datetime

from bot.sandbox.harness import Harness
from models.clock import FakeClock
from tests.conftest import AMSTERDAM
from tests.e2e.helpers import street_group
from tests.e2e.rides_steps import make_coordinator, neighbour, publish, tap, user_of

QUESTION = "Heeft dit geholpen?"


async def test_passengers_who_went_answer_the_two_questions(
    bot: Harness, clock: FakeClock
) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    anna = await neighbour(bot, group, street, "Anna")
    bram = await neighbour(bot, group, street, "Bram")
    gijs = await neighbour(bot, group, street, "Gijs")
    await publish(bot, joost, seats="3")  # tomorrow, Tuesday 1 December, 10:00 → 11:30
    card = group.find("Boodschappenrit naar")
    await tap(bot, anna, card, "🙋 Ik rij mee")
    await tap(bot, bram, card, "🙋 Ik rij mee")
    # Truus has no Telegram: Gijs, coordinator, registered her and booked her seat.
    await make_coordinator(bot, street, gijs)
    truus = await bot.services.coordinators.register_proxy(
        user_of(gijs), street.id, "Truus", "7", "06 12345678"
    )
    ride_id = int((card.button_data("🙋 Ik rij mee") or "").split(":")[1])
    await bot.services.coordinators.book_for(user_of(gijs), ride_id, truus.resident_id)

    clock.set(datetime(2026, 12, 1, 12, 31, tzinfo=AMSTERDAM))  # the ride is over
    await bot.tick()
    wrap = joost.private.find("Dank je wel voor het rijden, Joost!")
    await tap(bot, joost, wrap, "🚫 Bram was er niet")
    await tap(bot, joost, wrap, "✅ Klaar")
    assert not any(QUESTION in text for text in anna.private.texts())  # not yet

    clock.set(datetime(2026, 12, 1, 15, 31, tzinfo=AMSTERDAM))  # three hours later
    await bot.tick()
    question = anna.private.find(QUESTION)
    assert (question.text or "").startswith(
        "🚗 Je reed dinsdag 1 december mee naar AH Amsterdamstraat met Joost."
    )
    assert question.buttons == ["Ja", "Een beetje", "Nee"]
    for nobody in (bram, gijs, joost):
        assert not any(QUESTION in text for text in nobody.private.texts())

    await tap(bot, anna, question, "Ja")
    assert "Kende je Joost al?" in (question.text or "")
    await tap(bot, anna, question, "Nee")
    assert "Zo laten we zien wat buren voor elkaar doen" in (question.text or "")

    # Another sweep asks nothing twice; a made-up press by Bram changes nothing.
    before = len(anna.private.bot_messages)
    clock.set(datetime(2026, 12, 1, 18, 0, tzinfo=AMSTERDAM))
    await bot.tick()
    assert len(anna.private.bot_messages) == before
    query = bram.press(bram.private.last, data=f"xg:h:{ride_id}:yes")
    await bot.settle()
    assert "Deze vraag is niet voor jou" in (bot.fake.toast(query) or {})["text"]

    summary = await bot.services.exchange.after.feedback_summary(
        [street.id],
        datetime(2026, 12, 1, tzinfo=AMSTERDAM),
        datetime(2026, 12, 2, tzinfo=AMSTERDAM),
    )
    assert summary.model_dump() == {
        "answers": 1,
        "helped": {"yes": 1},
        "knew_before": 0,
        "new_connections": 1,
        "rides": 1,
    }

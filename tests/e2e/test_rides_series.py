"""A weekly ride: generated 14 days ahead, one week skipped, then stopped."""

from __future__ import annotations

from datetime import timedelta

from bot.sandbox.harness import Harness
from models.clock import FakeClock
from tests.e2e.helpers import street_group
from tests.e2e.rides_steps import neighbour, open_rides, publish, tap


async def test_weekly_ride_generate_skip_stop(bot: Harness, clock: FakeClock) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    anna = await neighbour(bot, group, street, "Anna")
    # Monday 30 November: every Tuesday at 10:00, from tomorrow.
    done = await publish(bot, joost, weekly=True)
    assert "Nu zijn dat er 2." in (done.text or "")
    cards = [m for m in group.bot_messages if "Boodschappenrit naar" in (m.text or "")]
    assert ["dinsdag 1 december" in (c.text or "") for c in cards] == [True, False]
    assert "dinsdag 8 december" in (cards[1].text or "")
    assert all("🔁 Elke dinsdag" in (c.text or "") for c in cards)

    # Anna books the second week; Joost skips exactly that week.
    await tap(bot, anna, cards[1], "🙋 Ik rij mee")
    page = await open_rides(bot, joost)
    await tap(bot, joost, page, next(b for b in page.buttons if "di 8 dec" in b))
    await tap(bot, joost, joost.private.last, "⏭ Deze keer overslaan")
    await tap(bot, joost, joost.private.last, "⏭ Ja, deze keer overslaan")
    assert "De week erna staat je rit er gewoon weer" in (joost.private.last.text or "")
    assert "Helaas, de rit gaat niet door." in (anna.private.last.text or "")
    assert "Deze rit gaat niet door." in (cards[1].text or "")
    assert "Nog 2 plekken vrij" in (cards[0].text or "")

    # A week later the sweep adds 15 December; the skipped date does not come back.
    clock.advance(timedelta(days=7))
    await bot.tick()
    await bot.tick()
    cards = [m for m in group.bot_messages if "Boodschappenrit naar" in (m.text or "")]
    assert len(cards) == 3
    assert "dinsdag 15 december" in (cards[2].text or "")
    assert "Deze rit is geweest." in (cards[0].text or "")

    # Joost stops: the published dates to come are cancelled, no new ones appear.
    page = await open_rides(bot, joost)
    await tap(bot, joost, page, next(b for b in page.buttons if "di 15 dec" in b))
    await tap(bot, joost, joost.private.last, "⏹ Stoppen met elke week")
    assert "di 15 dec" in (joost.private.last.text or "")
    await tap(bot, joost, joost.private.last, "⏹ Ja, stoppen")
    assert "1 rit is afgezegd" in (joost.private.last.text or "")
    assert "Deze rit gaat niet door." in (cards[2].text or "")
    clock.advance(timedelta(days=14))
    await bot.tick()
    cards = [m for m in group.bot_messages if "Boodschappenrit naar" in (m.text or "")]
    assert len(cards) == 3

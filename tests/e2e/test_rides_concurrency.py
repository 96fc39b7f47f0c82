"""Two neighbours tap "Ik rij mee" for the last seat at the same moment: one seat, one booking."""

from __future__ import annotations

import sqlalchemy as sa

from bot.sandbox.fake_telegram import FakeUser
from bot.sandbox.harness import Harness
from bot.storage.tables import rides as rt
from tests.e2e.helpers import street_group
from tests.e2e.rides_steps import neighbour, open_rides, publish, tap


async def _seats(bot: Harness) -> tuple[int, int]:
    async with bot.services.db.read() as tx:
        counter = (await tx.conn.execute(sa.select(rt.rides.c.booked))).scalar_one()
        rows = (
            await tx.conn.execute(
                sa.select(sa.func.count()).where(rt.ride_bookings.c.status == "booked")
            )
        ).scalar_one()
    return int(counter), int(rows)


def _booked(user: FakeUser) -> bool:
    return any("Gelukt! Je rijdt mee." in t for t in user.private.texts())


async def test_last_seat_pressed_at_once_in_private_chats(bot: Harness) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    anna = await neighbour(bot, group, street, "Anna")
    bram = await neighbour(bot, group, street, "Bram")
    await publish(bot, joost, seats="1")
    views = []
    for user in (anna, bram):
        page = await open_rides(bot, user)
        await tap(bot, user, page, next(b for b in page.buttons if "AH Amsterdamstraat" in b))
        views.append(user.private.with_button("🙋 Ik rij mee"))
    # Both press before the bot has seen either press (different chats run in parallel).
    anna.press(views[0], "🙋 Ik rij mee")
    bram.press(views[1], "🙋 Ik rij mee")
    await bot.settle()
    assert [_booked(anna), _booked(bram)].count(True) == 1
    loser = bram if _booked(anna) else anna
    assert "Deze rit is net vol. Wil je op de wachtlijst?" in (loser.private.last.text or "")
    assert "📝 Zet me op de wachtlijst" in loser.private.last.buttons
    assert await _seats(bot) == (1, 1)


async def test_last_seat_pressed_at_once_on_the_group_card(bot: Harness) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    people = [await neighbour(bot, group, street, n) for n in ("Anna", "Bram", "Cor")]
    await publish(bot, joost, seats="2")
    card = group.find("Boodschappenrit naar")
    queries = [user.press(card, "🙋 Ik rij mee") for user in people]
    await bot.settle()
    assert sum(_booked(u) for u in people) == 2
    toasts = [(bot.fake.toast(q) or {}).get("text", "") for q in queries]
    assert sum("De rit is net vol" in t for t in toasts) == 1
    assert await _seats(bot) == (2, 2)
    assert (card.text or "").endswith("🪑 Vol.")

"""Data rights in the digest and the Bloemetje: the private copy and the nominations are
exported; forgetting removes them, also from an announcement that was still waiting to
be sent, while the neighbour she named still gets their flower."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.sandbox.fake_telegram import FakeUser
from bot.sandbox.harness import Harness
from models.clock import FakeClock
from models.core import Street
from tests.conftest import AMSTERDAM
from tests.e2e.digest_helpers import digests
from tests.e2e.helpers import resident, street_group
from tests.e2e.privacy_helpers import count, forget, leftovers, my_data
from tests.e2e.rides_steps import user_of

ANNOUNCED = "verdienen een bloemetje"


async def _nominate(bot: Harness, who: FakeUser, street: Street, name: str, why: str) -> None:
    who.start_bot(f"bl{street.id}")
    await bot.settle()
    who.press(who.private.with_button(name), name)
    await bot.settle()
    who.press(who.private.with_button("✏️ Zeg waarom"), "✏️ Zeg waarom")
    await bot.settle()
    who.send(why)
    await bot.settle()


async def _agree(bot: Harness, nominee: FakeUser) -> None:
    nominee.press(nominee.private.find("Goed nieuws!"), "✅ Ja, dat is goed")
    await bot.settle()


async def test_digest_and_bloemetje_exported_then_forgotten(
    bot: Harness, clock: FakeClock
) -> None:
    group, _, street = await street_group(bot)
    wil = await resident(bot, street, "Wilhelmina")
    bram = await resident(bot, street, "Bram")
    carla = await resident(bot, street, "Carla")
    await bot.services.digest.set_private_copy(user_of(wil), True)

    clock.set(datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM))
    await bot.tick()
    await _nominate(bot, wil, street, "Bram", "Altijd behulpzaam-B8")
    await _nominate(bot, carla, street, "Wilhelmina", "Zorgt voor iedereen-C9")
    await _agree(bot, bram)
    await _agree(bot, wil)

    text, data = await my_data(bot, wil)
    assert "Weekoverzicht en Bloemetje" in text
    assert "Je krijgt het weekoverzicht ook zelf." in text
    assert "Bloemetje van december 2026 (Zonnebloemstraat): jij noemde Bram." in text
    assert "Altijd behulpzaam-B8" in text
    assert "Bloemetje van december 2026 (Zonnebloemstraat): een buur noemde jou." in text
    assert "Zorgt voor iedereen-C9" in text
    assert "mag je naam in de groep? ja" in text
    assert "Carla" not in text  # who named her stays private, as in the group
    kinds = [r["what"] for r in data["sections"]["digest"]]
    assert sorted(kinds) == sorted(
        ["digest_copy", "nomination_made", "nomination_received", "bloemetje_answer"]
    )

    # The 8th: the announcement naming both cannot go out yet (Telegram has a hiccup).
    clock.set(datetime(2026, 12, 8, 10, 0, tzinfo=AMSTERDAM))
    bot.fake.fail("server", method="sendMessage", chat_id=group.id)
    await bot.tick()
    assert not any(ANNOUNCED in t for t in group.texts())
    waiting = (
        "SELECT count(*) FROM outbox WHERE kind = 'bloemetje.announce' "
        "AND status = 'pending' AND payload LIKE '%Wilhelmina%' AND payload LIKE '%Bram%'"
    )
    assert await count(bot, waiting) == 1

    await forget(bot, wil)

    clock.advance(timedelta(seconds=5))
    await bot.tick()
    (announcement,) = [t for t in group.texts() if ANNOUNCED in t]
    assert "Deze maand verdienen een bloemetje: Bram." in announcement
    assert "Wilhelmina" not in announcement

    traces = ["Wilhelmina", "behulpzaam-B8", "iedereen-C9"]
    assert await leftovers(bot, traces, exact=[str(wil.id)]) == []
    assert await count(bot, "SELECT count(*) FROM digest_readers") == 0
    assert await count(bot, "SELECT count(*) FROM bloemetje_nominations") == 1
    assert await count(bot, "SELECT count(*) FROM bloemetje_consents") == 1

    # The Sunday digest names Bram only.
    clock.set(datetime(2026, 12, 13, 17, 0, tzinfo=AMSTERDAM))
    await bot.tick()
    (digest,) = digests(group)
    assert "• Bram" in (digest.text or "")
    assert "Wilhelmina" not in (digest.text or "")

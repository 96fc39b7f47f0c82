"""Data rights in the help exchange: everything exported, then forgotten in one go, while
the counts of the impact report and of the neighbours' own help stay right."""

from __future__ import annotations

from datetime import timedelta

from bot.sandbox.harness import Harness
from models.exchange.model import HelpfulAnswer
from tests.e2e.exchange_helpers import channel_user, neighbours, quick_entry, quick_request, xbot
from tests.e2e.privacy_helpers import ISO_TIME, count, forget, leftovers, my_data

__all__ = ["xbot"]

TRACES = [
    "Wilhelmina",
    "kwastje-K4",
    "zolderluik-7Q",
    "fietsband-X9",
    "dakgoot-P5",
    "fietsband-Z3",
    "wil-tg-handle-M2",
]
COUNTS = {
    "requests": "SELECT count(*) FROM exchange_requests",
    "done": "SELECT count(*) FROM exchange_requests WHERE status = 'done'",
    "helped": "SELECT count(*) FROM exchange_conversations WHERE helped_at IS NOT NULL",
    "thanks": "SELECT count(*) FROM exchange_thanks",
    "feedback": "SELECT count(*) FROM exchange_feedback WHERE answered_at IS NOT NULL",
    "entries": "SELECT count(*) FROM exchange_entries",
}


async def test_exchange_data_exported_then_forgotten(xbot: Harness) -> None:
    bot = xbot
    group, street, (wil, bram, carla) = await neighbours(bot, "Wilhelmina", "Bram", "Carla")
    x = bot.services.exchange
    me, carla_user = channel_user(wil), channel_user(carla)

    await quick_entry(bot, wil, "breien voor beginners, kwastje-K4", "company")
    # An open request that Bram is helping with right now.
    await quick_request(bot, wil, "Wie helpt met mijn zolderluik-7Q?", "household")
    card = group.find("zolderluik-7Q")
    bram.press(card, "🤝 Ik help")
    await bot.settle()
    # Wilhelmina helped Carla; they shared contact details; Carla thanked her in the group.
    ladder = await quick_request(bot, carla, "Carla zoekt een ladder voor de goot", "tools")
    helped_carla = await x.requests.help(me, ladder.id)
    await x.relay.share_contact(me, helped_carla.id, "wil-tg-handle-M2")
    await x.relay.share_contact(carla_user, helped_carla.id, None)
    await x.requests.done(carla_user, ladder.id)
    await x.after.thank(carla_user, helped_carla.id, "Dank je, dakgoot-P5 is schoon!", public=True)
    await x.after.answer(me, helped_carla.id, helped=HelpfulAnswer.YES, knew_before=False)
    await x.after.answer(carla_user, helped_carla.id, helped=HelpfulAnswer.YES, knew_before=False)
    # Carla helped Wilhelmina; Wilhelmina thanked her.
    tyre = await quick_request(bot, wil, "Wie plakt mijn fietsband-X9?", "household")
    helped_wil = await x.requests.help(carla_user, tyre.id)
    await x.requests.done(me, tyre.id)
    await x.after.thank(me, helped_wil.id, "Dank je Carla, fietsband-Z3 zit vast", public=True)
    await x.after.answer(me, helped_wil.id, helped=HelpfulAnswer.LITTLE, knew_before=True)
    bot.services.wake_outbox()
    await bot.settle()
    assert any("fietsband-X9" in text for text in group.texts())
    assert any("dakgoot-P5" in text for text in group.texts())  # Carla's public bedankje

    # /mijngegevens: every kind of thing, in words and as JSON.
    text, data = await my_data(bot, wil)
    assert "<b>" not in text
    assert "Hulp vragen en geven" in text
    for needle in ("kwastje-K4", "zolderluik-7Q", "fietsband-X9", "dakgoot-P5", "fietsband-Z3"):
        assert needle in text
    assert "Je hielp Carla (Gereedschap lenen)" in text
    assert "Carla hielp jou (Klusjes in huis)" in text
    assert "Gesprek met Bram (Klusjes in huis)" in text
    assert "loopt nog" in text
    assert "Heeft het geholpen? een beetje" in text
    assert not ISO_TIME.search(text)
    kinds = {record["what"] for record in data["sections"]["exchange"]}
    assert kinds >= {
        "entry",
        "request",
        "help_given",
        "help_received",
        "conversation",
        "thanks_written",
        "thanks_received",
        "feedback",
    }
    assert "wil-tg-handle-M2" in str(data)
    assert ISO_TIME.search(str(data["sections"]["exchange"][0]["created_at"]))

    carla_id = helped_carla.receiver_id
    before_counts = {name: await count(bot, sql) for name, sql in COUNTS.items()}
    before_carla = await x.after.reciprocity(carla_id)
    period = (bot.clock.now() - timedelta(days=1), bot.clock.now() + timedelta(days=1))
    before_summary = await x.after.feedback_summary([street.id], *period)

    found = await leftovers(bot, TRACES, exact=[str(wil.id)])
    assert {"exchange_entries.text: kwastje-k4", "residents.display_name: wilhelmina"} <= set(
        found
    )

    await forget(bot, wil)

    # Bram hears it kindly, without a name; the cards are gone from the group.
    notice = bram.private.find("Je buur doet niet meer mee met Patchwork")
    assert "Klusjes in huis" in notice.text
    assert "Wilhelmina" not in notice.text
    assert not any("zolderluik-7Q" in t or "fietsband-X9" in t for t in group.texts())
    # Both public thank-yous named her (as sender or as helper): both left the group.
    assert not any("dakgoot-P5" in t or "fietsband-Z3" in t for t in group.texts())
    assert await count(bot, "SELECT count(*) FROM exchange_requests WHERE status='open'") == 0
    assert (
        await count(bot, "SELECT count(*) FROM exchange_conversations WHERE status='active'") == 0
    )

    # Nothing she wrote, no name, no channel id is left in any table.
    assert await leftovers(bot, TRACES, exact=[str(wil.id)]) == []
    # What statistics count is still there.
    after_counts = {name: await count(bot, sql) for name, sql in COUNTS.items()}
    assert after_counts == before_counts
    assert await x.after.reciprocity(carla_id) == before_carla
    assert await x.after.feedback_summary([street.id], *period) == before_summary

    wil.send("/mijngegevens")
    await bot.settle()
    assert "Patchwork bewaart niets over jou" in wil.private.last.text

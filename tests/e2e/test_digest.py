"""The weekly digest through the fake Bot API: content, previews, private copies, restarts."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.sandbox.fake_telegram import FakeChat, FakeUser
from bot.sandbox.harness import Harness
from models.clock import FakeClock
from models.core import ChannelUser, Street
from models.digest.sources import EntryNote, RequestNote, RideNote, ThanksNote
from tests.e2e.digest_helpers import (
    HEADER,
    FakeExchange,
    FakeRides,
    digests,
    one_thanks,
    plug,
)
from tests.e2e.helpers import resident, street_group

TZ = ZoneInfo("Europe/Amsterdam")


def _at(clock: FakeClock, *args: int) -> None:
    clock.set(datetime(*args, tzinfo=TZ))  # type: ignore[misc]


async def test_digest_with_every_section(bot: Harness, clock: FakeClock) -> None:
    group, _, street = await street_group(bot)
    anna = await resident(bot, street, "Anna")
    joost = await resident(bot, street, "Joost")
    # Anna also wants the digest privately: Instellingen → Weekoverzicht ook privé.
    anna.send("⚙️ Instellingen")
    await bot.settle()
    toggle = anna.private.with_button("📬 Weekoverzicht ook privé: uit")
    anna.press(toggle, "📬 Weekoverzicht ook privé: uit")
    await bot.settle()
    assert "ook hier" in anna.private.last.text  # type: ignore[operator]
    assert anna.private.last.buttons == ["📬 Weekoverzicht ook privé: aan"]
    await bot.tick()

    # The Bloemetje of December: Anna names Joost, Joost agrees, the 8th announces him.
    _at(clock, 2026, 12, 1, 10, 0)
    await bot.tick()
    bloemetje = bot.services.bloemetje
    ballot = await bloemetje.ballot(ChannelUser(external_id=str(anna.id)), street.id)
    (joost_choice,) = [c for c in ballot.candidates if c.name == "Joost"]
    await bloemetje.nominate(
        ChannelUser(external_id=str(anna.id)), street.id, "2026-12", joost_choice.resident_id
    )
    await bloemetje.answer(ChannelUser(external_id=str(joost.id)), street.id, "2026-12", True)
    _at(clock, 2026, 12, 6, 17, 0)
    await bot.tick()
    assert digests(group) == []  # nothing to tell yet that week: skipped
    _at(clock, 2026, 12, 8, 10, 0)
    await bot.tick()
    group.find("Deze maand verdienen een bloemetje: Joost")

    exchange, rides = FakeExchange(), FakeRides()
    exchange.thanks_by_street[street.id] = [
        ThanksNote(from_name="Anna", to_name="Joost", text="Dank voor de <ladder>!"),
        ThanksNote(from_name=None, to_name="Els"),
    ]
    exchange.requests_by_street[street.id] = [
        RequestNote(
            request_id=41,
            requester_name="Mo",
            summary="Wie helpt met de lamp?",
            created_at=clock.now(),
        ),
        RequestNote(
            request_id=42,
            requester_name=None,
            summary="Planten water geven",
            created_at=clock.now(),
        ),
    ]
    exchange.entries_by_street[street.id] = [
        EntryNote(entry_id=5, first_name="Karel", summary="Heggenschaar lenen")
    ]
    sunday = datetime(2026, 12, 13, 17, 0, tzinfo=TZ)
    rides.by_street[street.id] = [
        RideNote(
            ride_id=9,
            departs_at=sunday + timedelta(days=2, hours=-7),
            destination="Albert Heijn",
            free_seats=2,
        ),
        RideNote(  # after the coming week: not in this digest
            ride_id=10, departs_at=sunday + timedelta(days=8), destination="Markt", free_seats=3
        ),
    ]
    plug(bot, exchange, rides)
    _at(clock, 2026, 12, 13, 17, 0)
    await bot.tick()

    (digest,) = digests(group)
    text = digest.text or ""
    order = [
        "🌻 Weekoverzicht van de Zonnebloemstraat",
        "💐 Bedankt!",
        "• Anna bedankt Joost: “Dank voor de <ladder>!”",
        "• Een buur bedankt Els",
        "🙋 Wie zoekt hulp?",
        "• Mo: Wie helpt met de lamp?",
        "• Een buur: Planten water geven",
        "🆕 Nieuw in Wie kan wat",
        "• Karel: Heggenschaar lenen",
        "🚗 Ritten met plek, komende week",
        "• dinsdag 15 december 10:00 naar Albert Heijn: nog 2 plekken vrij",
        "🌼 Bloemetje van de maand",
        "• Joost",
        "\N{HEAVY PLUS SIGN} Wat kun jij voor je buren doen?",
    ]
    positions = [text.index(line) for line in order]
    assert positions == sorted(positions)
    assert "Markt" not in text
    assert "&lt;" not in text  # escaped for HTML, shown as typed
    # The rides' and the exchange's own buttons, as their modules registered them.
    assert digest.buttons == [
        "🤝 Ik help Mo: Wie helpt met de lamp?",
        "🤝 Ik help: Planten water geven",
        "🚗 Ik rij mee: di 15 dec 10:00, Albert Heijn",
        "🤝 Ik kan helpen",
    ]
    assert digest.button_url("🤝 Ik kan helpen") == (
        f"https://t.me/patchwork_test_bot?start=xk{street.join_code}"
    )
    # Anna's private copy, the same digest; Joost did not ask for one.
    (private,) = digests(anna.private)
    assert private.text == text
    assert digests(joost.private) == []
    # The thank-yous were asked for the week that ended at the digest moment.
    (_, _, start, end) = exchange.asked[-1]
    assert end == sunday
    assert start == sunday - timedelta(days=7)

    await bot.tick()
    assert len(digests(group)) == 1


async def test_an_empty_week_is_skipped(bot: Harness, clock: FakeClock) -> None:
    group, _, street = await street_group(bot)
    plug(bot, FakeExchange(), FakeRides())
    await bot.tick()
    _at(clock, 2026, 12, 6, 17, 0)
    await bot.tick()
    assert digests(group) == []
    async with bot.services.db.read() as tx:
        assert await tx.digest.run_outcome(street.id, "2026-W49") == "empty"


async def _street_with_a_thanks(bot: Harness) -> tuple[FakeChat, FakeUser, FakeUser, Street]:
    """A street group with Piet (its contact) and Anna, and a thank-you to tell this week."""
    group, piet, street = await street_group(bot)
    anna = await resident(bot, street, "Anna")
    bot.fake.add_member(group, anna)
    exchange = FakeExchange()
    one_thanks(exchange, street)
    plug(bot, exchange)
    return group, piet, anna, street


async def test_preview_goes_to_the_street_contact_privately(
    bot: Harness, clock: FakeClock
) -> None:
    group, piet, anna, street = await _street_with_a_thanks(bot)

    # Piet never opened a private chat with the bot: he gets a button that opens one.
    piet.send("/digest", chat=group)
    await bot.settle()
    note = group.find("liever niet in de groep")
    url = note.button_url("👀 Open het voorbeeld")
    assert url == f"https://t.me/patchwork_test_bot?start=dg{street.id}"
    piet.start_bot(f"dg{street.id}")
    await bot.settle()
    preview = piet.private.find(HEADER)
    assert "Voorbeeld" in (preview.text or "")
    assert "zondag 6 december 17:00" in (preview.text or "")
    assert "Anna bedankt Joost" in (preview.text or "")

    # Now that the chat is open, /digest in the group sends the preview there directly.
    piet.send("/digest", chat=group)
    await bot.settle()
    group.find("Ik heb je het voorbeeld gestuurd")
    assert len([m for m in piet.private.bot_messages if HEADER in (m.text or "")]) == 2

    # A resident who is no administrator cannot ask in the group, but can in private.
    anna.send("/digest", chat=group)
    await bot.settle()
    group.find("Alleen een beheerder")
    anna.send("/digest")
    await bot.settle()
    assert "Voorbeeld" in (anna.private.find(HEADER).text or "")

    assert digests(group) == []  # previews never reached the group
    _at(clock, 2026, 12, 6, 17, 0)
    await bot.tick()
    assert len(digests(group)) == 1


async def test_private_copy_can_be_switched_off(bot: Harness, clock: FakeClock) -> None:
    group, _, street = await street_group(bot)
    anna = await resident(bot, street, "Anna")
    exchange = FakeExchange()
    one_thanks(exchange, street)
    plug(bot, exchange)
    anna.send("/instellingen")
    await bot.settle()
    anna.press(
        anna.private.with_button("📬 Weekoverzicht ook privé: uit"),
        "📬 Weekoverzicht ook privé: uit",
    )
    await bot.settle()
    _at(clock, 2026, 12, 6, 17, 0)
    await bot.tick()
    assert len(digests(anna.private)) == 1
    anna.press(
        anna.private.with_button("📬 Weekoverzicht ook privé: aan"),
        "📬 Weekoverzicht ook privé: aan",
    )
    await bot.settle()
    anna.private.find("niet meer hier")
    _at(clock, 2026, 12, 13, 17, 0)
    await bot.tick()
    assert len(digests(group)) == 2
    assert len(digests(anna.private)) == 1


async def test_digest_due_while_down_is_sent_once_after_restart(
    bot: Harness, clock: FakeClock
) -> None:
    group, _, street = await street_group(bot)
    exchange = FakeExchange()
    one_thanks(exchange, street)
    plug(bot, exchange)
    await bot.tick()
    await bot.stop()
    _at(clock, 2026, 12, 6, 20, 30)  # three and a half hours late
    await bot.start()
    plug(bot, exchange)
    await bot.tick()
    assert len(digests(group)) == 1
    await bot.restart()
    plug(bot, exchange)
    await bot.tick()
    assert len(digests(group)) == 1
    sends = [
        c
        for c in bot.fake.calls_to("sendMessage")
        if c.ok and c.params.get("chat_id") == str(group.id) and HEADER in str(c.params["text"])
    ]
    assert len(sends) == 1


async def test_digest_more_than_a_day_late_is_skipped_and_logged(
    bot: Harness, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    group, _, street = await street_group(bot)
    exchange = FakeExchange()
    one_thanks(exchange, street)
    plug(bot, exchange)
    await bot.tick()
    await bot.stop()
    _at(clock, 2026, 12, 7, 18, 0)  # 25 hours after Sunday 17:00
    with caplog.at_level(logging.WARNING, logger="models.digest.service"):
        await bot.start()
        plug(bot, exchange)
        await bot.tick()
    assert digests(group) == []
    assert "skipped" in caplog.text
    assert str(street.id) in caplog.text
    _at(clock, 2026, 12, 13, 17, 0)
    await bot.tick()
    assert len(digests(group)) == 1


async def test_street_contact_sets_day_time_language_and_bloemetje_with_buttons(
    bot: Harness, clock: FakeClock
) -> None:
    group, piet, street = await street_group(bot)
    anna = await resident(bot, street, "Anna")
    bot.fake.add_member(group, anna)
    piet.send("/instellingen", chat=group)
    await bot.settle()
    panel = group.find("Instellingen van de Zonnebloemstraat")
    assert "elke zondag om 17:00" in (panel.text or "")
    assert "Bloemetje in de Buurt: aan" in (panel.text or "")

    piet.press(panel, "📅 Andere dag")
    await bot.settle()
    piet.press(panel, "maandag")
    await bot.settle()
    piet.press(panel, "🕔 Andere tijd")
    await bot.settle()
    piet.press(panel, "09:00")
    await bot.settle()
    piet.press(panel, "09:30")
    await bot.settle()
    assert "elke maandag om 09:30" in (panel.text or "")
    piet.press(panel, "🌼 Bloemetje uitzetten")
    await bot.settle()
    assert "Bloemetje in de Buurt: uit" in (panel.text or "")

    # A resident who is no administrator is refused, kindly, at every button.
    query = anna.press(panel, "🌼 Bloemetje aanzetten")
    await bot.settle()
    toast = bot.fake.toast(query)
    assert toast is not None
    assert toast["show_alert"]
    assert "beheerder" in str(toast["text"])
    assert "Bloemetje in de Buurt: uit" in (panel.text or "")

    piet.press(panel, "🇬🇧 English")
    await bot.settle()
    assert "every Monday at 09:30" in (panel.text or "")
    piet.press(panel, "✅ Done")
    await bot.settle()
    assert panel.buttons == []

    exchange = FakeExchange()
    one_thanks(exchange, street)
    plug(bot, exchange)
    _at(clock, 2026, 12, 6, 17, 0)  # the old moment: nothing
    await bot.tick()
    assert [m for m in group.bot_messages if "This week in" in (m.text or "")] == []
    _at(clock, 2026, 12, 7, 9, 30)
    await bot.tick()
    (digest,) = [m for m in group.bot_messages if "This week in" in (m.text or "")]
    assert "Anna thanks Joost" in (digest.text or "")
    _at(clock, 2027, 1, 1, 10, 0)
    await bot.tick()
    assert [m for m in group.bot_messages if "deserves flowers" in (m.text or "")] == []


async def test_the_street_contact_sends_the_digest_now_and_the_schedule_skips_that_week(
    bot: Harness, clock: FakeClock
) -> None:
    group, piet, anna, street = await _street_with_a_thanks(bot)
    piet.start_bot(f"dg{street.id}")
    await bot.settle()
    preview = piet.private.find(HEADER)
    assert "📨 Nu naar de groep sturen" in preview.buttons
    # Anna's own preview has no such button: she is no administrator.
    anna.send("/digest")
    await bot.settle()
    assert "📨 Nu naar de groep sturen" not in anna.private.find(HEADER).buttons

    # Tuesday: Piet sends it now; a second press the same week sends nothing more.
    _at(clock, 2026, 12, 1, 11, 0)
    piet.press(preview, "📨 Nu naar de groep sturen")
    await bot.settle()
    assert "gaat nu naar de groep" in (piet.private.last.text or "")
    assert len(digests(group)) == 1
    assert "Voorbeeld" not in (digests(group)[0].text or "")
    piet.start_bot(f"dg{street.id}")
    await bot.settle()
    piet.press(piet.private.find(HEADER), "📨 Nu naar de groep sturen")
    await bot.settle()
    assert "al verstuurd" in (piet.private.last.text or "")

    # Sunday 17:00 of the same week: the schedule does not send it again; next week it does.
    _at(clock, 2026, 12, 6, 17, 0)
    await bot.tick()
    assert len(digests(group)) == 1
    _at(clock, 2026, 12, 13, 17, 0)
    await bot.tick()
    assert len(digests(group)) == 2


async def test_a_stale_send_now_button_rechecks_that_the_presser_is_an_admin(
    bot: Harness,
) -> None:
    group, _, street = await street_group(bot)
    kees = bot.fake.add_user("Kees")
    bot.fake.make_admin(group, kees)
    exchange = FakeExchange()
    one_thanks(exchange, street)
    plug(bot, exchange)
    kees.start_bot(f"dg{street.id}")
    await bot.settle()
    preview = kees.private.find(HEADER)
    bot.fake.remove_admin(group, kees)  # no longer an administrator when he presses
    query = kees.press(preview, "📨 Nu naar de groep sturen")
    await bot.settle()
    assert digests(group) == []
    toast = bot.fake.toast(query)
    assert toast is not None
    assert "beheerder" in str(toast.get("text"))

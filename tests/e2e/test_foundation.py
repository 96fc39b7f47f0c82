"""End to end: street setup and joining, driven through the fake Bot API."""

from __future__ import annotations

from bot.sandbox.harness import Harness
from models.core import ChatRef
from tests.e2e.helpers import join, resident, street_group


async def test_admin_sets_up_street_and_welcome_has_join_link(bot: Harness) -> None:
    group, _, street = await street_group(bot)
    done = group.find("Klaar!")
    assert "Zonnebloemstraat" in (done.text or "")
    welcome = group.find("Welkom bij Patchwork")
    url = welcome.button_url("🙋 Doe mee")
    assert url == f"https://t.me/patchwork_test_bot?start=j{street.join_code}"


async def test_resident_joins_through_the_deep_link(bot: Harness) -> None:
    _, _, street = await street_group(bot)
    anna = bot.fake.add_user("Anna")
    await join(bot, anna, street)
    texts = anna.private.texts()
    assert any("Gelukt, Anna! Je doet nu mee met de Zonnebloemstraat." in t for t in texts)
    assert anna.private.last.buttons[:2] == ["🙋 Ik zoek hulp", "🤝 Ik kan helpen"]


async def test_non_administrator_is_refused_politely(bot: Harness) -> None:
    group, _, _ = await street_group(bot)
    kees = bot.fake.add_user("Kees")
    bot.fake.add_member(group, kees)
    kees.send("/setup Lindelaan | Oost | Vlietstad", chat=group)
    await bot.settle()
    assert "Alleen een beheerder" in group.last.text
    street = await bot.services.streets.by_chat(ChatRef(chat_id=str(group.id)))
    assert street is not None
    assert street.name == "Zonnebloemstraat"


async def test_setup_by_questions_with_force_reply(bot: Harness) -> None:
    admin = bot.fake.add_user("Piet")
    group = bot.fake.add_group("Buren", admins=[admin])
    bot.fake.add_bot_to_group(group, by=admin)
    admin.send("/setup", chat=group)
    await bot.settle()
    question = group.find("Welke straat is dit?")
    assert bot.fake.reply_keyboard(group) == {
        "force_reply": True,
        "selective": True,
        "input_field_placeholder": "Bijvoorbeeld: Zonnebloemstraat",
    }
    admin.reply(question, "Lindelaan")
    await bot.settle()
    admin.reply(group.find("In welke wijk ligt de Lindelaan?"), "Oost")
    await bot.settle()
    admin.reply(group.find("In welke gemeente ligt wijk Oost?"), "Vlietstad")
    await bot.settle()
    confirm = group.find("Klopt dit?")
    assert "Straat: Lindelaan" in (confirm.text or "")
    intruder = bot.fake.add_user("Kees")
    bot.fake.add_member(group, intruder)
    query = intruder.press(confirm, "✅ Klopt")
    await bot.settle()
    assert "Alleen een beheerder" in (bot.fake.toast(query) or {}).get("text", "")
    admin.press(confirm, "✅ Klopt")
    await bot.settle()
    assert "hoort nu bij de Lindelaan" in group.find("Klaar!").text


async def test_anonymous_administrator_is_asked_to_show_themselves(bot: Harness) -> None:
    admin = bot.fake.add_user("Piet")
    group = bot.fake.add_group("Buren", admins=[admin])
    bot.fake.add_bot_to_group(group, by=admin)
    bot.fake.send_as_chat(group, "/setup Dorpsstraat | Oost | Vlietstad")
    await bot.settle()
    assert "anoniem" in group.last.text
    assert await bot.services.streets.by_chat(ChatRef(chat_id=str(group.id))) is None


async def test_help_in_both_spellings_and_plain_start(bot: Harness) -> None:
    anna = bot.fake.add_user("Anna")
    anna.start_bot()
    await bot.settle()
    assert "tik daar op de knop Doe mee" in anna.private.last.text
    anna.send("/hulp")
    await bot.settle()
    assert anna.private.last.text.startswith("Hulp")
    bob = bot.fake.add_user("Bob", language_code="en")
    bob.send("/help")
    await bot.settle()
    assert bob.private.last.text.startswith("Help")
    assert "🙋 I need help" in bob.private.last.buttons


async def test_a_menu_button_tells_a_non_member_why_nothing_happens(bot: Harness) -> None:
    bram = bot.fake.add_user("Bram")
    bram.send("/menu")
    await bot.settle()
    query = bram.press(bram.private.last, "🙋 Ik zoek hulp")
    await bot.settle()
    # The press is answered at once (the spinner stops); the reason stays readable in the chat.
    assert bot.fake.toast(query) == {"text": None, "show_alert": False}
    assert "Doe mee" in bram.private.last.text


async def test_menu_words_typed_by_hand_work_like_the_buttons(bot: Harness) -> None:
    _, _, street = await street_group(bot)
    anna = await resident(bot, street, "Anna")
    typed = [
        (anna, "boodschappenritten", "Boodschappenritten in wijk"),
        (anna, "Wie kan wat", "Wie kan wat"),
        (anna, "ik zoek hulp", "Waar zoek je hulp bij?"),
        (anna, "  instellingen!", "Instellingen"),
        # The English words work too (the answer stays in Anna's language).
        (anna, "grocery rides", "Boodschappenritten in wijk"),
        (anna, "My overview", "Anna"),
    ]
    for person, words, answer in typed:
        person.send(words)
        await bot.settle()
        reply = person.private.last.text or ""
        assert answer in reply, (words, reply)
        assert "niet zeker" not in reply


async def test_a_name_with_a_phone_number_is_refused_kindly_and_asked_again(
    bot: Harness,
) -> None:
    _, _, street = await street_group(bot)
    # Her Telegram name holds her number: the bot does not offer it as her name.
    anna = bot.fake.add_user("Anna 0611112222")
    anna.start_bot(f"j{street.join_code}")
    await bot.settle()
    # Her Telegram name is not offered as a button: she is asked to type a name.
    assert anna.private.last.buttons == []
    anna.send("@anna_b 06-12345678")
    await bot.settle()
    assert "mag geen telefoonnummer" in (anna.private.last.text or "")
    anna.send("Anna")
    await bot.settle()
    anna.press(anna.private.with_button("🇳🇱 Nederlands"), "🇳🇱 Nederlands")
    await bot.settle()
    assert any("Gelukt, Anna!" in t for t in anna.private.texts())

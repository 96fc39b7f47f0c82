"""The fake Bot API on its own: a real PTB Bot talks to it over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    ChatMemberAdministrator,
    ChatMemberMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.sandbox.fake_telegram import FakeTelegram
from bot.sandbox.harness import TEST_TOKEN


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def api(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TEST_TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url) as bot:
        yield bot


def test_listens_on_loopback_only() -> None:
    with pytest.raises(ValueError, match="loopback"):
        FakeTelegram(host="0.0.0.0")  # noqa: S104 - the point of the test


async def test_get_me_and_messages(fake: FakeTelegram, api: Bot) -> None:
    me = await api.get_me()
    assert me.username == "patchwork_test_bot"
    anna = fake.add_user("Anna")
    with pytest.raises(Forbidden, match="initiate"):
        await api.send_message(anna.id, "hallo")
    anna.start_bot()
    sent = await api.send_message(anna.id, "<b>Hallo</b> &amp; welkom", parse_mode="HTML")
    assert sent.text == "Hallo & welkom"
    assert sent.entities[0].type == "bold"
    assert anna.private.last.text == "Hallo & welkom"


async def test_telegram_rules_are_enforced(fake: FakeTelegram, api: Bot) -> None:
    anna = fake.add_user("Anna")
    anna.start_bot()
    with pytest.raises(BadRequest, match="parse entities"):
        await api.send_message(anna.id, "1 < 2", parse_mode="HTML")
    with pytest.raises(BadRequest, match="too long"):
        await api.send_message(anna.id, "x" * 4097)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="y" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await api.send_message(anna.id, "knop", reply_markup=too_long)
    sent = await api.send_message(anna.id, "zelfde")
    with pytest.raises(BadRequest, match="not modified"):
        await api.edit_message_text("zelfde", chat_id=anna.id, message_id=sent.message_id)
    anna.block_bot()
    with pytest.raises(Forbidden, match="blocked"):
        await api.send_message(anna.id, "hallo")


async def test_updates_offsets_and_redelivery(fake: FakeTelegram, api: Bot) -> None:
    anna = fake.add_user("Anna")
    anna.send("/start")
    anna.send("tweede")
    updates = await api.get_updates(timeout=0)
    assert [u.message.text for u in updates if u.message] == ["/start", "tweede"]
    assert updates[0].message is not None
    assert updates[0].message.entities[0].type == "bot_command"
    again = await api.get_updates(timeout=0)
    assert len(again) == 2  # not confirmed yet
    assert await api.get_updates(offset=updates[-1].update_id + 1, timeout=0) == ()
    fake.redeliver(updates[0].update_id)
    duplicate = await api.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    assert [u.update_id for u in duplicate] == [updates[0].update_id]


async def test_buttons_and_callback_answers(fake: FakeTelegram, api: Bot) -> None:
    anna = fake.add_user("Anna")
    anna.start_bot()
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Ja", callback_data="yes:1")]])
    await api.send_message(anna.id, "Vraag?", reply_markup=markup)
    query_id = anna.press(anna.private.last, "Ja")
    updates = await api.get_updates(timeout=0)
    query = updates[-1].callback_query
    assert query is not None
    assert (query.id, query.data) == (query_id, "yes:1")
    await api.answer_callback_query(query.id, text="Dank je")
    assert fake.toast(query_id) == {"text": "Dank je", "show_alert": False}


async def test_groups_members_and_administrators(fake: FakeTelegram, api: Bot) -> None:
    piet, kees = fake.add_user("Piet"), fake.add_user("Kees")
    group = fake.add_group("Buren", admins=[piet], members=[kees])
    fake.add_bot_to_group(group, by=piet)
    admin = await api.get_chat_member(group.id, piet.id)
    assert admin.status == "creator"
    fake.make_admin(group, kees)
    assert isinstance(await api.get_chat_member(group.id, kees.id), ChatMemberAdministrator)
    fake.remove_admin(group, kees)
    assert isinstance(await api.get_chat_member(group.id, kees.id), ChatMemberMember)
    assert len(await api.get_chat_administrators(group.id)) == 1
    chat = await api.get_chat(group.id)
    assert chat.title == "Buren"
    updates = await api.get_updates(timeout=0)
    assert updates[0].my_chat_member is not None
    assert updates[0].my_chat_member.new_chat_member.status == "member"
    await api.leave_chat(group.id)
    with pytest.raises(Forbidden):
        await api.send_message(group.id, "nog iemand?")


async def test_migration_faults_and_files(fake: FakeTelegram, api: Bot) -> None:
    piet = fake.add_user("Piet")
    group = fake.add_group("Buren", admins=[piet])
    fake.add_bot_to_group(group, by=piet)
    super_group = fake.migrate_to_supergroup(group, by=piet)
    with pytest.raises(ChatMigrated) as migrated:
        await api.send_message(group.id, "hallo")
    assert migrated.value.new_chat_id == super_group.id
    fake.fail("retry_after", method="sendMessage", retry_after=3)
    with pytest.raises(RetryAfter):
        await api.send_message(super_group.id, "hallo")
    fake.fail("server", method="sendMessage")
    with pytest.raises(NetworkError):
        await api.send_message(super_group.id, "hallo")
    sent = await api.send_document(
        super_group.id, b"%PDF-1.4 kaart", filename="kaart.pdf", caption="De kaart"
    )
    assert sent.document is not None
    assert sent.document.file_name == "kaart.pdf"
    file = await api.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 kaart"
    assert [c.ok for c in fake.calls_to("sendMessage")] == [False, False, False]


async def test_flood_limits_when_enabled(fake: FakeTelegram, api: Bot) -> None:
    fake.limits.enabled = True
    piet = fake.add_user("Piet")
    group = fake.add_group("Buren", admins=[piet])
    fake.add_bot_to_group(group, by=piet)
    for i in range(21):
        await api.send_message(group.id, f"bericht {i}")
    with pytest.raises(RetryAfter):
        await api.send_message(group.id, "een te veel")


async def test_photos_are_copied(fake: FakeTelegram, api: Bot) -> None:
    anna, joost = fake.add_user("Anna"), fake.add_user("Joost")
    anna.start_bot()
    joost.start_bot()
    photo = anna.send_photo(caption="de ladder")
    await api.copy_message(joost.id, anna.id, photo.message_id)
    assert joost.private.last.photo is not None
    assert joost.private.last.caption == "de ladder"

"""Data rights: /mijngegevens sends everything, /vergeetmij erases after a confirmation."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from bot.sandbox.harness import Harness
from handlers.common import split_message
from models.core import ChannelUser
from tests.e2e.helpers import resident, street_group


async def test_my_data_as_text_and_json(bot: Harness) -> None:
    _, _, street = await street_group(bot)
    anna = await resident(bot, street, "Anna")
    anna.send("/mijngegevens")
    await bot.settle()
    text = anna.private.find("Dit weet Patchwork van jou").text
    assert "Naam: Anna" in text
    assert "Zonnebloemstraat" in text
    document = anna.private.last.document
    assert document is not None
    assert document["file_name"] == "mijn-gegevens.json"
    content, _, _ = bot.fake.files[document["file_id"]]
    data = json.loads(content)
    assert data["resident"]["display_name"] == "Anna"
    assert data["sections"]["membership"][0]["street"] == "Zonnebloemstraat"


async def test_forget_me_needs_a_yes_and_then_erases(bot: Harness) -> None:
    _, _, street = await street_group(bot)
    anna = await resident(bot, street, "Anna")
    anna.send("/vergeetmij")
    await bot.settle()
    anna.press(anna.private.last, "Nee, laat maar")
    await bot.settle()
    assert await bot.services.residents.find(ChannelUser(external_id=str(anna.id))) is not None
    anna.send("/vergeetmij")
    await bot.settle()
    assert anna.private.id in bot.fake.reply_keyboards  # the menu she joined with
    confirm = anna.private.last
    yes = confirm.button_data("🗑 Ja, wis mijn gegevens")
    anna.press(confirm, "🗑 Ja, wis mijn gegevens")
    await bot.settle()
    assert "Je gegevens zijn gewist" in anna.private.last.text
    # The menu under her text box is gone: its buttons would only refuse (issue 15.5).
    assert anna.private.id not in bot.fake.reply_keyboards
    assert await bot.services.residents.find(ChannelUser(external_id=str(anna.id))) is None
    stale = anna.press(confirm, data=yes)
    await bot.settle()
    assert "werkt niet meer" in (bot.fake.toast(stale) or {}).get("text", "")
    anna.send("/mijngegevens")
    await bot.settle()
    assert "Patchwork bewaart niets over jou" in anna.private.last.text
    # The street still counts one membership that ended, without a name.
    async with bot.services.db.read() as tx:
        members = await tx.memberships.of_street(street.id)
    assert members == []


async def test_settings_offer_the_privacy_buttons(bot: Harness) -> None:
    _, _, street = await street_group(bot)
    anna = await resident(bot, street, "Anna")
    anna.send("⚙️ Instellingen")
    await bot.settle()
    settings = anna.private.last
    assert "📄 Wat weet Patchwork van mij?" in settings.buttons
    anna.press(settings, "📄 Wat weet Patchwork van mij?")
    await bot.settle()
    assert anna.private.last.document is not None


@given(st.lists(st.text(alphabet="abc <>&é\n", max_size=300), max_size=40), st.integers(20, 400))
def test_split_message_keeps_every_line_within_the_limit(lines: list[str], limit: int) -> None:
    text = "\n".join(lines)
    parts = split_message(text, limit)
    assert all(0 < len(p) <= limit for p in parts)
    kept = sorted(c for part in parts for c in part if not c.isspace())
    assert kept == sorted(c for c in text if not c.isspace())

"""/kaart: the printable street card arrives as PDF documents; text and QR code checked."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pypdfium2
import zxingcpp
from pypdf import PdfReader

from bot.sandbox.fake_telegram import FakeChat, Message
from bot.sandbox.harness import Harness
from models.core import ChannelUser, Language, NeighbourhoodRole, Street
from models.digest.card import CardEntry, RideContact
from models.ports import Transaction
from tests.e2e.helpers import resident, street_group


class OnTheCard:
    """The exchange's entries whose owners said yes to the card (here: fixed)."""

    def __init__(self) -> None:
        self.asked: list[tuple[int, str]] = []

    async def card_entries(
        self, tx: Transaction, street: Street, language: Language
    ) -> Sequence[CardEntry]:
        self.asked.append((street.id, language))
        return [
            CardEntry(first_name="Anna", category="Gezelschap", offer="Koffie en een praatje"),
            CardEntry(first_name="Karel", category="Gereedschap", offer="Ladder lenen"),
            CardEntry(first_name="Piet", category="Gereedschap", offer="Heggenschaar lenen"),
        ]


class Coordinator:
    """The rides coordinator who chose to put a phone number on the card."""

    async def ride_contact(self, tx: Transaction, street: Street) -> RideContact | None:
        return RideContact(name="Joost", phone="06 12345678")


def _documents(chat: FakeChat) -> list[Message]:
    return [m for m in chat.bot_messages if m.document is not None]


def _pdf(bot: Harness, message: Message) -> bytes:
    assert message.document is not None
    content, _, mime = bot.fake.files[message.document["file_id"]]
    assert mime == "application/pdf"
    return bytes(content)


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _qr(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    return [
        code.text
        for index in range(len(document))
        for code in zxingcpp.read_barcodes(document[index].render(scale=2).to_pil())
    ]


async def test_street_contact_gets_the_card_in_the_group(bot: Harness) -> None:
    group, piet, street = await street_group(bot)
    entries = OnTheCard()
    bot.services.cards.sources.entries = entries
    bot.services.cards.sources.ride_contact = Coordinator()
    join_link = group.find("Welkom bij Patchwork").button_url("🙋 Doe mee")
    assert join_link is not None

    piet.send("/kaart", chat=group)
    await bot.settle()
    a4, a6 = _documents(group)
    assert a4.document is not None
    assert a6.document is not None
    assert a4.document["file_name"] == "straatkaart-zonnebloemstraat-a4.pdf"
    assert a6.document["file_name"] == "straatkaart-zonnebloemstraat-a6.pdf"
    assert "straatkaartje van de Zonnebloemstraat (A4)" in (a4.caption or "")
    assert entries.asked == [(street.id, "nl")]
    for message in (a4, a6):
        pdf = _pdf(bot, message)
        text = _text(pdf)
        assert "Zonnebloemstraat" in text
        assert "Wie kan wat in de Zonnebloemstraat" in text
        assert "Gereedschap" in text
        assert "Karel: Ladder lenen" in text
        assert "Piet: Heggenschaar lenen" in text
        assert "Anna: Koffie en een praatje" in text
        assert "Bel Joost: 06 12345678" in text
        assert "Doe mee!" in text
        assert _qr(pdf) == [join_link]


async def test_only_a_street_contact_or_community_worker_gets_the_card(bot: Harness) -> None:
    group, _, street = await street_group(bot)
    anna = await resident(bot, street, "Anna")
    bot.fake.add_member(group, anna)
    anna.send("/kaart", chat=group)
    await bot.settle()
    group.find("alleen een beheerder van de groep van de straat")
    anna.send("/kaart")
    await bot.settle()
    anna.private.find("alleen een beheerder van de groep van de straat")
    assert _documents(group) == []

    # Samira, community worker of the neighbourhood, makes it from her private chat.
    samira = await resident(bot, street, "Samira")
    worker = await bot.services.residents.find(ChannelUser(external_id=str(samira.id)))
    assert worker is not None
    async with bot.services.db.write() as tx:
        await tx.memberships.grant(
            worker.id,
            street.neighbourhood_id,
            NeighbourhoodRole.COMMUNITY_WORKER,
            None,
            bot.clock.now(),
        )
    samira.send("/kaart")
    await bot.settle()
    a4, a6 = _documents(samira.private)
    text = _text(_pdf(bot, a4))
    assert "Wie kan wat in de Zonnebloemstraat" in text
    assert "Er staat nog niemand op de lijst" in text  # no register connected in this test
    assert _qr(_pdf(bot, a6)) == [f"https://t.me/patchwork_test_bot?start=j{street.join_code}"]
    assert _documents(group) == []


async def test_community_worker_chooses_among_the_streets_of_her_neighbourhood(
    bot: Harness,
) -> None:
    _, _, first = await street_group(bot, "Zonnebloemstraat", admin_name="Piet")
    _, _, second = await street_group(bot, "Klaprooslaan", admin_name="Fatma")
    samira = await resident(bot, first, "Samira")
    worker = await bot.services.residents.find(ChannelUser(external_id=str(samira.id)))
    assert worker is not None
    assert first.neighbourhood_id == second.neighbourhood_id
    async with bot.services.db.write() as tx:
        await tx.memberships.grant(
            worker.id,
            first.neighbourhood_id,
            NeighbourhoodRole.COMMUNITY_WORKER,
            None,
            bot.clock.now(),
        )
    samira.send("/kaart")
    await bot.settle()
    choice = samira.private.find("Van welke straat wil je het kaartje maken?")
    assert choice.buttons == ["Klaprooslaan", "Zonnebloemstraat"]
    samira.press(choice, "Klaprooslaan")
    await bot.settle()
    a4, _ = _documents(samira.private)
    assert "Wie kan wat in de Klaprooslaan" in _text(_pdf(bot, a4))
    assert _qr(_pdf(bot, a4)) == [f"https://t.me/patchwork_test_bot?start=j{second.join_code}"]
    # The role is checked again at the press: taken away, the old button no longer works.
    async with bot.services.db.write() as tx:
        await tx.memberships.revoke(
            worker.id, first.neighbourhood_id, NeighbourhoodRole.COMMUNITY_WORKER
        )
    query = samira.press(choice, "Zonnebloemstraat")
    await bot.settle()
    toast = bot.fake.toast(query)
    assert toast is not None
    assert "opbouwwerker" in str(toast["text"])
    assert len(_documents(samira.private)) == 2

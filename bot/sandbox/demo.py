"""The demo neighbourhood "Oost" in Vlietstad, staged the way real people would do it.

Nothing here writes to the database. Every step acts through the fake Telegram as a
person would (a street contact adds the bot to the group and sends /setup; a neighbour
taps "Doe mee" and answers the bot's questions), so the demo shows the real flows and
stays correct when the bot changes. Read it top to bottom:

1. `streets`    — two street contacts link their group chats to a street.
2. `residents`  — neighbours join their street through the "Doe mee" link.
3. `moderators` — a community worker links her team's group as the moderators chat.
4. `exchange`   — neighbours put what they can do in "wie kan wat"; an open request.
5. `rides`      — a weekly grocery ride with a booked seat, and a coordinator.
6. `checkins`   — Anna gets "Alles goed?" every morning at 9:00; Joost is her buddy.

Each capability adds its own step at the end of `STEPS` (one function, in the order the
story needs): the help exchange its register entries and an open request, the grocery
rides a driver with a ride and a coordinator, escalation the community worker's
moderators chat. A step may run again on a kept database (`--db`): it must accept what
is already there.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bot.sandbox.fake_telegram import FakeChat, FakeTelegram, FakeUser, Message
from bot.sandbox.harness import Harness
from models.core import ChannelUser, ChatRef, NeighbourhoodRole
from models.exchange.model import Availability, RequestKind, When
from models.exchange.requests import Draft
from models.rides.model import RideDraft
from models.streets import join_payload

log = logging.getLogger(__name__)

TOWN = "Vlietstad"
NEIGHBOURHOOD = "Oost"
FIRST_PERSON = "Anna"  # whom the page shows first


@dataclass(frozen=True)
class StreetPlan:
    """A street in the demo: its group chat, its contact and its first residents."""

    name: str
    group_title: str
    contact: str
    contact_note: str
    residents: tuple[tuple[str, str, str], ...]  # (first name, note, language)


STREETS = (
    StreetPlan(
        name="Zonnebloemstraat",
        group_title="Zonnebloemstraat buren",
        contact="Piet",
        contact_note="straatcontact Zonnebloemstraat",
        residents=(
            ("Anna", "78, woont alleen, Zonnebloemstraat 4", "nl"),
            ("Joost", "45, rijdt op dinsdag boodschappen", "nl"),
            ("Tomasz", "32, spreekt Engels", "en"),
        ),
    ),
    StreetPlan(
        name="Lindelaan",
        group_title="Lindelaan en omgeving",
        contact="Fatima",
        contact_note="straatcontact Lindelaan",
        residents=(
            ("Kees", "67, handig met fietsen", "nl"),
            ("Mohammed", "29, student", "nl"),
        ),
    ),
)


@dataclass
class Demo:
    """Who and what the demo has staged so far; later steps build on it."""

    harness: Harness
    people: dict[str, FakeUser] = field(default_factory=dict)
    groups: dict[str, FakeChat] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)

    @property
    def fake(self) -> FakeTelegram:
        """The fake Telegram the people act in."""
        return self.harness.fake

    def person(self, name: str, note: str, language: str = "nl") -> FakeUser:
        """A new Telegram user with a short description for the page."""
        user = self.fake.add_user(name, language_code=language)
        self.people[name] = user
        self.notes[user.id] = note
        return user

    def label(self, language: str, key: str, **params: Any) -> str:
        """A button label exactly as the bot shows it (from the bot's own texts)."""
        return self.harness.services.i18n.plain(language, key, **params)

    async def settle(self) -> None:
        """Wait until the bot has answered."""
        await self.harness.settle()


Step = Callable[[Demo], Awaitable[None]]


# Step 1 -----------------------------------------------------------------------------------


async def streets(demo: Demo) -> None:
    """Each street contact makes a group, adds the bot and links it to the street."""
    for plan in STREETS:
        contact = demo.person(plan.contact, plan.contact_note)
        group = demo.fake.add_group(plan.group_title, admins=[contact])
        demo.groups[plan.name] = group
        demo.fake.add_bot_to_group(group, by=contact)
        await demo.settle()
        contact.send(f"/setup {plan.name} | {NEIGHBOURHOOD} | {TOWN}", chat=group)
        await demo.settle()
        await join_street(demo, contact, group)


# Step 2 -----------------------------------------------------------------------------------


async def residents(demo: Demo) -> None:
    """Neighbours are added to their street group and tap "Doe mee"."""
    for plan in STREETS:
        group = demo.groups[plan.name]
        contact = demo.people[plan.contact]
        for name, note, language in plan.residents:
            neighbour = demo.person(name, note, language)
            demo.fake.add_member(group, neighbour, by=contact)
            await demo.settle()
            await join_street(demo, neighbour, group)


async def join_street(demo: Demo, user: FakeUser, group: FakeChat) -> None:
    """Tap "Doe mee" in the group, keep the suggested name, choose one's own language."""
    language = user.language_code or "nl"
    user.start_bot(await _join_payload(demo, group))
    await demo.settle()
    keep_name = demo.label(language, "join.use_name", name=user.first_name)
    question = _newest_with(user.private, keep_name)
    if question is None:  # a kept database: this person joined on an earlier run
        return
    user.press(question, keep_name)
    await demo.settle()
    choice = demo.label(language, f"language.{language}")
    user.press(user.private.with_button(choice), choice)
    await demo.settle()


async def _join_payload(demo: Demo, group: FakeChat) -> str:
    """The start payload of the group's "Doe mee" button: the street's own join link.

    Read from what the street is, not from the newest link in the group: other posts (the
    Bloemetje round on the first days of a month, a digest preview) carry links too."""
    street = await demo.harness.services.streets.by_chat(ChatRef(chat_id=str(group.id)))
    if street is None:
        raise RuntimeError(f"{group.title} is not linked to a street")
    payload = join_payload(street)
    if payload not in _start_payloads(demo, group):
        raise RuntimeError(f"no 'Doe mee' button in {group.title}")
    return payload


def _start_payloads(demo: Demo, group: FakeChat) -> set[str]:
    """The start payloads of every deep link into the bot on the bot's buttons in the group."""
    username = (demo.fake.bot.username or "").lower()
    payloads: set[str] = set()
    for message in group.bot_messages:
        for row in (message.reply_markup or {}).get("inline_keyboard", []):
            for button in row:
                parts = urlsplit(str(button.get("url") or ""))
                if parts.path.strip("/").lower() == username:
                    payloads.update(parse_qs(parts.query).get("start", []))
    return payloads


def _newest_with(chat: FakeChat, label: str) -> Message | None:
    for message in reversed(chat.bot_messages):
        if label in message.buttons:
            return message
    return None


# Step 3 -----------------------------------------------------------------------------------

TEAM_CHAT = "Wijkteam Oost"


async def moderators(demo: Demo) -> None:
    """Samira, community worker, links her team's group as the moderators chat of Oost.

    The operator hands her a one-time code (the `patchwork link-code` command calls the
    same service); she adds the bot to her group, sends /koppel with the code, and names
    her organisation so residents know who writes to them."""
    samira = demo.person("Samira", "opbouwwerker wijk Oost")
    team = demo.fake.add_group(TEAM_CHAT, admins=[samira])
    demo.groups[TEAM_CHAT] = team
    demo.fake.add_bot_to_group(team, by=samira)
    await demo.settle()
    _, code = await demo.harness.services.moderators.issue_code(NEIGHBOURHOOD, TOWN)
    samira.send(f"/koppel {code.code}", chat=team)
    await demo.settle()
    samira.send("/organisatie Buurtwerk Vlietstad", chat=team)
    await demo.settle()


# Step 4 -----------------------------------------------------------------------------------

# (who, category, what they offer, when, may it go on the paper street card)
OFFERS = (
    ("Anna", "paperwork", "Brieven voorlezen en samen invullen", Availability.WEEKDAYS, True),
    ("Anna", "company", "Een kop koffie en een praatje", Availability.ANYTIME, True),
    ("Joost", "tools", "Ladder en boormachine lenen", Availability.EVENINGS, True),
    ("Kees", "household", "Fietsband plakken en kleine reparaties", Availability.WEEKENDS, False),
)


def _user(person: FakeUser) -> ChannelUser:
    return ChannelUser(external_id=str(person.id), first_name=person.first_name)


async def exchange(demo: Demo) -> None:
    """Neighbours say what they can offer, and Mohammed asks the Lindelaan for help.

    This goes through the same exchange services the buttons call (the buttons themselves
    are tried in the tests), so the register and an open request card are there to see."""
    services = demo.harness.services
    for name, category, text, when, on_card in OFFERS:
        await services.exchange.register.add(
            _user(demo.people[name]),
            category=category,
            text=text,
            availability=when,
            on_card=on_card,
        )
    await services.exchange.requests.post(
        _user(demo.people["Mohammed"]),
        Draft(
            kind=RequestKind.ASK,
            category="transport",
            text="Wie kan mij zaterdag naar het station brengen? Ik heb een grote koffer.",
            when=When.WEEK,
        ),
    )
    services.wake_outbox()
    await demo.settle()


# Step 5 -----------------------------------------------------------------------------------

COORDINATOR = "Ria"


async def rides(demo: Demo) -> None:
    """Joost drives to the supermarket every Tuesday; Ria coordinates; Anna books a seat.

    Ria joins the Zonnebloemstraat and the operator gives her the coordinator role (as
    `patchwork role grant` does), so she can book seats for neighbours without a phone."""
    services = demo.harness.services
    ria = demo.person(COORDINATOR, "vrijwilliger, coördinator boodschappenritten")
    group = demo.groups["Zonnebloemstraat"]
    demo.fake.add_member(group, ria, by=demo.people["Piet"])
    await demo.settle()
    await join_street(demo, ria, group)
    resident = await services.residents.find(_user(ria))
    street = await services.streets.by_chat(ChatRef(chat_id=str(group.id)))
    if resident is not None and street is not None:
        await services.coordinators.operator_grant(
            street.neighbourhood_id, resident.id, NeighbourhoodRole.COORDINATOR
        )
    tuesday = next(d for d in services.rides.dates()[1:] if d.weekday() == 1)
    published = await services.rides.publish(
        _user(demo.people["Joost"]),
        RideDraft(
            day=tuesday,
            departs=time(10, 0),
            destination="AH Amsterdamstraat",
            seats=3,
            returns=time(11, 30),
            weekly=True,
        ),
    )
    await services.rides.book(_user(demo.people["Anna"]), published.rides[0].id, waitlist_ok=False)
    services.wake_outbox()
    await demo.settle()


# Step 6 -----------------------------------------------------------------------------------


async def checkins(demo: Demo) -> None:
    """Anna opts in to a daily check-in at 9:00 (two hours to answer); Joost is her buddy.

    "⏩ Klok vooruit" shows it: one day brings Anna's "Goedemorgen Anna, alles goed?"; if she
    does not answer, six hours more bring Joost the alarm, and "Ik kan nu niet" brings the
    card to the moderators chat. Through the same service calls the buttons make (the
    buttons themselves are tried in the end-to-end tests)."""
    services = demo.harness.services
    anna, joost = _user(demo.people["Anna"]), _user(demo.people["Joost"])
    current = await services.checkins.overview(anna)
    if current is not None and current.accepted:
        return  # a kept database has it already
    buddy = await services.residents.find(joost)
    if buddy is None:
        return
    await services.checkins.set_volunteer(joost, True)
    await services.checkins.begin(anna)
    await services.checkins.set_time(anna, 9 * 60)
    await services.checkins.set_window(anna, 2)
    await services.checkins.set_workers(anna, True)
    view = await services.checkins.ask_buddy(anna, buddy.id)
    asked = next(b for b, _ in view.buddies if b.resident_id == buddy.id)
    await services.checkins.answer_invite(joost, asked.id, yes=True)
    services.wake_outbox()
    await demo.settle()


# The story, in order. Capabilities append their step here.
STEPS: list[Step] = [streets, residents, moderators, exchange, rides, checkins]


async def stage(harness: Harness, steps: list[Step] | None = None) -> Demo:
    """Play every step of the demo against the running bot."""
    demo = Demo(harness)
    for step in steps if steps is not None else STEPS:
        log.info("demo step: %s", step.__name__)
        await step(demo)
    return demo

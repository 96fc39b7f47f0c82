"""A street with neighbours for exchange tests on a real database (services, flows)."""

from __future__ import annotations

from bot.storage.db import SqlDatabase
from models.clock import FakeClock
from models.core import ChannelUser, ChatRef
from models.residents import ResidentService
from models.streets import StreetService


class Admins:
    """Everyone is an administrator of the group (the street's setup needs one)."""

    async def is_administrator(self, chat: ChatRef, external_id: str) -> bool:
        return True


async def street_code(db: SqlDatabase, clock: FakeClock) -> str:
    """Zonnebloemstraat in Oost, Vlietstad, with its group; its join code."""
    streets = StreetService(db, clock, Admins())
    result = await streets.setup(
        ChannelUser(external_id="1"),
        ChatRef(chat_id="-100"),
        "Buren",
        "Zonnebloemstraat",
        "Oost",
        "Vlietstad",
        "nl",
    )
    return result.street.join_code


async def people(db: SqlDatabase, clock: FakeClock, *names: str) -> list[ChannelUser]:
    """Neighbours who joined the street (external ids from 10 on)."""
    code = await street_code(db, clock)
    residents = ResidentService(db, clock)
    users = []
    for number, name in enumerate(names, start=10):
        user = ChannelUser(external_id=str(number), first_name=name)
        await residents.join(user, code, name, "nl")
        users.append(user)
    return users

"""Operator commands for neighbourhood roles and for finding ids.

    patchwork neighbourhoods
    patchwork residents --neighbourhood-id 1
    patchwork role grant --neighbourhood-id 1 --resident-id 7 coordinator
    patchwork role revoke --neighbourhood-id 1 --resident-id 7 coordinator
    patchwork role list --neighbourhood-id 1

Phone numbers are never printed (terminals end up in logs and screenshots).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from bot.storage import migrate
from bot.storage.db import SqlDatabase
from config.settings import SettingsError, load_settings
from models.clock import SystemClock
from models.core import NeighbourhoodRole
from models.errors import NotFound
from models.rides.coordination import CoordinatorService

ROLES = [role.value for role in NeighbourhoodRole]


def add_commands(sub: Any) -> None:
    """Add the `role`, `neighbourhoods` and `residents` sub-commands to the parser."""
    role = sub.add_parser("role", help="give, take or list neighbourhood roles")
    actions = role.add_subparsers(dest="role_command", required=True)
    for name, func, text in (
        ("grant", cmd_role_grant, "give a resident a role in a neighbourhood"),
        ("revoke", cmd_role_revoke, "take a role back"),
    ):
        parser = actions.add_parser(name, help=text)
        parser.add_argument("--neighbourhood-id", type=int, required=True)
        parser.add_argument("--resident-id", type=int, required=True)
        parser.add_argument("role", choices=ROLES)
        parser.set_defaults(func=func)
    listing = actions.add_parser("list", help="who holds which role")
    listing.add_argument("--neighbourhood-id", type=int)
    listing.set_defaults(func=cmd_role_list)
    hoods = sub.add_parser("neighbourhoods", help="list neighbourhoods and their streets")
    hoods.set_defaults(func=cmd_neighbourhoods)
    people = sub.add_parser("residents", help="list the residents of a neighbourhood")
    people.add_argument("--neighbourhood-id", type=int, required=True)
    people.set_defaults(func=cmd_residents)


def _with_db(work: Callable[[SqlDatabase], Awaitable[int]]) -> int:
    try:
        settings = load_settings()
    except SettingsError as err:
        print(f"Invalid setting: {err}", file=sys.stderr)
        return 2

    async def run() -> int:
        db = SqlDatabase.from_url(settings.database_url)
        try:
            await migrate.upgrade(db.engine)
            return await work(db)
        finally:
            await db.close()

    return asyncio.run(run())


def cmd_role_grant(args: argparse.Namespace) -> int:
    """Give a role; a new coordinator gets a message from the bot."""
    role = NeighbourhoodRole(args.role)

    async def work(db: SqlDatabase) -> int:
        service = CoordinatorService(db, SystemClock())
        try:
            changed = await service.operator_grant(args.neighbourhood_id, args.resident_id, role)
        except NotFound:
            print(
                "No such neighbourhood or resident (see `patchwork residents`).", file=sys.stderr
            )
            return 1
        print(f"{'Granted' if changed else 'Already held'}: {role.value}")
        return 0

    return _with_db(work)


def cmd_role_revoke(args: argparse.Namespace) -> int:
    """Take a role back."""
    role = NeighbourhoodRole(args.role)

    async def work(db: SqlDatabase) -> int:
        service = CoordinatorService(db, SystemClock())
        changed = await service.operator_revoke(args.neighbourhood_id, args.resident_id, role)
        print(f"{'Revoked' if changed else 'Was not held'}: {role.value}")
        return 0

    return _with_db(work)


def cmd_role_list(args: argparse.Namespace) -> int:
    """Print role holders per neighbourhood."""

    async def work(db: SqlDatabase) -> int:
        async with db.read() as tx:
            hoods = await tx.neighbourhoods.list_all()
            for hood in hoods:
                if args.neighbourhood_id not in (None, hood.id):
                    continue
                for role in NeighbourhoodRole:
                    for resident in await tx.memberships.holders(hood.id, role):
                        print(
                            f"{hood.id}\t{hood.name}\t{role.value}\t{resident.id}\t{resident.display_name}"
                        )
        return 0

    return _with_db(work)


def cmd_neighbourhoods(args: argparse.Namespace) -> int:
    """Print every neighbourhood with its streets."""

    async def work(db: SqlDatabase) -> int:
        async with db.read() as tx:
            for hood in await tx.neighbourhoods.list_all():
                streets = await tx.streets.in_neighbourhood(hood.id)
                names = ", ".join(s.name for s in streets) or "-"
                print(f"{hood.id}\t{hood.name} ({hood.municipality})\t{names}")
        return 0

    return _with_db(work)


def cmd_residents(args: argparse.Namespace) -> int:
    """Print the residents of a neighbourhood: id, name, street, proxy, roles."""

    async def work(db: SqlDatabase) -> int:
        async with db.read() as tx:
            if await tx.neighbourhoods.get(args.neighbourhood_id) is None:
                print("No such neighbourhood (see `patchwork neighbourhoods`).", file=sys.stderr)
                return 1
            for street in await tx.streets.in_neighbourhood(args.neighbourhood_id):
                for membership in await tx.memberships.of_street(street.id):
                    resident = await tx.residents.get(membership.resident_id)
                    if resident is None:
                        continue
                    roles = [
                        role.value
                        for hood, role in await tx.memberships.roles(resident.id)
                        if hood == args.neighbourhood_id
                    ]
                    flags = ["no Telegram"] if resident.is_proxy else []
                    extra = ", ".join(flags + roles)
                    print(f"{resident.id}\t{resident.display_name}\t{street.name}\t{extra}")
        return 0

    return _with_db(work)

"""Operator sub-commands for escalation: neighbourhoods, link codes, community workers."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from models.clock import SystemClock
from models.errors import DomainError
from models.escalation.workers import ModeratorsService, WorkerCheck
from models.ports import ChatStanding


class NoChannel:
    """The command line never asks Telegram; worker checks happen in the running bot."""

    async def is_administrator(self, chat: Any, external_id: str) -> bool:
        """Never."""
        return False

    async def standing(self, chat: Any, external_id: str) -> ChatStanding:
        """Unknown here."""
        return "absent"


def _run(work: Callable[[ModeratorsService], Awaitable[int]]) -> int:
    from bot.cli import _settings  # noqa: PLC0415 - avoid an import cycle
    from bot.storage import migrate  # noqa: PLC0415
    from bot.storage.db import SqlDatabase  # noqa: PLC0415

    settings = _settings()

    async def main() -> int:
        db = SqlDatabase.from_url(settings.database_url)
        try:
            await migrate.upgrade(db.engine)
            clock = SystemClock()
            service = ModeratorsService(db, clock, WorkerCheck(db, clock, NoChannel()))
            return await work(service)
        finally:
            await db.close()

    try:
        return asyncio.run(main())
    except DomainError as err:
        print(f"Not done: {err.message_key}")
        return 1


def cmd_link_code(args: argparse.Namespace) -> int:
    """Create the neighbourhood when new and print a one-time link code."""

    async def work(service: ModeratorsService) -> int:
        hood, code = await service.issue_code(args.name, args.municipality, actor="cli")
        print(f"Neighbourhood {hood.name} ({hood.municipality}), id {hood.id}")
        print(f"Link code: {code.code} (valid until {code.expires_at:%Y-%m-%d %H:%M} UTC)")
        print(f"Add the bot to the community workers' group and send there: /koppel {code.code}")
        return 0

    return _run(work)


def cmd_list(args: argparse.Namespace) -> int:
    """Every neighbourhood, whether its moderators chat is linked, and its listed workers."""

    async def work(service: ModeratorsService) -> int:
        for hood, workers in await service.neighbourhoods():
            linked = "linked" if hood.moderators_chat else "no moderators chat"
            names = ", ".join(f"{w.display_name} ({w.external_id})" for w in workers) or "-"
            print(f"{hood.id}\t{hood.name} ({hood.municipality})\t{linked}\tworkers: {names}")
        return 0

    return _run(work)


def cmd_worker(args: argparse.Namespace) -> int:
    """List (add) or unlist (remove) a community worker of a neighbourhood."""

    async def work(service: ModeratorsService) -> int:
        if args.action == "add":
            worker = await service.add_worker(
                args.neighbourhood,
                args.municipality,
                args.telegram_id,
                args.name or "Opbouwwerker",
                args.organisation,
            )
            print(f"{worker.display_name} is a listed community worker (resident {worker.id}).")
            print("They must also be a member of the neighbourhood's moderators chat.")
            return 0
        removed = await service.remove_worker(
            args.neighbourhood, args.municipality, args.telegram_id
        )
        print("Removed." if removed else "Was not listed.")
        return 0 if removed else 1

    return _run(work)


def register(sub: Any) -> None:
    """Add the escalation sub-commands to the `patchwork` parser."""
    hood = sub.add_parser("neighbourhood", help="neighbourhoods and their moderators chats")
    hood_sub = hood.add_subparsers(dest="hood_command", required=True)
    add = hood_sub.add_parser("add", help="add a neighbourhood and print a link code")
    add.add_argument("name")
    add.add_argument("--municipality", required=True)
    add.set_defaults(func=cmd_link_code)
    hood_sub.add_parser("list", help="list neighbourhoods and workers").set_defaults(func=cmd_list)
    code = sub.add_parser("link-code", help="a one-time code to link a moderators chat")
    code.add_argument("name", help="neighbourhood name")
    code.add_argument("--municipality", required=True)
    code.set_defaults(func=cmd_link_code)
    worker = sub.add_parser("worker", help="list or unlist a community worker")
    worker.add_argument("action", choices=["add", "remove"])
    worker.add_argument("--neighbourhood", required=True)
    worker.add_argument("--municipality", required=True)
    worker.add_argument("--telegram-id", required=True)
    worker.add_argument("--name")
    worker.add_argument("--organisation")
    worker.set_defaults(func=cmd_worker)

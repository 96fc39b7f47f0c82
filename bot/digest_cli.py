"""Operator sub-commands for the weekly digest: send one street's digest, or all due, now."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.cli_escalation import NoChannel
from models.digest.model import SendNow
from models.errors import DomainError

SAID = {
    SendNow.SENT: "Digest of street {id} ({name}) is in the outbox; the running bot sends it.",
    SendNow.ALREADY: "Street {id} ({name}) had its digest this week already; nothing sent.",
    SendNow.EMPTY: "Street {id} ({name}) has nothing to tell this week; nothing sent.",
    SendNow.NO_CHAT: "Street {id} ({name}) has no active group; nothing sent.",
}


def cmd_digest_send(args: argparse.Namespace) -> int:
    """Put a digest in the outbox now: one street's (--street) or every due one (--due).

    The same path as the schedule, with the same idempotency key, so the scheduled digest
    of the same week is not sent again."""
    from bot.cli import _settings  # noqa: PLC0415 - avoid an import cycle
    from bot.outbox import Renderers  # noqa: PLC0415 - heavy imports
    from bot.services import build_services  # noqa: PLC0415
    from bot.storage import migrate  # noqa: PLC0415
    from bot.storage.db import SqlDatabase  # noqa: PLC0415
    from config.i18n import Translator  # noqa: PLC0415
    from models.clock import SystemClock  # noqa: PLC0415

    settings = _settings()

    async def main() -> int:
        db = SqlDatabase.from_url(settings.database_url)
        try:
            await migrate.upgrade(db.engine)
            services = build_services(
                settings, SystemClock(), db, NoChannel(), Translator.load(), Renderers()
            )
            if args.due:
                sent = await services.digest.sweep()
                print(f"{sent} due digest(s) put in the outbox; the running bot sends them.")
                return 0
            street = await services.streets.get(args.street)
            outcome = await services.digest.send_now(street.id)
            print(SAID[outcome].format(id=street.id, name=street.name))
            return 0 if outcome is SendNow.SENT else 1
        finally:
            await db.close()

    try:
        return asyncio.run(main())
    except DomainError as err:
        print(f"Not done: {err.message_key} (is {args.street} a street id?)")
        return 2


def register(sub: Any) -> None:
    """Add `patchwork digest send` to the parser."""
    digest = sub.add_parser("digest", help="the weekly digest")
    digest_sub = digest.add_subparsers(dest="digest_command", required=True)
    send = digest_sub.add_parser("send", help="send a digest now, through the outbox")
    which = send.add_mutually_exclusive_group(required=True)
    which.add_argument("--street", type=int, help="this street's digest of this week")
    which.add_argument("--due", action="store_true", help="every digest that is due now")
    send.set_defaults(func=cmd_digest_send)

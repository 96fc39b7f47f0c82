"""The `patchwork` command line: run, sandbox, migrate, backup, version, roles and more."""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import __version__, digest_cli, rides_cli
from config.settings import Settings, SettingsError, load_settings

NO_TOKEN_HELP = (
    "Patchwork needs a bot token: in Telegram, talk to @BotFather, send /newbot, copy the token.\n"
    "Then: PATCHWORK_BOT_TOKEN=123456:ABC... make run  (or put it in .env, see .env.example)"
)


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as err:
        print(f"Invalid setting: {err}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_run(args: argparse.Namespace) -> int:
    """Run the bot: long polling, or a webhook server with --webhook."""
    from bot.app import ALLOWED_UPDATES, build_application  # noqa: PLC0415 - heavy imports
    from bot.logs import setup_logging  # noqa: PLC0415

    settings = _settings()
    try:
        token = settings.token()
    except SettingsError:
        print(NO_TOKEN_HELP, file=sys.stderr)
        return 2
    secrets = (
        token,
        settings.webhook_secret.get_secret_value() if settings.webhook_secret else "",
    )
    setup_logging(settings.log_level, secrets)
    app, _ = build_application(settings)
    if args.webhook:
        if not settings.webhook_url or not settings.webhook_secret:
            print(
                "Webhook mode needs PATCHWORK_WEBHOOK_URL and PATCHWORK_WEBHOOK_SECRET.",
                file=sys.stderr,
            )
            return 2
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path="telegram",
            webhook_url=settings.webhook_url.rstrip("/") + "/telegram",
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=ALLOWED_UPDATES,
        )
        return 0
    app.run_polling(
        allowed_updates=ALLOWED_UPDATES,
        timeout=settings.polling_timeout,
        poll_interval=0.0,
        drop_pending_updates=False,
    )
    return 0


def cmd_check_token(args: argparse.Namespace) -> int:
    """Exit 0 when a bot token is configured, 1 when not, 2 on an invalid setting."""
    try:
        settings = load_settings()
    except SettingsError as err:
        if not args.quiet:
            print(f"Invalid setting: {err}", file=sys.stderr)
        return 2
    try:
        settings.token()
    except SettingsError:
        if not args.quiet:
            print("No bot token configured (PATCHWORK_BOT_TOKEN, environment or .env).")
        return 1
    if not args.quiet:
        print("A bot token is configured.")
    return 0


def cmd_sandbox(args: argparse.Namespace) -> int:
    """Run the sandbox: fake Telegram, the real bot and a web page, on 127.0.0.1 only."""
    from bot.logs import setup_logging  # noqa: PLC0415 - heavy imports
    from bot.sandbox.harness import TEST_TOKEN  # noqa: PLC0415
    from bot.sandbox.server import SandboxOptions, serve  # noqa: PLC0415

    if not 0 <= args.port <= 65535:
        print("--port must be between 0 and 65535.", file=sys.stderr)
        return 2
    setup_logging("WARNING", (TEST_TOKEN,))
    options = SandboxOptions(port=args.port, db=args.db, demo=args.demo, start=args.start)
    return serve(options, no_token=args.no_token)


def _sandbox_start(value: str) -> datetime:
    """A moment typed as 'YYYY-MM-DD HH:MM', read in Europe/Amsterdam unless it has an offset."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a moment such as '2027-03-28 02:30'"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("Europe/Amsterdam"))


def cmd_migrate(args: argparse.Namespace) -> int:
    """Apply every migration."""
    from bot.storage import migrate  # noqa: PLC0415
    from bot.storage.db import make_engine  # noqa: PLC0415

    settings = _settings()

    async def run() -> set[str]:
        engine = make_engine(settings.database_url)
        try:
            await migrate.upgrade(engine)
            return await migrate.current_revisions(engine)
        finally:
            await engine.dispose()

    revisions = asyncio.run(run())
    print("Database is at:", ", ".join(sorted(revisions)) or "(empty)")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Back up the database: SQLite's online backup API, or pg_dump for PostgreSQL."""
    settings = _settings()
    target = Path(args.path)
    source = settings.sqlite_path
    if source is None:
        return _pg_dump(settings.database_url, target)
    if not source.exists():
        print(f"No database at {source}.", file=sys.stderr)
        return 2
    if target.exists():
        print(f"{target} exists already; choose a new file.", file=sys.stderr)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    print(f"Backup written to {target}")
    return 0


def _pg_dump(database_url: str, target: Path) -> int:
    """pg_dump in its custom format (restore with pg_restore); the password via PGPASSWORD."""
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    url = make_url(database_url).set(drivername="postgresql")
    plain = url.set(password=None).render_as_string(hide_password=False)
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        print(
            "backup of PostgreSQL needs pg_dump (apt-get install postgresql-client), or run: "
            f"pg_dump --format=custom --file {target} '{plain}'",
            file=sys.stderr,
        )
        return 2
    if target.exists():
        print(f"{target} exists already; choose a new file.", file=sys.stderr)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    done = subprocess.run(  # noqa: S603 - pg_dump from PATH, our own arguments
        [pg_dump, "--format=custom", "--no-owner", f"--file={target}", f"--dbname={plain}"],
        env=env,
        check=False,
    )
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        print(f"pg_dump failed (exit {done.returncode}); no backup written.", file=sys.stderr)
        return 2
    print(f"Backup written to {target} (pg_dump custom format; restore with pg_restore)")
    return 0


def cmd_version(args: argparse.Namespace) -> int:
    """Print the version."""
    print(f"patchwork {__version__}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser (sub-commands are added here by each capability)."""
    root = argparse.ArgumentParser(prog="patchwork", description="Patchwork neighbourhood bot")
    sub = root.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the bot (long polling by default)")
    run.add_argument("--webhook", action="store_true", help="serve a webhook instead of polling")
    run.set_defaults(func=cmd_run)
    sandbox = sub.add_parser(
        "sandbox",
        help="try the bot in a browser, without Telegram (127.0.0.1 only)",
        description="Start a fake Telegram, the real bot and a web page on 127.0.0.1.",
    )
    sandbox.add_argument("--port", type=int, default=8080, help="port of the page (0: any free)")
    sandbox.add_argument(
        "--db", type=Path, default=None, help="keep the bot's SQLite database in this file"
    )
    sandbox.add_argument(
        "--demo",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="stage the demo neighbourhood Oost (default: yes)",
    )
    sandbox.add_argument(
        "--start",
        type=_sandbox_start,
        default=None,
        metavar="'YYYY-MM-DD HH:MM'",
        help="let the sandbox's clock start at this moment in Europe/Amsterdam (default: now)",
    )
    sandbox.add_argument(
        "--no-token",
        action="store_true",
        help="say that this runs because no bot token is set (used by `make run`)",
    )
    sandbox.set_defaults(func=cmd_sandbox)
    check = sub.add_parser("check-token", help="exit 0 when a bot token is configured, else 1")
    check.add_argument("--quiet", action="store_true", help="print nothing")
    check.set_defaults(func=cmd_check_token)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    backup = sub.add_parser("backup", help="back up the database to PATH (or pg_dump it)")
    backup.add_argument("path")
    backup.set_defaults(func=cmd_backup)
    sub.add_parser("version", help="print the version").set_defaults(func=cmd_version)
    from bot import cli_escalation  # noqa: PLC0415 - capability sub-commands

    cli_escalation.register(sub)
    digest_cli.register(sub)
    rides_cli.add_commands(sub)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())

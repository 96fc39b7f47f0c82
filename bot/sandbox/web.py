"""The sandbox's web page: a small messenger over the fake Bot API, updated live.

The page (plain HTML, CSS and JavaScript in `static/`) acts as people: it sends their
messages and button presses into the fake server, exactly as Telegram's apps would, and
shows what the real bot answered. Changes reach the page as server-sent events; the page
then asks for a fresh view of the person and chat it shows.

It listens on loopback only, answers only requests addressed to loopback (no DNS
rebinding), and accepts changes only as JSON (no cross-site form posts).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from aiohttp import web
from babel.dates import format_date

from bot.sandbox.clock import SandboxClock
from bot.sandbox.fake_telegram import MAX_TEXT, FakeChat, FakeTelegram, FakeUser, Message
from bot.sandbox.harness import Harness
from bot.sandbox.telegram_html import ParseError, parse_html

log = logging.getLogger(__name__)

JSON = dict[str, Any]
STATIC = Path(__file__).parent / "static"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
NAME_MAX = 64
TITLE_MAX = 128
MAX_CLOCK_MINUTES = 60 * 24 * 31
CLOCK_STEP = timedelta(hours=1)  # the sweeps run at least this often while the clock moves
LIVE_EVENTS = frozenset({"user", "chat", "message", "edit", "delete", "keyboard"})
PING_SECONDS = 15.0
LANGUAGES = ("nl", "en")
LINK_HOSTS = frozenset({"t.me", "telegram.me"})


class Refused(Exception):
    """A request the page should not have made; the message is shown to the person."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Status:
    """What the sandbox is doing, shown at the top of the page."""

    ready: bool = True
    text: str = ""


class SandboxWeb:
    """The web page and its small JSON API, served next to the fake Bot API."""

    def __init__(
        self,
        fake: FakeTelegram,
        harness: Harness,
        clock: SandboxClock | None = None,
        *,
        timezone: str = "Europe/Amsterdam",
    ) -> None:
        self.fake = fake
        self.harness = harness
        self.clock = clock
        self.tz = ZoneInfo(timezone)
        self.notes: dict[int, str] = {}
        # whom the page shows first when it does not say (the demo's main character)
        self.first_person: int | None = None
        self.status = Status()
        self.port = 0
        self.host = "127.0.0.1"
        self._seen: dict[tuple[int, int], int] = {}
        self._presses: dict[str, int] = {}
        self._keyboards: dict[int, JSON] = {}
        self._hidden_keyboards: set[int] = set()
        self._answered_prompts: set[tuple[int, int]] = set()
        self._subscribers: set[asyncio.Queue[JSON | None]] = set()
        self._runner: web.AppRunner | None = None
        fake.listeners.append(self._on_event)

    # Life cycle --------------------------------------------------------------

    def app(self) -> web.Application:
        """The aiohttp application (routes, guards)."""
        app = web.Application(middlewares=[self._guard], client_max_size=64 * 1024)
        app.router.add_get("/", self._index)
        app.router.add_static("/static/", STATIC, show_index=False)
        app.router.add_get("/api/view", self._view)
        app.router.add_get("/api/events", self._events)
        app.router.add_get("/api/files/{file_id}", self._file)
        posts: dict[str, Callable[[JSON], Awaitable[JSON]]] = {
            "/api/send": self._send,
            "/api/press": self._press,
            "/api/link": self._link,
            "/api/people": self._add_person,
            "/api/groups": self._add_group,
            "/api/members": self._add_member,
            "/api/admins": self._make_admin,
            "/api/bot": self._add_bot,
            "/api/clock": self._advance_clock,
        }
        for path, action in posts.items():
            app.router.add_post(path, self._json_action(action))
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 8080) -> str:
        """Listen on loopback; returns the page's address."""
        if host not in {"127.0.0.1", "::1", "localhost"}:
            raise ValueError("the sandbox page listens on loopback only")
        self._runner = web.AppRunner(self.app(), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        try:
            await site.start()
        except OSError:
            await self._runner.cleanup()
            self._runner = None
            raise
        server = site._server
        assert server is not None
        self.host = host
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self.url

    @property
    def url(self) -> str:
        """The page's address."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    async def stop(self) -> None:
        """End every live stream, then stop listening."""
        for queue in list(self._subscribers):
            queue.put_nowait(None)
        with contextlib.suppress(ValueError):
            self.fake.listeners.remove(self._on_event)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def set_status(self, text: str, *, ready: bool) -> None:
        """Show what the sandbox is doing (e.g. staging the demo)."""
        self.status = Status(ready=ready, text=text)
        self._publish({"kind": "status"})

    # Live events -------------------------------------------------------------

    def _on_event(self, event: str, data: JSON) -> None:
        if event == "keyboard":
            self._remember_keyboard(int(data["chat_id"]))
        if event == "toast":
            person = self._presses.pop(str(data.get("query_id")), None)
            if person is not None and data.get("text"):
                self._publish(
                    {
                        "kind": "toast",
                        "person": person,
                        "text": str(data["text"]),
                        "alert": bool(data.get("show_alert")),
                    }
                )
            return
        if event in LIVE_EVENTS:
            self._publish({"kind": event, **data})

    def _publish(self, item: JSON) -> None:
        for queue in list(self._subscribers):
            queue.put_nowait(item)

    def _remember_keyboard(self, chat_id: int) -> None:
        markup = self.fake.reply_keyboards.get(chat_id) or {}
        if markup.get("force_reply"):
            return
        self._keyboards[chat_id] = markup
        self._hidden_keyboards.discard(chat_id)

    async def _events(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"}
        )
        await response.prepare(request)
        queue: asyncio.Queue[JSON | None] = asyncio.Queue()
        self._subscribers.add(queue)
        try:
            await response.write(b"retry: 1000\n\n")
            while True:
                try:
                    item = await asyncio.wait_for(queue.get(), timeout=PING_SECONDS)
                except TimeoutError:
                    await response.write(b": ping\n\n")
                    continue
                if item is None:
                    break
                await response.write(f"data: {json.dumps(item)}\n\n".encode())
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self._subscribers.discard(queue)
        return response

    # Pages and files -----------------------------------------------------------

    async def _index(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "index.html")

    async def _file(self, request: web.Request) -> web.Response:
        stored = self.fake.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound()
        content, name, mime = stored
        safe = "".join(c for c in name if c.isalnum() or c in "._- ") or "bestand"
        return web.Response(
            body=content,
            content_type=mime,
            headers={"Content-Disposition": f'inline; filename="{safe}"'},
        )

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        host = (request.host or "").rsplit(":", 1)[0] if request.host else ""
        if host not in LOOPBACK_HOSTS:
            raise web.HTTPForbidden(text="The sandbox answers on 127.0.0.1 only.")
        if request.method == "POST" and request.content_type != "application/json":
            raise web.HTTPUnsupportedMediaType(text="Send JSON.")
        response = await handler(request)
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def _json_action(
        self, action: Callable[[JSON], Awaitable[JSON]]
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            try:
                body = await request.json()
            except ValueError:
                return web.json_response({"error": "Dat was geen geldige vraag."}, status=400)
            if not isinstance(body, dict):
                return web.json_response({"error": "Dat was geen geldige vraag."}, status=400)
            try:
                return web.json_response(await action(body))
            except Refused as refused:
                return web.json_response({"error": str(refused)}, status=refused.status)

        return handle

    # Reading -------------------------------------------------------------------

    async def _view(self, request: web.Request) -> web.Response:
        person_id = _int(request.query.get("person"))
        chat_id = _int(request.query.get("chat"))
        return web.json_response(self.view(person_id, chat_id))

    def view(self, person_id: int | None, chat_id: int | None) -> JSON:
        """Everything the page shows for one person and one of their chats."""
        people = self._people()
        person = (
            self.fake.users.get(person_id or 0)
            or self.fake.users.get(self.first_person or 0)
            or (people[0] if people else None)
        )
        base: JSON = {
            "status": {"ready": self.status.ready, "text": self.status.text},
            "clock": self._clock_json(),
            "bot": {"name": self.fake.bot.first_name, "username": self.fake.bot.username},
            "people": [self._person_json(p) for p in people],
            "groups": [self._group_json(c) for c in self._groups()],
        }
        if person is None:
            return base | {"person": None, "chats": [], "chat": None}
        chats = self.fake.chats_of(person)
        chat = next((c for c in chats if c.id == chat_id), chats[0])
        visible = chat.visible
        if visible:
            self._seen[(person.id, chat.id)] = visible[-1].message_id
        return base | {
            "person": self._person_json(person),
            "chats": [self._chat_summary(person, c) for c in chats],
            "chat": self._chat_json(person, chat),
        }

    def _people(self) -> list[FakeUser]:
        return [u for u in self.fake.users.values() if not u.is_bot]

    def _groups(self) -> list[FakeChat]:
        return [
            c for c in self.fake.chats.values() if c.type != "private" and c.migrated_to is None
        ]

    def _clock_json(self) -> JSON:
        now = self.fake.now().astimezone(self.tz)
        ahead = self.clock.offset if self.clock is not None else timedelta(0)
        return {
            "label": f"{format_date(now, 'EEEE d MMMM', locale='nl')} {now:%H:%M}",
            "ahead_minutes": int(ahead.total_seconds() // 60),
            "movable": self.clock is not None,
        }

    def _person_json(self, user: FakeUser) -> JSON:
        return {
            "id": user.id,
            "name": user.first_name,
            "note": self.notes.get(user.id, ""),
            "language": user.language_code or "",
        }

    def _group_json(self, chat: FakeChat) -> JSON:
        return {
            "id": chat.id,
            "title": chat.title or "",
            "members": sorted(chat.members),
            "admins": sorted(chat.admins),
            "bot": chat.bot_member,
        }

    def _title(self, chat: FakeChat) -> str:
        return self.fake.bot.first_name if chat.type == "private" else chat.title or ""

    def _chat_summary(self, person: FakeUser, chat: FakeChat) -> JSON:
        visible = chat.visible
        seen = self._seen.get((person.id, chat.id), 0)
        unread = sum(1 for m in visible if m.message_id > seen and m.sender_id != person.id)
        last = visible[-1] if visible else None
        return {
            "id": chat.id,
            "type": "private" if chat.type == "private" else "group",
            "title": self._title(chat),
            "preview": self._preview(last) if last else "",
            "time": self._local(last).strftime("%H:%M") if last else "",
            "unread": unread,
        }

    def _chat_json(self, person: FakeUser, chat: FakeChat) -> JSON:
        group = chat.type != "private"
        if group:
            roles = []
            if person.id in chat.admins:
                roles.append("admin")
            subtitle = {
                "members": len(chat.members),
                "bot": "admin" if chat.bot_admin else "member" if chat.bot_member else "absent",
                "roles": roles,
            }
        else:
            subtitle = {"bot": "private", "started": person.started}
        keyboard = None if chat.id in self._hidden_keyboards else self._keyboards.get(chat.id)
        rows = (keyboard or {}).get("keyboard")
        return {
            "id": chat.id,
            "type": "group" if group else "private",
            "title": self._title(chat),
            "about": subtitle,
            "messages": [self._message_json(person, chat, m) for m in chat.visible],
            "keyboard": (
                {
                    "rows": [[_button_text(b) for b in row] for row in rows],
                    "placeholder": str(keyboard.get("input_field_placeholder") or ""),
                }
                if rows and keyboard is not None
                else None
            ),
            "prompt": self._prompt(person, chat),
            "can_send": not group or person.id in chat.members,
        }

    def _prompt(self, person: FakeUser, chat: FakeChat) -> JSON | None:
        message_id = self.fake.force_replies.get(chat.id)
        if message_id is None or (person.id, message_id) in self._answered_prompts:
            return None
        message = self.fake.message(chat, message_id)
        if message is None or message.deleted:
            return None
        markup = self.fake.reply_keyboards.get(chat.id) or {}
        placeholder = markup.get("input_field_placeholder") if markup.get("force_reply") else None
        return {
            "message_id": message_id,
            "text": self._preview(message),
            "placeholder": str(placeholder or ""),
        }

    def _message_json(self, person: FakeUser, chat: FakeChat, message: Message) -> JSON:
        sender = self.fake.user(message.sender_id)
        local = self._local(message)
        entities = message.entities
        caption_entities: list[JSON] = []
        if message.caption and message.html and message.text is None:
            with contextlib.suppress(ParseError):
                caption_entities = parse_html(message.html).entities
        data: JSON = {
            "id": message.message_id,
            "from": {"id": sender.id, "name": sender.first_name, "bot": sender.is_bot},
            "own": message.sender_id == person.id,
            "time": local.strftime("%H:%M"),
            "day": format_date(local, "EEEE d MMMM", locale="nl"),
            "text": message.text,
            "entities": entities,
            "caption": message.caption,
            "caption_entities": caption_entities,
            "edited": message.edited,
            "forwarded": message.forward_from is not None,
            "photo": bool(message.photo),
            "voice": message.voice is not None,
            "document": None,
            "buttons": [],
            "reply_to": None,
            "service": self._service_text(message),
        }
        if message.document:
            document = message.document
            data["document"] = {
                "name": str(document.get("file_name") or "bestand"),
                "size": int(document.get("file_size") or 0),
                "mime": str(document.get("mime_type") or ""),
                "url": f"/api/files/{document['file_id']}",
            }
        for row in (message.reply_markup or {}).get("inline_keyboard", []):
            data["buttons"].append(
                [
                    {
                        "text": b.get("text", ""),
                        "data": b.get("callback_data"),
                        "url": b.get("url"),
                    }
                    for b in row
                ]
            )
        if message.reply_to is not None:
            quoted = message.reply_to
            data["reply_to"] = {
                "id": quoted.message_id,
                "name": self.fake.user(quoted.sender_id).first_name,
                "text": self._preview(quoted),
            }
        return data

    def _service_text(self, message: Message) -> str | None:
        service = message.service or {}
        actor = self.fake.user(message.sender_id).first_name
        if "new_chat_members" in service:
            names = ", ".join(str(u.get("first_name")) for u in service["new_chat_members"])
            return f"{actor} heeft {names} toegevoegd"
        if "migrate_to_chat_id" in service or "migrate_from_chat_id" in service:
            return "De groep is een supergroep geworden"
        if service:
            return "(groepsbericht)"
        return None

    def _preview(self, message: Message) -> str:
        service = self._service_text(message)
        if service:
            return service
        if message.document:
            return "📄 " + str(message.document.get("file_name") or "")
        if message.photo:
            return "📷 Foto"
        if message.voice is not None:
            return "🎤 Spraakbericht"
        text = (message.text or message.caption or "").replace("\n", " ")
        return text[:80] + ("…" if len(text) > 80 else "")

    def _local(self, message: Message) -> datetime:
        return datetime.fromtimestamp(message.date, UTC).astimezone(self.tz)

    # Acting ----------------------------------------------------------------------

    def _person(self, body: JSON, key: str = "person") -> FakeUser:
        user = self.fake.users.get(_int(body.get(key)) or 0)
        if user is None or user.is_bot:
            raise Refused("Die persoon bestaat niet (meer).", 404)
        return user

    def _chat(self, person: FakeUser, body: JSON) -> FakeChat:
        chat_id = _int(body.get("chat"))
        chat = next((c for c in self.fake.chats_of(person) if c.id == chat_id), None)
        if chat is None:
            raise Refused(f"{person.first_name} zit niet in die chat.", 403)
        return chat

    def _group(self, body: JSON) -> FakeChat:
        chat = self.fake.chats.get(_int(body.get("group")) or 0)
        if chat is None or chat.type == "private" or chat.migrated_to is not None:
            raise Refused("Die groep bestaat niet (meer).", 404)
        return chat

    async def _send(self, body: JSON) -> JSON:
        person = self._person(body)
        chat = self._chat(person, body)
        text = str(body.get("text") or "").strip()
        if not text:
            raise Refused("Typ eerst een bericht.")
        if len(text.encode("utf-16-le")) // 2 > MAX_TEXT:
            raise Refused(f"Een bericht mag hoogstens {MAX_TEXT} tekens lang zijn.")
        reply_to = None
        reply_id = _int(body.get("reply_to"))
        if reply_id is not None:
            reply_to = self.fake.message(chat, reply_id)
            if reply_to is None or reply_to.deleted:
                raise Refused("Het bericht waarop je antwoordt is weg.", 409)
            self._answered_prompts.add((person.id, reply_id))
        if body.get("from_keyboard") and (self._keyboards.get(chat.id) or {}).get(
            "one_time_keyboard"
        ):
            self._hidden_keyboards.add(chat.id)
        message = person.send(text, chat=chat, reply_to=reply_to)
        return {"chat": chat.id, "message": message.message_id}

    async def _press(self, body: JSON) -> JSON:
        person = self._person(body)
        chat = self._chat(person, body)
        message = self.fake.message(chat, _int(body.get("message")) or 0)
        if message is None or message.deleted:
            raise Refused("Dat bericht is er niet meer.", 409)
        data = str(body.get("data") or "")
        rows = (message.reply_markup or {}).get("inline_keyboard", [])
        if not any(b.get("callback_data") == data for row in rows for b in row):
            raise Refused("Die knop staat niet (meer) onder het bericht.", 409)
        query_id = person.press(message, data=data)
        self._presses[query_id] = person.id
        return {"query": query_id}

    async def _link(self, body: JSON) -> JSON:
        """A link button: a t.me link to this bot opens the chat with /start, as Telegram does."""
        person = self._person(body)
        url = str(body.get("url") or "")
        parts = urlsplit(url)
        username = (self.fake.bot.username or "").lower()
        to_bot = parts.hostname in LINK_HOSTS and parts.path.strip("/").lower() == username
        if parts.scheme in {"http", "https"} and to_bot:
            payload = (parse_qs(parts.query).get("start") or [""])[0]
            person.start_bot(payload or None)
            return {"chat": person.private.id}
        if parts.scheme not in {"http", "https"}:
            raise Refused("Deze link kan de proefomgeving niet openen.")
        return {"external": url}

    async def _add_person(self, body: JSON) -> JSON:
        name = " ".join(str(body.get("name") or "").split())
        if not name:
            raise Refused("Geef de persoon een voornaam.")
        if len(name) > NAME_MAX:
            raise Refused(f"Een naam mag hoogstens {NAME_MAX} tekens lang zijn.")
        language = str(body.get("language") or "nl")
        if language not in LANGUAGES:
            raise Refused("Kies Nederlands of Engels.")
        user = self.fake.add_user(name, language_code=language)
        note = " ".join(str(body.get("note") or "").split())[:NAME_MAX]
        if note:
            self.notes[user.id] = note
        return {"person": user.id}

    async def _add_group(self, body: JSON) -> JSON:
        person = self._person(body)
        title = " ".join(str(body.get("title") or "").split())
        if not title:
            raise Refused("Geef de groep een naam.")
        if len(title) > TITLE_MAX:
            raise Refused(f"Een groepsnaam mag hoogstens {TITLE_MAX} tekens lang zijn.")
        chat = self.fake.add_group(title, admins=[person])
        return {"chat": chat.id}

    async def _add_member(self, body: JSON) -> JSON:
        person = self._person(body)
        chat = self._group(body)
        if person.id in chat.members:
            raise Refused(f"{person.first_name} zit al in {chat.title}.", 409)
        by = self._person(body, "by") if body.get("by") is not None else None
        if by is not None and by.id not in chat.members:
            raise Refused(f"{by.first_name} zit zelf niet in {chat.title}.", 403)
        self.fake.add_member(chat, person, by=by)
        return {"chat": chat.id}

    async def _make_admin(self, body: JSON) -> JSON:
        person = self._person(body)
        chat = self._group(body)
        if person.id in chat.admins:
            raise Refused(f"{person.first_name} is al beheerder van {chat.title}.", 409)
        self.fake.make_admin(chat, person)
        return {"chat": chat.id}

    async def _add_bot(self, body: JSON) -> JSON:
        person = self._person(body)
        chat = self._group(body)
        if person.id not in chat.members:
            raise Refused(f"{person.first_name} zit niet in {chat.title}.", 403)
        if chat.bot_member:
            raise Refused(f"De bot zit al in {chat.title}.", 409)
        self.fake.add_bot_to_group(chat, by=person, admin=bool(body.get("admin")))
        return {"chat": chat.id}

    async def _advance_clock(self, body: JSON) -> JSON:
        if self.clock is None:
            raise Refused("De klok van deze proefomgeving staat vast.", 409)
        minutes = _int(body.get("minutes"))
        if minutes is None or not 1 <= minutes <= MAX_CLOCK_MINUTES:
            raise Refused("Kies tussen 1 minuut en 31 dagen.")
        # Moving the clock is time passing, not the bot being down: walk through it in
        # steps and let the sweeps run at each, so what fell due on the way is sent at
        # about its moment (a digest, a reminder, a check-in), as it would have been.
        try:
            await self.harness.pass_time(self.clock, timedelta(minutes=minutes), CLOCK_STEP)
        except TimeoutError:
            log.warning("the bot was still busy after moving the clock")
        self._publish({"kind": "clock"})
        return {"clock": self._clock_json()}


def _button_text(button: Any) -> str:
    return str(button.get("text", "")) if isinstance(button, dict) else str(button)


def _int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

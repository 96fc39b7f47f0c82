"""A fake Telegram Bot API server on loopback, for tests, demos and the browser sandbox.

The real python-telegram-bot `Application` talks HTTP to it through the base URL setting.
It keeps users, chats, messages and keyboards; lets code act as people (send text, press
buttons, join groups, become administrator); records every call the bot makes; enforces
Telegram's rules (HTML parsing, lengths, callback data, who may be messaged, flood limits)
and can be told to fail: 429, 403, 400 chat migrated, 5xx, slow or hanging replies.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import BodyPartReader, web
from telegram import (
    AcceptedGiftTypes,
    ChatFullInfo,
    ChatMemberAdministrator,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberOwner,
    User,
)

from bot.sandbox.telegram_html import (
    ParseError,
    auto_entities,
    command_entities,
    parse_html,
    utf16_len,
)

JSON = dict[str, Any]
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
SEND_METHODS = frozenset(
    {"sendMessage", "sendDocument", "sendPhoto", "sendVoice", "copyMessage", "forwardMessage"}
)


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> JSON:
        """The JSON body Telegram sends."""
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass
class Fault:
    """A failure to inject into the next matching call(s)."""

    # retry_after | forbidden | migrated | bad_request | server | slow | hang | lost
    # (hang: never handled nor answered; lost: handled, the message lands, but the answer
    # never reaches the bot, as when a connection breaks after Telegram did the work)
    kind: str
    method: str | None = None
    chat_id: int | None = None
    times: int = 1
    retry_after: int = 1
    delay: float = 0.0
    description: str = ""

    def matches(self, method: str, params: JSON) -> bool:
        """Whether this fault applies to a call."""
        if self.method is not None and self.method != method:
            return False
        return self.chat_id is None or _as_int(params.get("chat_id")) == self.chat_id


@dataclass
class FloodLimits:
    """Telegram's flood limits, enforced when enabled (leaky buckets, like Telegram's)."""

    enabled: bool = False
    overall_per_second: float = 30
    group_per_minute: float = 20
    private_per_second: float = 1
    private_burst: float = 3
    tolerance: float = 1.0  # extra burst allowed, for network jitter between bot and server


@dataclass
class _Bucket:
    capacity: float
    per_second: float
    level: float = 0.0
    stamp: float = field(default_factory=time.monotonic)

    def take(self) -> float:
        """Add one; returns 0 when allowed, else seconds to wait."""
        now = time.monotonic()
        self.level = max(0.0, self.level - (now - self.stamp) * self.per_second)
        self.stamp = now
        if self.level + 1 > self.capacity:
            return (self.level + 1 - self.capacity) / self.per_second
        self.level += 1
        return 0.0


@dataclass
class ApiCall:
    """One call the bot made, with what we answered."""

    method: str
    params: JSON
    ok: bool
    result: Any = None
    error: str | None = None
    at: float = field(default_factory=time.monotonic)  # when it was answered
    started: float = 0.0  # when it arrived (monotonic)


@dataclass
class FakeUser:
    """A Telegram user that code can act as."""

    server: FakeTelegram
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "nl"
    is_bot: bool = False
    started: bool = False
    blocked_bot: bool = False

    def to_api(self) -> JSON:
        """As a Bot API User."""
        data: JSON = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    @property
    def private(self) -> FakeChat:
        """This user's private chat with the bot."""
        return self.server.private_chat(self)

    # Acting as this person -------------------------------------------------

    def send(
        self, text: str, chat: FakeChat | None = None, reply_to: Message | None = None
    ) -> Message:
        """Type a message (or a /command) in a chat; default: the private chat with the bot."""
        return self.server.user_sends(self, chat or self.private, text=text, reply_to=reply_to)

    def send_photo(self, chat: FakeChat | None = None, caption: str | None = None) -> Message:
        """Send a photo."""
        return self.server.user_sends(self, chat or self.private, photo=True, caption=caption)

    def send_voice(self, chat: FakeChat | None = None) -> Message:
        """Send a voice note."""
        return self.server.user_sends(self, chat or self.private, voice=True)

    def reply(self, to: Message, text: str) -> Message:
        """Reply to a message (how the bot sees answers in groups with privacy mode)."""
        return self.server.user_sends(self, self.server.chats[to.chat_id], text=text, reply_to=to)

    def press(
        self, message: Message, button_text: str | None = None, *, data: str | None = None
    ) -> str:
        """Press an inline button (by text, or by exact callback data); returns the query id."""
        return self.server.press_button(self, message, button_text, data=data)

    def start_bot(self, payload: str | None = None) -> Message:
        """Open the private chat through a link, as /start [payload]."""
        return self.send(f"/start {payload}" if payload else "/start")

    def block_bot(self) -> None:
        """Block the bot: sends to this user now fail with 403."""
        self.blocked_bot = True

    def unblock_bot(self) -> None:
        """Unblock the bot."""
        self.blocked_bot = False


@dataclass
class Message:
    """A message in a chat, as the fake keeps it."""

    message_id: int
    chat_id: int
    sender_id: int
    date: int
    text: str | None = None
    html: str | None = None
    entities: list[JSON] = field(default_factory=list)
    reply_markup: JSON | None = None
    reply_to: Message | None = None
    document: JSON | None = None
    photo: list[JSON] | None = None
    voice: JSON | None = None
    caption: str | None = None
    service: JSON | None = None
    edited: bool = False
    deleted: bool = False
    pinned: bool = False
    forward_from: int | None = None

    @property
    def from_bot(self) -> bool:
        """Whether the bot sent it."""
        return self.sender_id == BOT_ID

    @property
    def buttons(self) -> list[str]:
        """Texts of the inline buttons, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button["text"] for row in rows for button in row]

    def _button_field(self, text: str, field_name: str) -> str | None:
        for row in (self.reply_markup or {}).get("inline_keyboard", []):
            for button in row:
                if button["text"] == text:
                    value = button.get(field_name)
                    return str(value) if value is not None else None
        return None

    def button_data(self, text: str) -> str | None:
        """The callback data of the button with this text."""
        return self._button_field(text, "callback_data")

    def button_url(self, text: str) -> str | None:
        """The URL of the link button with this text."""
        return self._button_field(text, "url")


BOT_ID = 7_000_000_001
ANONYMOUS_ADMIN_ID = 1_087_968_824  # Telegram's GroupAnonymousBot


@dataclass
class FakeChat:
    """A chat: private (with one user), group or supergroup."""

    id: int
    type: str
    title: str | None = None
    user: FakeUser | None = None
    members: set[int] = field(default_factory=set)
    admins: set[int] = field(default_factory=set)
    creator: int | None = None
    anonymous_admins: set[int] = field(default_factory=set)
    bot_member: bool = False
    bot_admin: bool = False
    migrated_to: int | None = None
    messages: list[Message] = field(default_factory=list)

    def to_api(self) -> JSON:
        """As a Bot API Chat."""
        if self.type == "private":
            assert self.user is not None
            data: JSON = {"id": self.id, "type": "private", "first_name": self.user.first_name}
            if self.user.username:
                data["username"] = self.user.username
            return data
        return {"id": self.id, "type": self.type, "title": self.title or ""}

    @property
    def visible(self) -> list[Message]:
        """Messages that are not deleted, oldest first."""
        return [m for m in self.messages if not m.deleted]

    @property
    def bot_messages(self) -> list[Message]:
        """What the bot has posted here (not deleted)."""
        return [m for m in self.visible if m.from_bot]

    @property
    def last(self) -> Message:
        """The newest visible message from the bot."""
        messages = self.bot_messages
        if not messages:
            raise AssertionError(f"the bot has sent nothing in chat {self.id}")
        return messages[-1]

    def texts(self) -> list[str]:
        """Plain texts of the bot's visible messages."""
        return [m.text or m.caption or "" for m in self.bot_messages]

    def find(self, needle: str) -> Message:
        """The newest bot message whose text contains needle."""
        for message in reversed(self.bot_messages):
            if needle in (message.text or message.caption or ""):
                return message
        raise AssertionError(
            f"no bot message containing {needle!r} in chat {self.id}: {self.texts()}"
        )

    def with_button(self, text: str) -> Message:
        """The newest bot message that has a button with this text."""
        for message in reversed(self.bot_messages):
            if text in message.buttons:
                return message
        raise AssertionError(f"no message with button {text!r} in chat {self.id}")


class FakeTelegram:
    """The fake server: state, actor API and HTTP endpoints."""

    def __init__(
        self,
        *,
        bot_username: str = "patchwork_test_bot",
        now: Callable[[], datetime] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        first_update_id: int = 1,
    ) -> None:
        if host not in {"127.0.0.1", "::1", "localhost"}:
            raise ValueError("the fake Bot API listens on loopback only")
        self.host = host
        self.port = port
        self.now = now or (lambda: datetime.now(UTC))
        self.bot = FakeUser(self, BOT_ID, "Patchwork", username=bot_username, is_bot=True)
        self.users: dict[int, FakeUser] = {}
        self.chats: dict[int, FakeChat] = {}
        self.calls: list[ApiCall] = []
        self.faults: list[Fault] = []
        self.in_flight: dict[str, int] = {}  # calls received and not answered yet, per method
        self.limits = FloodLimits()
        self.callback_answers: dict[str, JSON] = {}
        self.files: dict[str, tuple[bytes, str, str]] = {}
        self.webhook: JSON | None = None
        self.commands: dict[str, list[JSON]] = {}
        self.listeners: list[Callable[[str, JSON], None]] = []
        self._history: list[JSON] = []
        self._pending: list[JSON] = []
        self._returned: set[int] = set()
        self._forced: set[int] = set()
        self.reply_keyboards: dict[int, JSON] = {}
        # chat id -> id of the bot message that asked for a forced reply (the client shows
        # a reply prompt for it, as Telegram's apps do)
        self.force_replies: dict[int, int] = {}
        self._update_ids = itertools.count(first_update_id)
        self._user_ids = itertools.count(100_001)
        self._group_ids = itertools.count(1)
        self._message_ids: dict[int, Iterator[int]] = {}
        self._new_update = asyncio.Condition()
        self._stopping = asyncio.Event()  # releases calls that hang (they never get an answer)
        self._buckets: dict[str, _Bucket] = {}
        self._runner: web.AppRunner | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self.get_updates_calls = 0
        self.consumers = 0
        self._release_epoch = 0

    # Life cycle --------------------------------------------------------------

    async def start(self) -> str:
        """Start listening; returns the base URL to give the bot (ends with /bot)."""
        self._stopping.clear()
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self.base_url

    async def release_polls(self) -> None:
        """Answer every waiting long poll now (lets a bot stop without waiting for its timeout)."""
        self._release_epoch += 1
        await self._notify()

    async def stop(self) -> None:
        """Stop listening and wake every waiting long poll and hanging call."""
        self._stopping.set()
        async with self._new_update:
            self._new_update.notify_all()
        if self._webhook_task:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """Bot API base URL (PTB appends the token)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """File download base URL (PTB appends the token)."""
        return f"http://{self.host}:{self.port}/file/bot"

    # People and chats --------------------------------------------------------

    def add_user(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "nl",
    ) -> FakeUser:
        """A new Telegram user."""
        user = FakeUser(
            self,
            next(self._user_ids),
            first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        self.users[user.id] = user
        self._emit("user", {"id": user.id})
        return user

    def private_chat(self, user: FakeUser) -> FakeChat:
        """The private chat between a user and the bot (chat id = user id)."""
        chat = self.chats.get(user.id)
        if chat is None:
            chat = FakeChat(id=user.id, type="private", user=user, members={user.id})
            self.chats[user.id] = chat
        return chat

    def add_group(
        self,
        title: str,
        *,
        members: list[FakeUser] = (),  # type: ignore[assignment]
        admins: list[FakeUser] = (),  # type: ignore[assignment]
        supergroup: bool = False,
        chat_id: int | None = None,
    ) -> FakeChat:
        """A new group with members and administrators (the first admin is the creator)."""
        number = next(self._group_ids)
        if chat_id is None:
            chat_id = -(1_000_000_000_000 + number) if supergroup else -(400_000_000 + number)
        chat = FakeChat(
            id=chat_id,
            type="supergroup" if supergroup else "group",
            title=title,
            members={u.id for u in [*members, *admins]},
            admins={u.id for u in admins},
            creator=admins[0].id if admins else None,
        )
        self.chats[chat_id] = chat
        self._emit("chat", {"id": chat_id})
        return chat

    def add_member(self, chat: FakeChat, user: FakeUser, *, by: FakeUser | None = None) -> None:
        """A user joins a group; added `by` someone, the group shows it (and the bot gets it)."""
        chat.members.add(user.id)
        self._emit("chat", {"id": chat.id})
        if by is not None:
            self._store_and_queue(chat, by, service={"new_chat_members": [user.to_api()]})

    def remove_member(self, chat: FakeChat, user: FakeUser) -> None:
        """A user leaves a group (an administrator stops being one too)."""
        chat.members.discard(user.id)
        chat.admins.discard(user.id)
        chat.anonymous_admins.discard(user.id)
        self._emit("chat", {"id": chat.id})

    def chats_of(self, user: FakeUser) -> list[FakeChat]:
        """What this person sees in their app: the chat with the bot, then their groups."""
        groups = [
            chat
            for chat in self.chats.values()
            if chat.type != "private" and chat.migrated_to is None and user.id in chat.members
        ]
        return [self.private_chat(user), *groups]

    def user(self, user_id: int) -> FakeUser:
        """A user (or the bot) by id; KeyError when unknown."""
        return self._user(user_id)

    def message(self, chat: FakeChat, message_id: int) -> Message | None:
        """A message of a chat by id (deleted ones too), or None."""
        return next((m for m in chat.messages if m.message_id == message_id), None)

    def make_admin(self, chat: FakeChat, user: FakeUser, *, anonymous: bool = False) -> None:
        """Promote a member to administrator."""
        chat.members.add(user.id)
        chat.admins.add(user.id)
        if anonymous:
            chat.anonymous_admins.add(user.id)
        self._emit("chat", {"id": chat.id})

    def remove_admin(self, chat: FakeChat, user: FakeUser) -> None:
        """Demote an administrator."""
        chat.admins.discard(user.id)
        chat.anonymous_admins.discard(user.id)
        self._emit("chat", {"id": chat.id})

    def add_bot_to_group(self, chat: FakeChat, by: FakeUser, *, admin: bool = False) -> None:
        """Someone adds the bot to a group: a my_chat_member update and a service message."""
        chat.bot_member = True
        chat.bot_admin = admin
        self._queue(
            {
                "my_chat_member": {
                    "chat": chat.to_api(),
                    "from": by.to_api(),
                    "date": self._ts(),
                    "old_chat_member": {"status": "left", "user": self.bot.to_api()},
                    "new_chat_member": self._member_json(chat, self.bot),
                }
            }
        )
        self._store_and_queue(chat, by, service={"new_chat_members": [self.bot.to_api()]})

    def remove_bot_from_group(self, chat: FakeChat, by: FakeUser) -> None:
        """Someone removes the bot from a group."""
        chat.bot_member = False
        chat.bot_admin = False
        self._queue(
            {
                "my_chat_member": {
                    "chat": chat.to_api(),
                    "from": by.to_api(),
                    "date": self._ts(),
                    "old_chat_member": {"status": "member", "user": self.bot.to_api()},
                    "new_chat_member": {
                        "status": "kicked",
                        "user": self.bot.to_api(),
                        "until_date": 0,
                    },
                }
            }
        )

    def migrate_to_supergroup(
        self, chat: FakeChat, by: FakeUser, *, quiet: bool = False
    ) -> FakeChat:
        """The group becomes a supergroup with a new id; the old id stops working.

        With quiet=True the bot gets no service messages (as when it was offline long
        enough), so it only learns of the move from a 400 "migrated" answer."""
        if chat.type != "group":
            raise ValueError("only groups migrate")
        number = next(self._group_ids)
        new = FakeChat(
            id=-(1_000_000_000_000 + number),
            type="supergroup",
            title=chat.title,
            members=set(chat.members),
            admins=set(chat.admins),
            creator=chat.creator,
            bot_member=chat.bot_member,
            bot_admin=chat.bot_admin,
        )
        self.chats[new.id] = new
        chat.migrated_to = new.id
        if not quiet:
            self._store_and_queue(chat, by, service={"migrate_to_chat_id": new.id})
            self._store_and_queue(new, by, service={"migrate_from_chat_id": chat.id})
        self._emit("chat", {"id": new.id})
        return new

    # Acting ------------------------------------------------------------------

    def user_sends(
        self,
        user: FakeUser,
        chat: FakeChat,
        *,
        text: str | None = None,
        reply_to: Message | None = None,
        photo: bool = False,
        voice: bool = False,
        caption: str | None = None,
        edit_of: Message | None = None,
    ) -> Message:
        """A user sends a message; the bot gets it as an update."""
        if chat.type != "private" and user.id not in chat.members:
            raise ValueError(f"{user.first_name} is not in {chat.title}")
        if chat.migrated_to is not None:
            raise ValueError("this group was upgraded; use the supergroup")
        if chat.type == "private":
            user.started = True
            user.blocked_bot = False
        extra: JSON = {}
        if photo:
            file_id = self._new_file(b"\x89PNG fake photo", "photo.png", "image/png")
            extra["photo"] = [
                {"file_id": file_id, "file_unique_id": file_id[:16], "width": 90, "height": 90}
            ]
        if voice:
            file_id = self._new_file(b"OggS fake voice", "voice.ogg", "audio/ogg")
            extra["voice"] = {"file_id": file_id, "file_unique_id": file_id[:16], "duration": 3}
        return self._store_and_queue(
            chat, user, text=text, reply_to=reply_to, caption=caption, **extra
        )

    def send_as_chat(self, chat: FakeChat, text: str) -> Message:
        """An anonymous administrator (or a linked channel) posts in the group's own name."""
        message = Message(
            message_id=self._next_message_id(chat.id),
            chat_id=chat.id,
            sender_id=ANONYMOUS_ADMIN_ID,
            date=self._ts(),
            text=text,
            html=text,
            entities=command_entities(text),
            service={"sender_chat": chat.to_api()},
        )
        chat.messages.append(message)
        self._emit("message", {"chat_id": chat.id, "message_id": message.message_id})
        self._queue({"message": self._message_json(message)})
        return message

    def edit_by_user(self, user: FakeUser, message: Message, text: str) -> None:
        """A user edits their own message (an edited_message update)."""
        message.text = text
        message.edited = True
        payload = self._message_json(message)
        payload["edit_date"] = self._ts()
        self._queue({"edited_message": payload})

    def press_button(
        self, user: FakeUser, message: Message, button_text: str | None, *, data: str | None = None
    ) -> str:
        """A user presses an inline button under a bot message."""
        chat = self.chats[message.chat_id]
        if chat.type != "private" and user.id not in chat.members:
            raise ValueError(f"{user.first_name} is not in {chat.title}")
        if data is None:
            if button_text is None:
                raise ValueError("give a button text or data")
            data = message.button_data(button_text)
            if data is None:
                raise AssertionError(f"no button {button_text!r} on message: {message.buttons}")
        query_id = secrets.token_hex(8)
        self._queue(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.to_api(),
                    "message": self._message_json(message),
                    "chat_instance": str(abs(chat.id)),
                    "data": data,
                }
            }
        )
        return query_id

    def send_raw_update(self, update: JSON, *, update_id: int | None = None) -> int:
        """Queue an arbitrary update (e.g. the same update_id twice, as after a restart)."""
        update = dict(update)
        update["update_id"] = update_id if update_id is not None else next(self._update_ids)
        self._append_update(update)
        return int(update["update_id"])

    def redeliver(self, update_id: int) -> None:
        """Deliver an update again with the same update_id (Telegram does after restarts)."""
        for update in self._history:
            if update["update_id"] == update_id:
                self._append_update(dict(update), forced=True)
                return
        raise KeyError(update_id)

    # Faults ------------------------------------------------------------------

    def fail(self, kind: str, **kwargs: Any) -> Fault:
        """Inject a fault for the next matching call(s)."""
        fault = Fault(kind=kind, **kwargs)
        self.faults.append(fault)
        return fault

    # Reading -----------------------------------------------------------------

    def calls_to(self, method: str) -> list[ApiCall]:
        """Every call of one method."""
        return [c for c in self.calls if c.method == method]

    def sent_texts(self) -> list[tuple[int, str]]:
        """(chat id, text) of every successful send and edit, in order."""
        out: list[tuple[int, str]] = []
        for call in self.calls:
            if call.ok and call.method in SEND_METHODS | {"editMessageText", "editMessageCaption"}:
                text = call.params.get("text") or call.params.get("caption") or ""
                out.append((_as_int(call.params.get("chat_id")) or 0, str(text)))
        return out

    def toast(self, query_id: str) -> JSON | None:
        """The answer the bot gave to a button press."""
        return self.callback_answers.get(query_id)

    @property
    def pending_updates(self) -> int:
        """Updates queued that the bot has not fetched yet."""
        return sum(1 for u in self._pending if id(u) not in self._returned)

    @property
    def history(self) -> list[JSON]:
        """Every update ever queued, in order."""
        return list(self._history)

    # Internals: messages and updates ------------------------------------------

    def _ts(self) -> int:
        return int(self.now().timestamp())

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def _store_and_queue(
        self,
        chat: FakeChat,
        user: FakeUser,
        *,
        text: str | None = None,
        reply_to: Message | None = None,
        service: JSON | None = None,
        caption: str | None = None,
        photo: list[JSON] | None = None,
        voice: JSON | None = None,
    ) -> Message:
        message = Message(
            message_id=self._next_message_id(chat.id),
            chat_id=chat.id,
            sender_id=user.id,
            date=self._ts(),
            text=text,
            html=text,
            entities=command_entities(text) if text else [],
            reply_to=reply_to,
            service=service,
            caption=caption,
            photo=photo,
            voice=voice,
        )
        chat.messages.append(message)
        self._emit("message", {"chat_id": chat.id, "message_id": message.message_id})
        self._queue({"message": self._message_json(message)})
        return message

    def _queue(self, update: JSON) -> None:
        update = {"update_id": next(self._update_ids), **update}
        self._append_update(update)

    def _append_update(self, update: JSON, *, forced: bool = False) -> None:
        self._history.append(update)
        self._pending.append(update)
        if forced:
            self._forced.add(id(update))
        if self.webhook:
            self._push_webhook()
        else:
            asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        async with self._new_update:
            self._new_update.notify_all()

    def _user(self, user_id: int) -> FakeUser:
        if user_id == BOT_ID:
            return self.bot
        if user_id == ANONYMOUS_ADMIN_ID:
            return FakeUser(
                self, ANONYMOUS_ADMIN_ID, "Group", username="GroupAnonymousBot", is_bot=True
            )
        return self.users[user_id]

    def _message_json(self, message: Message) -> JSON:
        chat = self.chats[message.chat_id]
        data: JSON = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": chat.to_api(),
            "from": self._user(message.sender_id).to_api(),
        }
        if message.text is not None:
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        if message.caption is not None:
            data["caption"] = message.caption
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            data["reply_markup"] = message.reply_markup
        if message.reply_to is not None:
            data["reply_to_message"] = self._message_json(message.reply_to)
        if message.document is not None:
            data["document"] = message.document
        if message.photo is not None:
            data["photo"] = message.photo
        if message.voice is not None:
            data["voice"] = message.voice
        if message.service:
            data.update(message.service)
        if message.edited:
            data["edit_date"] = message.date
        return data

    def _member_json(self, chat: FakeChat, user: FakeUser) -> JSON:
        tg_user = User(
            id=user.id,
            first_name=user.first_name,
            is_bot=user.is_bot,
            username=user.username,
            language_code=user.language_code,
        )
        if user.id == BOT_ID:
            if not chat.bot_member:
                return ChatMemberLeft(user=tg_user).to_dict()
            if not chat.bot_admin:
                return ChatMemberMember(user=tg_user).to_dict()
            return self._admin(tg_user, anonymous=False)
        if user.id == chat.creator:
            return ChatMemberOwner(
                user=tg_user, is_anonymous=user.id in chat.anonymous_admins
            ).to_dict()
        if user.id in chat.admins:
            return self._admin(tg_user, anonymous=user.id in chat.anonymous_admins)
        if user.id in chat.members:
            return ChatMemberMember(user=tg_user).to_dict()
        return ChatMemberLeft(user=tg_user).to_dict()

    @staticmethod
    def _admin(user: User, *, anonymous: bool) -> JSON:
        return ChatMemberAdministrator(
            user=user,
            can_be_edited=False,
            is_anonymous=anonymous,
            can_manage_chat=True,
            can_delete_messages=True,
            can_manage_video_chats=True,
            can_restrict_members=True,
            can_promote_members=False,
            can_change_info=True,
            can_invite_users=True,
            can_post_stories=False,
            can_edit_stories=False,
            can_delete_stories=False,
            can_pin_messages=True,
        ).to_dict()

    def _new_file(self, content: bytes, name: str, mime: str) -> str:
        file_id = "F" + secrets.token_hex(12)
        self.files[file_id] = (content, name, mime)
        return file_id

    def _emit(self, event: str, data: JSON) -> None:
        for listener in list(self.listeners):
            listener(event, data)

    # Internals: HTTP -----------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        self.in_flight[method] = self.in_flight.get(method, 0) + 1
        started = time.monotonic()
        try:
            return await self._answer(method, params, started)
        finally:
            self.in_flight[method] -= 1

    async def _answer(self, method: str, params: JSON, started: float) -> web.Response:
        try:
            mode = await self._apply_faults(method, params)
            if mode == "hang":
                # A hang: the call arrived (recorded at once) and is never answered.
                self.calls.append(
                    ApiCall(method, params, ok=False, error="no answer", started=started)
                )
                await self._stopping.wait()
                return web.json_response({"ok": False}, status=504)
            self._check_flood(method, params)
            result = await self._call(method, params)
            if mode == "lost":
                # Done, but the answer is lost on the way: the bot cannot know it landed.
                self.calls.append(ApiCall(method, params, ok=True, result=result, started=started))
                await self._stopping.wait()
                return web.json_response({"ok": False}, status=504)
        except ApiError as err:
            self.calls.append(
                ApiCall(method, params, ok=False, error=err.description, started=started)
            )
            self._emit("call", {"method": method, "ok": False})
            return web.json_response(err.body(), status=err.code)
        self.calls.append(ApiCall(method, params, ok=True, result=result, started=started))
        if method != "getUpdates":
            self._emit("call", {"method": method, "ok": True})
        return web.json_response({"ok": True, "result": result})

    async def _call(self, method: str, params: JSON) -> Any:
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        return await handler(params)

    async def _params(self, request: web.Request) -> JSON:
        params: JSON = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            elif request.content_type.startswith("multipart/"):
                reader = await request.multipart()
                async for part in reader:
                    if not isinstance(part, BodyPartReader) or part.name is None:
                        continue
                    if part.filename:
                        params[part.name] = {
                            "filename": part.filename,
                            "content": await part.read(),
                        }
                    else:
                        params[part.name] = await part.text()
            else:
                params.update(dict(await request.post()))
        for key, value in list(params.items()):
            if isinstance(value, str) and value[:1] in "[{":
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(value)
        return params

    async def _apply_faults(self, method: str, params: JSON) -> str | None:
        """Apply the first matching fault; "hang" or "lost" when no answer is to come."""
        for fault in list(self.faults):
            if not fault.matches(method, params):
                continue
            fault.times -= 1
            if fault.times <= 0:
                self.faults.remove(fault)
            if fault.kind == "slow":
                await asyncio.sleep(fault.delay)
                return None
            if fault.kind in ("hang", "lost"):
                return fault.kind
            raise self._fault_error(fault, params)
        return None

    def _fault_error(self, fault: Fault, params: JSON) -> ApiError:
        if fault.kind == "retry_after":
            return ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                {"retry_after": fault.retry_after},
            )
        if fault.kind == "forbidden":
            return ApiError(403, fault.description or "Forbidden: bot was blocked by the user")
        if fault.kind == "migrated":
            chat = self.chats.get(_as_int(params.get("chat_id")) or 0)
            target = chat.migrated_to if chat and chat.migrated_to else -1_000_000_999_999
            return ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": target},
            )
        if fault.kind == "bad_request":
            return ApiError(400, fault.description or "Bad Request: something is wrong")
        if fault.kind == "server":
            return ApiError(500, fault.description or "Internal Server Error")
        raise ValueError(f"unknown fault kind {fault.kind}")

    def _check_flood(self, method: str, params: JSON) -> None:
        if not self.limits.enabled or method not in SEND_METHODS:
            return
        chat_id = _as_int(params.get("chat_id")) or 0
        limits = self.limits
        # (bucket name, burst capacity, drain per second)
        checks = [("all", limits.overall_per_second, limits.overall_per_second)]
        if chat_id < 0:
            checks.append((f"g{chat_id}", limits.group_per_minute, limits.group_per_minute / 60))
        else:
            checks.append((f"p{chat_id}", limits.private_burst, limits.private_per_second))
        for name, burst, rate in checks:
            bucket = self._buckets.setdefault(
                name, _Bucket(capacity=burst + limits.tolerance, per_second=rate)
            )
            wait = bucket.take()
            if wait > 0:
                seconds = max(1, int(wait + 0.999))
                raise ApiError(
                    429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds}
                )

    async def _file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        file_id = path.rsplit("/", 1)[-1]
        if file_id not in self.files:
            raise web.HTTPNotFound()
        content, name, mime = self.files[file_id]
        return web.Response(
            body=content,
            content_type=mime,
            headers={"Content-Disposition": f'inline; filename="{name}"'},
        )

    # Internals: validation -----------------------------------------------------

    def _chat_for_send(self, params: JSON) -> FakeChat:
        chat_id = _as_int(params.get("chat_id"))
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat = self.chats.get(chat_id)
        if chat is None and chat_id in self.users:
            chat = self.private_chat(self.users[chat_id])
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        if chat.type == "private":
            assert chat.user is not None
            if chat.user.blocked_bot:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if not chat.user.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        elif not chat.bot_member:
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")
        return chat

    @staticmethod
    def _markup(params: JSON) -> JSON | None:
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                text = button.get("text")
                if not text:
                    raise ApiError(
                        400, "Bad Request: text buttons are unallowed in the inline keyboard"
                    )
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if data is None and not button.get("url"):
                    raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")
                url = button.get("url")
                if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
                    raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
        return markup

    @staticmethod
    def _formatted(
        params: JSON, key: str = "text", *, required: bool = True
    ) -> tuple[str, str, list[JSON]]:
        raw = params.get(key)
        if raw is None or raw == "":
            if required:
                raise ApiError(400, "Bad Request: message text is empty")
            return "", "", []
        raw = str(raw)
        mode = str(params.get("parse_mode") or "").upper()
        if mode == "HTML":
            try:
                parsed = parse_html(raw)
            except ParseError as err:
                raise ApiError(400, f"Bad Request: can't parse entities: {err}") from None
            text, entities = parsed.text, parsed.entities
        elif mode:
            raise ApiError(400, "Bad Request: unsupported parse_mode in this fake")
        else:
            text, entities = raw, []
        entities = auto_entities(text, entities)
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        limit = MAX_TEXT if key == "text" else 1024
        if utf16_len(text) > limit:
            raise ApiError(400, "Bad Request: message is too long")
        return raw, text, entities

    def _bot_message(self, chat: FakeChat, **fields: Any) -> Message:
        message = Message(
            message_id=self._next_message_id(chat.id),
            chat_id=chat.id,
            sender_id=BOT_ID,
            date=self._ts(),
            **fields,
        )
        chat.messages.append(message)
        self._emit("message", {"chat_id": chat.id, "message_id": message.message_id})
        return message

    def _find_message(self, params: JSON) -> tuple[FakeChat, Message]:
        chat_id = _as_int(params.get("chat_id"))
        message_id = _as_int(params.get("message_id"))
        chat = self.chats.get(chat_id or 0)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        for message in chat.messages:
            if message.message_id == message_id and not message.deleted:
                return chat, message
        raise ApiError(400, "Bad Request: message to edit not found")

    def _reply_to(self, chat: FakeChat, params: JSON) -> Message | None:
        reply = params.get("reply_parameters")
        message_id = _as_int(reply.get("message_id")) if isinstance(reply, dict) else None
        message_id = message_id or _as_int(params.get("reply_to_message_id"))
        if message_id is None:
            return None
        for message in chat.messages:
            if message.message_id == message_id:
                return message
        return None

    # Bot API methods ------------------------------------------------------------

    async def _api_getMe(self, params: JSON) -> JSON:  # noqa: N802
        return {
            **self.bot.to_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getUpdates(self, params: JSON) -> list[JSON]:  # noqa: N802
        if self.webhook:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        self.get_updates_calls += 1
        offset = _as_int(params.get("offset")) or 0
        timeout = float(params.get("timeout") or 0)
        limit = _as_int(params.get("limit")) or 100
        allowed = params.get("allowed_updates")
        self.consumers += 1
        epoch = self._release_epoch
        try:
            deadline = time.monotonic() + timeout
            while True:
                self._confirm(offset)
                ready = [u for u in self._pending if self._deliverable(u, offset)]
                if allowed:
                    ready = [u for u in ready if any(k in u for k in allowed)]
                released = epoch != self._release_epoch or self._runner is None
                if ready or released or time.monotonic() >= deadline:
                    ready = ready[:limit]
                    self._returned.update(id(u) for u in ready)
                    return ready
                async with self._new_update:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(
                            self._new_update.wait(), timeout=max(0.0, deadline - time.monotonic())
                        )
        finally:
            self.consumers -= 1

    def _deliverable(self, update: JSON, offset: int) -> bool:
        if id(update) in self._forced:
            return id(update) not in self._returned
        return bool(update["update_id"] >= offset)

    def _confirm(self, offset: int) -> None:
        """An offset confirms every update below it, as Telegram does."""
        if not offset:
            return
        self._pending = [
            u
            for u in self._pending
            if (u["update_id"] >= offset and id(u) not in self._forced)
            or (id(u) in self._forced and id(u) not in self._returned)
        ]

    async def _api_setWebhook(self, params: JSON) -> bool:  # noqa: N802
        self.webhook = {"url": params["url"], "secret_token": params.get("secret_token")}
        self._push_webhook()
        return True

    async def _api_deleteWebhook(self, params: JSON) -> bool:  # noqa: N802
        self.webhook = None
        return True

    async def _api_getWebhookInfo(self, params: JSON) -> JSON:  # noqa: N802
        return {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": self.pending_updates,
        }

    def _push_webhook(self) -> None:
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.get_event_loop().create_task(self._deliver_webhook())

    async def _deliver_webhook(self) -> None:
        import aiohttp  # noqa: PLC0415 - only the webhook mode needs a client

        async with aiohttp.ClientSession() as session:
            while self.webhook and self._pending:
                update = self._pending[0]
                headers = {}
                if self.webhook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
                try:
                    async with session.post(
                        self.webhook["url"], json=update, headers=headers
                    ) as r:
                        if r.status == 200:
                            self._returned.add(id(update))
                            self._pending.pop(0)
                            continue
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.2)

    async def _api_setMyCommands(self, params: JSON) -> bool:  # noqa: N802
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        key = f"{scope}:{params.get('language_code') or ''}"
        self.commands[key] = list(params.get("commands") or [])
        return True

    async def _api_deleteMyCommands(self, params: JSON) -> bool:  # noqa: N802
        return True

    async def _api_getMyCommands(self, params: JSON) -> list[JSON]:  # noqa: N802
        return self.commands.get('{"type": "default"}:', [])

    async def _api_setChatMenuButton(self, params: JSON) -> bool:  # noqa: N802
        return True

    async def _api_sendChatAction(self, params: JSON) -> bool:  # noqa: N802
        self._chat_for_send(params)
        return True

    async def _api_sendMessage(self, params: JSON) -> JSON:  # noqa: N802
        chat = self._chat_for_send(params)
        raw, text, entities = self._formatted(params)
        markup = self._markup(params)
        message = self._bot_message(
            chat,
            text=text,
            html=raw,
            entities=entities,
            reply_markup=markup if markup and "inline_keyboard" in markup else None,
            reply_to=self._reply_to(chat, params),
        )
        if markup is not None and markup.get("remove_keyboard"):
            self.reply_keyboards.pop(chat.id, None)  # ReplyKeyboardRemove: the menu is gone
            self._emit("keyboard", {"chat_id": chat.id})
        elif markup is not None and "inline_keyboard" not in markup:
            self.reply_keyboards[chat.id] = markup
            if markup.get("force_reply"):
                self.force_replies[chat.id] = message.message_id
            self._emit("keyboard", {"chat_id": chat.id})
        return self._message_json(message)

    def reply_keyboard(self, chat: FakeChat) -> JSON | None:
        """The reply keyboard (or force-reply) last sent to a chat."""
        return self.reply_keyboards.get(chat.id)

    async def _api_sendDocument(self, params: JSON) -> JSON:  # noqa: N802
        chat = self._chat_for_send(params)
        document = params.get("document")
        if not isinstance(document, dict):
            raise ApiError(400, "Bad Request: there is no document in the request")
        name = document["filename"]
        mime = "application/pdf" if name.endswith(".pdf") else "application/octet-stream"
        file_id = self._new_file(document["content"], name, mime)
        raw, caption, _ = self._formatted(params, "caption", required=False)
        message = self._bot_message(
            chat,
            caption=caption or None,
            html=raw or None,
            document={
                "file_id": file_id,
                "file_unique_id": file_id[:16],
                "file_name": name,
                "mime_type": mime,
                "file_size": len(document["content"]),
            },
            reply_markup=self._markup(params),
        )
        return self._message_json(message)

    async def _api_getFile(self, params: JSON) -> JSON:  # noqa: N802
        file_id = str(params.get("file_id"))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        content, _, _ = self.files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": file_id[:16],
            "file_size": len(content),
            "file_path": f"documents/{file_id}",
        }

    async def _api_copyMessage(self, params: JSON) -> JSON:  # noqa: N802
        chat = self._chat_for_send(params)
        source_chat = self.chats.get(_as_int(params.get("from_chat_id")) or 0)
        source_id = _as_int(params.get("message_id"))
        source = next(
            (
                m
                for m in (source_chat.messages if source_chat else [])
                if m.message_id == source_id
            ),
            None,
        )
        if source is None:
            raise ApiError(400, "Bad Request: message to copy not found")
        _, caption, _ = self._formatted(params, "caption", required=False)
        message = self._bot_message(
            chat,
            text=source.text,
            html=source.html,
            entities=list(source.entities),
            photo=source.photo,
            voice=source.voice,
            document=source.document,
            caption=caption or source.caption,
            reply_markup=self._markup(params),
        )
        return {"message_id": message.message_id}

    async def _api_forwardMessage(self, params: JSON) -> JSON:  # noqa: N802
        result = await self._api_copyMessage(params)
        chat = self.chats[_as_int(params["chat_id"]) or 0]
        message = chat.messages[-1]
        message.forward_from = _as_int(params.get("from_chat_id"))
        return self._message_json(message) | {"message_id": result["message_id"]}

    async def _api_editMessageText(self, params: JSON) -> JSON:  # noqa: N802
        chat, message = self._find_message(params)
        if not message.from_bot:
            raise ApiError(400, "Bad Request: message can't be edited")
        raw, text, entities = self._formatted(params)
        markup = self._markup(params)
        if raw == message.html and markup == message.reply_markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        message.text, message.html, message.entities = text, raw, entities
        message.reply_markup = markup
        message.edited = True
        self._emit("edit", {"chat_id": chat.id, "message_id": message.message_id})
        return self._message_json(message)

    async def _api_editMessageReplyMarkup(self, params: JSON) -> JSON:  # noqa: N802
        chat, message = self._find_message(params)
        if not message.from_bot:
            raise ApiError(400, "Bad Request: message can't be edited")
        markup = self._markup(params)
        if markup == message.reply_markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message.reply_markup = markup
        message.edited = True
        self._emit("edit", {"chat_id": chat.id, "message_id": message.message_id})
        return self._message_json(message)

    async def _api_deleteMessage(self, params: JSON) -> bool:  # noqa: N802
        chat, message = self._find_message(params)
        age = self._ts() - message.date
        if age > 48 * 3600:
            raise ApiError(400, "Bad Request: message can't be deleted for everyone")
        if not message.from_bot and chat.type != "private" and not chat.bot_admin:
            raise ApiError(400, "Bad Request: message can't be deleted")
        message.deleted = True
        self._emit("delete", {"chat_id": chat.id, "message_id": message.message_id})
        return True

    async def _api_pinChatMessage(self, params: JSON) -> bool:  # noqa: N802
        chat, message = self._find_message(params)
        if chat.type != "private" and not chat.bot_admin:
            raise ApiError(
                400, "Bad Request: not enough rights to manage pinned messages in the chat"
            )
        message.pinned = True
        return True

    async def _api_answerCallbackQuery(self, params: JSON) -> bool:  # noqa: N802
        query_id = str(params.get("callback_query_id"))
        if query_id in self.callback_answers:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired")
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self.callback_answers[query_id] = {
            "text": text,
            "show_alert": str(params.get("show_alert")).lower() == "true",
        }
        self._emit("toast", {"query_id": query_id, **self.callback_answers[query_id]})
        return True

    async def _api_getChat(self, params: JSON) -> JSON:  # noqa: N802
        chat = self.chats.get(_as_int(params.get("chat_id")) or 0)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        info = ChatFullInfo(
            id=chat.id,
            type=chat.type,
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types=AcceptedGiftTypes(
                unlimited_gifts=False,
                limited_gifts=False,
                unique_gifts=False,
                premium_subscription=False,
                gifts_from_channels=False,
            ),
            title=chat.title,
        )
        return info.to_dict()

    async def _api_getChatMember(self, params: JSON) -> JSON:  # noqa: N802
        chat = self.chats.get(_as_int(params.get("chat_id")) or 0)
        user_id = _as_int(params.get("user_id")) or 0
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        if user_id != BOT_ID and user_id not in self.users:
            raise ApiError(400, "Bad Request: user not found")
        return self._member_json(chat, self._user(user_id))

    async def _api_getChatAdministrators(self, params: JSON) -> list[JSON]:  # noqa: N802
        chat = self.chats.get(_as_int(params.get("chat_id")) or 0)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        ids = sorted(chat.admins | ({BOT_ID} if chat.bot_admin else set()))
        return [self._member_json(chat, self._user(i)) for i in ids]

    async def _api_leaveChat(self, params: JSON) -> bool:  # noqa: N802
        chat = self.chats.get(_as_int(params.get("chat_id")) or 0)
        if chat is None or not chat.bot_member:
            raise ApiError(400, "Bad Request: chat not found")
        chat.bot_member = False
        chat.bot_admin = False
        self._emit("chat", {"id": chat.id})
        return True

    async def _api_close(self, params: JSON) -> bool:
        return True

    async def _api_logOut(self, params: JSON) -> bool:  # noqa: N802
        return True


def _as_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

"""The outbox: turns outbox rows into messages on whatever channel their recipient uses.

The domain writes Notifications to the outbox inside its transactions. The dispatcher
claims due rows (a conditional update, so each is claimed once), resolves the recipient
to a chat at that moment (a migrated group is found at its new id), renders the kind
with the renderer a handlers module registered into a neutral `OutgoingMessage`, and
hands it to the sender of the chat's channel. It knows no channel: every sender maps its
own failures to the neutral errors of `models.messages`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from bot.storage.repos.infra import OutboxItem
from models.core import ChatRef, Language, Street
from models.messages import (
    ChannelSender,
    ChatMoved,
    ConnectionTrouble,
    MessageGone,
    NotChanged,
    OutgoingMessage,
    Rejected,
    RetryLater,
    SentMessage,
    TimedOut,
    Unreachable,
    outgoing,
)
from models.notifications import (
    GroupFarewell,
    Notification,
    PlacePost,
    PostRef,
    Recipient,
    RefreshPosts,
    RemovePosts,
)

if TYPE_CHECKING:
    from bot.services import Services
    from bot.storage.db import SqlTransaction

log = logging.getLogger(__name__)

OPERATOR_CHANNEL = "telegram"  # PATCHWORK_OPERATOR_CHAT_ID is a Telegram chat
MAX_NETWORK_ATTEMPTS = 8
BATCH = 100
PARALLEL_CHATS = 8

N = TypeVar("N", bound=Notification)


@dataclass(frozen=True)
class RenderContext:
    """What a renderer knows about where its message goes."""

    services: Services
    language: Language
    recipient: Recipient
    chat: ChatRef
    street: Street | None = None


MessageRenderer = Callable[[RenderContext, Any], Awaitable[OutgoingMessage | None]]
PostRenderer = Callable[[RenderContext, int], Awaitable[OutgoingMessage | None]]
RemovedRenderer = Callable[[RenderContext, int], Awaitable[OutgoingMessage]]


@dataclass
class Renderers:
    """Registry of renderers, filled by the handlers modules at start."""

    messages: dict[str, tuple[type[Notification], MessageRenderer]] = field(default_factory=dict)
    posts: dict[str, PostRenderer] = field(default_factory=dict)
    removed: dict[str, RemovedRenderer] = field(default_factory=dict)

    def message(
        self, kind: type[N]
    ) -> Callable[[Callable[[RenderContext, N], Awaitable[OutgoingMessage | None]]], Any]:
        """Decorator: render one Notification class."""

        def decorate(fn: Callable[[RenderContext, N], Awaitable[OutgoingMessage | None]]) -> Any:
            if kind.kind in self.messages:
                raise ValueError(f"renderer for {kind.kind} registered twice")
            self.messages[kind.kind] = (kind, fn)
            return fn

        return decorate

    def post(self, ref_kind: str) -> Callable[[PostRenderer], PostRenderer]:
        """Decorator: render the group card of a domain object (None when it is gone)."""

        def decorate(fn: PostRenderer) -> PostRenderer:
            self.posts[ref_kind] = fn
            return fn

        return decorate


class Undeliverable(Exception):
    """The recipient cannot be reached (unknown, inactive, no chat)."""


Step = Callable[["SqlTransaction"], Awaitable[None]]


class GroupCommit:
    """Writes what the sends' answers said as soon as they come, many in one transaction.

    Eight chats' answers often arrive together; committed one by one (each an fsync), the
    last waited behind the others, and a crash in that wait re-sent a message whose answer
    had come. Here whoever finds no commit running writes every step queued so far in one
    transaction; the others wait for that commit, so each caller still returns only once its
    own step is durable."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._queued: list[tuple[Step, asyncio.Future[None]]] = []
        self._lock = asyncio.Lock()

    async def write(self, step: Step) -> None:
        """Run `step` in a write transaction, maybe with others; return once it is committed."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queued.append((step, done))
        if not self._lock.locked():
            async with self._lock:
                try:
                    while self._queued:
                        batch, self._queued = self._queued, []
                        await self._commit(batch)
                finally:  # cancelled while committing: nobody may wait forever
                    for _, waiting in self._queued:
                        waiting.cancel()
                    self._queued = []
        await done

    async def _commit(self, batch: list[tuple[Step, asyncio.Future[None]]]) -> None:
        try:
            async with self._services.db.write() as tx:
                for step, _ in batch:
                    await step(tx)
        except BaseException as err:
            # Each caller hears of the failure, as it would of a write of its own.
            for _, done in batch:
                if not done.done():
                    done.set_exception(err)
            if not isinstance(err, Exception):
                raise
        else:
            for _, done in batch:
                done.set_result(None)


class OutboxDispatcher:
    """Sends what the domain put in the outbox, once, in order per chat."""

    def __init__(
        self, services: Services, senders: Sequence[ChannelSender], renderers: Renderers
    ) -> None:
        self._services = services
        self._senders = {sender.channel: sender for sender in senders}
        self._renderers = renderers
        self._outcomes = GroupCommit(services)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._busy = False
        self.poll_seconds = 1.0

    # Life cycle ---------------------------------------------------------------

    async def start(self) -> None:
        """Recover rows whose send had begun at a crash, then run in the background."""
        now = self._services.clock.now()
        async with self._services.db.write() as tx:
            recovered = await tx.outbox.recover(now + timedelta(seconds=1))
        if recovered:
            log.warning(
                "outbox: %d sends had begun at the last stop, their answer unknown; sending again",
                recovered,
            )
        self._stopping = False
        self._task = asyncio.create_task(self._loop(), name="outbox-dispatcher")

    async def stop(self) -> None:
        """Finish the batch in hand, then stop."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        """Something may have been enqueued: look now rather than at the next poll."""
        self._wake.set()

    @property
    def busy(self) -> bool:
        """Whether a batch is being delivered right now."""
        return self._busy

    async def _loop(self) -> None:
        while not self._stopping:
            try:
                sent = await self.run_once()
            except Exception:
                log.exception("outbox: dispatcher round failed")
                sent = 0
            if sent == 0 and not self._stopping:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)

    # One round ----------------------------------------------------------------

    async def run_once(self) -> int:
        """Deliver due rows, in order per chat; returns how many were handled.

        Each row is claimed just before its own send starts, not in a batch up front: a
        row left "sending" by a crash is one whose send had begun (its answer unknown),
        so a restart re-sends only those, and rows not yet begun stay free for any
        other sender."""
        self._busy = True
        try:
            now = self._services.clock.now()
            async with self._services.db.read() as tx:
                items = await tx.outbox.due(now, BATCH)
            if not items:
                return 0
            by_chat: dict[str, list[OutboxItem]] = defaultdict(list)
            for item in items:
                by_chat[await self._chat_key(item)].append(item)
            semaphore = asyncio.Semaphore(PARALLEL_CHATS)
            handled = 0

            async def run_chat(chat_items: list[OutboxItem]) -> None:
                nonlocal handled
                async with semaphore:
                    for item in chat_items:
                        claimed = await self._claim(item)
                        if claimed is None:
                            return  # another sender has this chat's next row: keep order
                        await self._deliver_safely(claimed)
                        handled += 1

            await asyncio.gather(*(run_chat(v) for v in by_chat.values()))
            return handled
        finally:
            self._busy = False

    async def _claim(self, item: OutboxItem) -> OutboxItem | None:
        claimed: list[OutboxItem | None] = []
        now = self._services.clock.now()

        async def step(tx: SqlTransaction) -> None:
            claimed.append(await tx.outbox.claim(item, now))

        await self._outcomes.write(step)
        return claimed[0]

    async def _chat_key(self, item: OutboxItem) -> str:
        recipient = item.recipient
        if recipient.kind == "chat" and recipient.chat:
            return recipient.chat.chat_id
        return f"{recipient.kind}:{recipient.id}"

    async def _deliver_safely(self, item: OutboxItem) -> None:
        try:
            await self._deliver(item)
        except Undeliverable as err:
            await self._finish(item, "dropped", str(err))
        except Unreachable:
            await self._unreachable(item)
            await self._finish(item, "dropped", "forbidden")
        except Rejected as err:
            log.warning("outbox: %s #%d refused by the channel: %s", item.kind, item.id, err)
            await self._finish(item, "failed", f"bad request: {err.reason}")
        except RetryLater as err:
            await self._retry(item, timedelta(seconds=err.seconds), "retry after")
        except TimedOut:
            # The message may have arrived; try once more at most, never in a loop.
            if item.attempts >= 2:
                await self._finish(item, "failed", "timed out twice")
            else:
                await self._retry(item, timedelta(seconds=1), "timed out")
        except ConnectionTrouble as err:
            if item.attempts >= MAX_NETWORK_ATTEMPTS:
                log.warning(
                    "outbox: %s #%d gave up after %d attempts", item.kind, item.id, item.attempts
                )
                await self._finish(item, "failed", f"network: {err}")
            else:
                backoff = timedelta(seconds=min(2**item.attempts, 300))
                await self._retry(item, backoff, f"network: {err}")
        except Exception:
            log.exception("outbox: %s #%d crashed while rendering or sending", item.kind, item.id)
            await self._finish(item, "failed", "internal error")
        else:
            await self._finish(item, "sent")

    async def _finish(self, item: OutboxItem, status: str, error: str | None = None) -> None:
        now = self._services.clock.now()

        async def step(tx: SqlTransaction) -> None:
            await tx.outbox.finish(item.id, status, now, error)

        await self._outcomes.write(step)

    async def _retry(self, item: OutboxItem, delay: timedelta, error: str) -> None:
        not_before = self._services.clock.now() + delay

        async def step(tx: SqlTransaction) -> None:
            await tx.outbox.retry(item.id, not_before, error)

        await self._outcomes.write(step)

    async def _unreachable(self, item: OutboxItem) -> None:
        recipient = item.recipient
        services = self._services
        if recipient.kind == "resident" and recipient.id is not None:
            await services.residents.mark_unreachable(recipient.id)
        elif recipient.kind == "street" and recipient.id is not None:
            street = await services.streets.get(recipient.id)
            if street.chat is not None:
                await services.streets.chat_unreachable(street.chat, reason="forbidden")
        elif recipient.kind == "chat" and recipient.chat is not None:
            await services.streets.chat_unreachable(recipient.chat, reason="forbidden")

    # Resolving and sending -------------------------------------------------------

    async def resolve(self, recipient: Recipient) -> tuple[ChatRef, Language, Street | None]:
        """The chat and language a recipient is reached in now."""
        services = self._services
        default: Language = services.settings.default_language
        async with services.db.read() as tx:
            if recipient.kind == "resident" and recipient.id is not None:
                resident = await tx.residents.get(recipient.id)
                if resident is None or not resident.active or resident.chat is None:
                    raise Undeliverable("resident unreachable")
                return resident.chat, resident.language, None
            if recipient.kind == "street" and recipient.id is not None:
                street = await tx.streets.get(recipient.id)
                if street is None or not street.active or street.chat is None:
                    raise Undeliverable("street has no active chat")
                return street.chat, street.language, street
            if recipient.kind == "moderators" and recipient.id is not None:
                hood = await tx.neighbourhoods.get(recipient.id)
                if hood is None or hood.moderators_chat is None:
                    raise Undeliverable("no moderators chat")
                return hood.moderators_chat, default, None
        if recipient.kind == "operator":
            if services.settings.operator_chat_id is None:
                raise Undeliverable("no operator chat configured")
            return (
                ChatRef(channel=OPERATOR_CHANNEL, chat_id=str(services.settings.operator_chat_id)),
                default,
                None,
            )
        if recipient.kind == "chat" and recipient.chat is not None:
            return recipient.chat, default, None
        raise Undeliverable(f"unknown recipient {recipient.kind}")

    async def _deliver(self, item: OutboxItem) -> None:
        chat, language, street = await self.resolve(item.recipient)
        context = RenderContext(self._services, language, item.recipient, chat, street)
        try:
            await self._deliver_kind(item, context)
        except ChatMoved as moved:
            new = moved.chat
            await self._services.streets.migrate_chat(chat, new)
            context = RenderContext(self._services, language, item.recipient, new, street)
            await self._deliver_kind(item, context)

    async def _deliver_kind(self, item: OutboxItem, ctx: RenderContext) -> None:
        if item.kind == PlacePost.kind:
            await self._place(ctx, PlacePost.model_validate(item.payload).ref)
        elif item.kind == RefreshPosts.kind:
            await self._refresh(ctx, RefreshPosts.model_validate(item.payload).ref)
        elif item.kind == RemovePosts.kind:
            await self._remove(ctx, RemovePosts.model_validate(item.payload).ref)
        elif item.kind == GroupFarewell.kind:
            await self._farewell(ctx)
        else:
            entry = self._renderers.messages.get(item.kind)
            if entry is None:
                raise Undeliverable(f"no renderer for {item.kind}")
            model, renderer = entry
            outgoing = await renderer(ctx, model.model_validate(item.payload))
            if outgoing is not None:
                await self.send(ctx.chat, outgoing)

    def sender(self, chat: ChatRef) -> ChannelSender:
        """The sender of the chat's channel."""
        sender = self._senders.get(chat.channel)
        if sender is None:
            raise Undeliverable(f"no sender for channel {chat.channel}")
        return sender

    async def send(self, chat: ChatRef, message: OutgoingMessage) -> SentMessage:
        """Send one rendered message to a chat, on its channel."""
        return await self.sender(chat).send(chat, message)

    async def _post_renderer(self, ref: PostRef) -> PostRenderer:
        renderer = self._renderers.posts.get(ref.ref_kind)
        if renderer is None:
            raise Undeliverable(f"no post renderer for {ref.ref_kind}")
        return renderer

    async def _place(self, ctx: RenderContext, ref: PostRef) -> None:
        renderer = await self._post_renderer(ref)
        outgoing = await renderer(ctx, ref.ref_id)
        if outgoing is None:
            return
        sent = await self.send(ctx.chat, outgoing)
        street_id = ctx.street.id if ctx.street else None
        now = self._services.clock.now()

        async def step(tx: SqlTransaction) -> None:
            await tx.posts.record(ref, sent.chat, sent.message_id, street_id, now)

        await self._outcomes.write(step)

    async def _refresh(self, ctx: RenderContext, ref: PostRef) -> None:
        renderer = await self._post_renderer(ref)
        async with self._services.db.read() as tx:
            posts = await tx.posts.for_ref(ref)
        for post in posts:
            post_ctx = await self._post_context(ctx, post.chat, post.street_id)
            outgoing = await renderer(post_ctx, ref.ref_id)
            if outgoing is None:
                await self._take_down(
                    post_ctx, post.id, post.chat, post.message_id, post.posted_at, ref
                )
                continue
            sent = SentMessage(chat=post.chat, message_id=post.message_id)
            try:
                await self.sender(post.chat).edit(sent, outgoing)
            except NotChanged:
                continue
            except MessageGone:
                await self._mark_removed(post.id)

    async def _post_context(
        self, ctx: RenderContext, chat: ChatRef, street_id: int | None
    ) -> RenderContext:
        street = None
        language = ctx.language
        if street_id is not None:
            async with self._services.db.read() as tx:
                street = await tx.streets.get(street_id)
            if street is not None:
                language = street.language
                chat = street.chat or chat
        return RenderContext(self._services, language, ctx.recipient, chat, street)

    async def _remove(self, ctx: RenderContext, ref: PostRef) -> None:
        async with self._services.db.read() as tx:
            posts = await tx.posts.for_ref(ref)
        for post in posts:
            post_ctx = await self._post_context(ctx, post.chat, post.street_id)
            await self._take_down(
                post_ctx, post.id, post.chat, post.message_id, post.posted_at, ref
            )

    async def _take_down(
        self,
        ctx: RenderContext,
        post_id: int,
        chat: ChatRef,
        message_id: int,
        posted_at: datetime,
        ref: PostRef,
    ) -> None:
        """Delete a post while the channel allows it (Telegram: 48 hours), else replace it."""
        chat = ctx.chat if ctx.street is not None else chat
        sender = self.sender(chat)
        sent = SentMessage(chat=chat, message_id=message_id)
        window = sender.delete_window
        try:
            if window is not None and self._services.clock.now() - posted_at < window:
                await sender.delete(sent)
            else:
                notice = self._renderers.removed.get(ref.ref_kind, _default_removed)
                await sender.edit(sent, await notice(ctx, ref.ref_id))
        except (MessageGone, NotChanged):
            pass  # gone already, or already the notice
        await self._mark_removed(post_id)

    async def _mark_removed(self, post_id: int) -> None:
        async with self._services.db.write() as tx:
            await tx.posts.mark_removed(post_id, self._services.clock.now())

    async def _farewell(self, ctx: RenderContext) -> None:
        services = self._services
        text = services.i18n.html(ctx.language, "group.farewell", bot=services.bot_username)
        sender = self.sender(ctx.chat)
        with contextlib.suppress(Unreachable, Rejected):
            await sender.send(ctx.chat, outgoing(text))
        with contextlib.suppress(Unreachable, Rejected):
            await sender.leave(ctx.chat)

    # For tests and the sandbox ----------------------------------------------------

    async def drain(self, rounds: int = 50) -> int:
        """Deliver everything that is due now (used by tests with a fake clock)."""
        total = 0
        for _ in range(rounds):
            sent = await self.run_once()
            total += sent
            if sent == 0:
                break
        return total


async def _default_removed(ctx: RenderContext, ref_id: int) -> OutgoingMessage:
    return outgoing(ctx.services.i18n.html(ctx.language, "post.removed"))

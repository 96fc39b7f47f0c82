"""Moderation: anyone reports a post, community workers remove it, block and unblock.

Capabilities plug in per ref_kind (the `PostRef.ref_kind` of their group cards): who placed
the object (so a worker can block them) and how to remove the object itself (a register
entry, a request). Blocking runs every `on_block` hook (hide the person's entries, end
their relays); unblocking runs `on_unblock`. Hooks run inside the moderation transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from models.audit import audit
from models.clock import Clock
from models.core import ChannelUser, ChatRef, Membership, Neighbourhood, Resident
from models.errors import NotFound, StaleAction
from models.escalation.model import (
    CASE_REF,
    REPORT_REF,
    CannotReportThis,
    ModerationNotice,
    NoOwnerKnown,
    OwnerInfo,
    Report,
    ReportCard,
    ReportHandled,
    ReportReason,
    ReportStatus,
)
from models.escalation.workers import WorkerCheck
from models.notifications import (
    PlacedPost,
    PlacePost,
    PostRef,
    Recipient,
    RefreshPosts,
    RemovePosts,
)
from models.ports import Database, Transaction

OwnerHook = Callable[[Transaction, int], Awaitable[OwnerInfo | None]]
RemoveHook = Callable[[Transaction, int, datetime], Awaitable[None]]
ResidentHook = Callable[[Transaction, int, int, datetime], Awaitable[None]]
UNREPORTABLE = frozenset({CASE_REF, REPORT_REF})


@dataclass
class ModerationHooks:
    """What capabilities tell moderation about their objects and their people."""

    owners: dict[str, OwnerHook] = field(default_factory=dict)
    removers: dict[str, RemoveHook] = field(default_factory=dict)
    private_kinds: set[str] = field(default_factory=set)
    on_block: list[ResidentHook] = field(default_factory=list)
    on_unblock: list[ResidentHook] = field(default_factory=list)

    def register_kind(
        self,
        ref_kind: str,
        *,
        owner: OwnerHook | None = None,
        remove: RemoveHook | None = None,
        private: bool = False,
    ) -> None:
        """Declare how to find the owner of, and how to remove, objects of one ref_kind.

        `private`: its posts are messages between people in private chats (a relayed
        message), not group cards; their content is not kept, and notices say "message".
        """
        if owner is not None:
            self.owners[ref_kind] = owner
        if remove is not None:
            self.removers[ref_kind] = remove
        if private:
            self.private_kinds.add(ref_kind)


def _reportable(post: PlacedPost | None) -> PlacedPost:
    if post is None or post.ref.ref_kind in UNREPORTABLE:
        raise CannotReportThis()
    if post.removed_at is not None:
        raise StaleAction()
    return post


class ModerationService:
    """Reports and the workers' answers to them."""

    def __init__(
        self, db: Database, clock: Clock, workers: WorkerCheck, hooks: ModerationHooks
    ) -> None:
        self._db = db
        self._clock = clock
        self._workers = workers
        self.hooks = hooks

    async def find_post(self, chat: ChatRef, message_id: int) -> PlacedPost:
        """The reportable post behind a message in a chat (the pressed or replied-to one)."""
        async with self._db.read() as tx:
            post = await tx.posts.by_message(chat, message_id)
        return _reportable(post)

    async def report(self, user: ChannelUser, post_id: int, reason: ReportReason) -> Report:
        """Send a report to the moderators chat (once per person and post)."""
        now = self._clock.now()
        async with self._db.write() as tx:
            post = _reportable(await tx.posts.get(post_id))
            reporter = await tx.residents.by_external(user.channel, user.external_id)
            owner = await self._owner(tx, post.ref)
            street_id = post.street_id or (owner.street_id if owner else None)
            if street_id is None and reporter is not None:
                memberships = await tx.memberships.of_resident(reporter.id)
                street_id = memberships[-1].street_id if memberships else None
            street = await tx.streets.get(street_id) if street_id is not None else None
            if street is None:
                raise CannotReportThis()
            report = await tx.reports.add(
                neighbourhood_id=street.neighbourhood_id,
                street_id=street.id,
                post_id=post.id,
                ref_kind=post.ref.ref_kind,
                ref_id=post.ref.ref_id,
                reporter_resident_id=reporter.id if reporter else None,
                reporter_external_id=user.external_id,
                reason=reason,
                owner_resident_id=owner.resident_id if owner else None,
                now=now,
            )
            if report is None:
                raise StaleAction()
            await tx.outbox.enqueue(
                Recipient.moderators(report.neighbourhood_id),
                PlacePost(ref=PostRef(ref_kind=REPORT_REF, ref_id=report.id)),
                key=f"report:{report.id}:card",
                now=now,
            )
            await audit(
                tx, now, "report.created", "report", report.id, actor=user, reason=reason.value
            )
            return report

    async def _owner(self, tx: Transaction, ref: PostRef) -> OwnerInfo | None:
        hook = self.hooks.owners.get(ref.ref_kind)
        return await hook(tx, ref.ref_id) if hook else None

    async def card(self, report_id: int) -> ReportCard | None:
        """What the report card in the moderators chat shows."""
        async with self._db.read() as tx:
            report = await tx.reports.get(report_id)
            if report is None:
                return None
            street = await tx.streets.get(report.street_id) if report.street_id else None
            owner = (
                await tx.residents.get(report.owner_resident_id)
                if report.owner_resident_id
                else None
            )
            membership = (
                await tx.memberships.get(owner.id, report.street_id)
                if owner and report.street_id
                else None
            )
            handler = await tx.residents.get(report.handled_by) if report.handled_by else None
        return ReportCard(
            report=report,
            street_name=street.name if street else None,
            owner_name=owner.display_name if owner else None,
            owner_blocked=bool(membership and membership.blocked),
            handler_name=handler.display_name if handler else None,
        )

    async def _worker(
        self, user: ChannelUser, report_id: int, action: str
    ) -> tuple[Report, Neighbourhood, Resident]:
        async with self._db.read() as tx:
            report = await tx.reports.get(report_id)
            hood = await tx.neighbourhoods.get(report.neighbourhood_id) if report else None
        if report is None or hood is None:
            raise NotFound()
        worker = await self._workers.require(
            hood, user, subject=("report", report.id), action=action
        )
        return report, hood, worker

    async def remove_post(self, user: ChannelUser, report_id: int) -> Report:
        """Take the reported post down (and, through the hook, the object behind it)."""
        report, _, worker = await self._worker(user, report_id, "remove")
        now = self._clock.now()
        ref = PostRef(ref_kind=report.ref_kind, ref_id=report.ref_id)
        async with self._db.write() as tx:
            fresh = await tx.reports.get(report.id)
            assert fresh is not None
            if fresh.post_removed_at is not None:
                raise StaleAction()
            post = await tx.posts.get(fresh.post_id)
            target = Recipient.street(fresh.street_id) if fresh.street_id else None
            if post is not None and post.street_id is None:
                target = Recipient.raw_chat(post.chat)
            if target is not None:
                await tx.outbox.enqueue(target, RemovePosts(ref=ref), now=now)
            remover = self.hooks.removers.get(ref.ref_kind)
            if remover is not None:
                await remover(tx, ref.ref_id, now)
            await tx.reports.update(
                fresh.id,
                post_removed_at=now,
                status=ReportStatus.HANDLED.value,
                handled_by=worker.id,
            )
            await self._after_action(tx, fresh, now)
            if fresh.owner_resident_id is not None:
                await tx.outbox.enqueue(
                    Recipient.resident(fresh.owner_resident_id),
                    ModerationNotice(
                        action=(
                            "message_removed"
                            if ref.ref_kind in self.hooks.private_kinds
                            else "post_removed"
                        ),
                        street_id=fresh.street_id,
                    ),
                    key=f"report:{fresh.id}:removed:notice",
                    now=now,
                )
            await audit(
                tx,
                now,
                "post.removed",
                "report",
                fresh.id,
                actor_resident_id=worker.id,
                ref_kind=ref.ref_kind,
                ref_id=ref.ref_id,
            )
            result = await tx.reports.get(fresh.id)
        assert result is not None
        return result

    async def _after_action(self, tx: Transaction, report: Report, now: datetime) -> None:
        await tx.outbox.enqueue(
            Recipient.moderators(report.neighbourhood_id),
            RefreshPosts(ref=PostRef(ref_kind=REPORT_REF, ref_id=report.id)),
            now=now,
        )
        if report.reporter_resident_id is not None and report.status is ReportStatus.OPEN:
            await tx.outbox.enqueue(
                Recipient.resident(report.reporter_resident_id),
                ReportHandled(report_id=report.id),
                key=f"report:{report.id}:thanks",
                now=now,
            )

    async def _owner_membership(self, tx: Transaction, report: Report) -> Membership:
        if report.owner_resident_id is None or report.street_id is None:
            raise NoOwnerKnown()
        membership = await tx.memberships.get(report.owner_resident_id, report.street_id)
        if membership is None:
            raise NoOwnerKnown()
        return membership

    async def block(self, user: ChannelUser, report_id: int) -> Report:
        """Block the person behind the post from the street: entries hidden, relays ended."""
        report, _, worker = await self._worker(user, report_id, "block")
        now = self._clock.now()
        async with self._db.write() as tx:
            fresh = await tx.reports.get(report.id)
            assert fresh is not None
            membership = await self._owner_membership(tx, fresh)
            if membership.blocked:
                raise StaleAction()
            await tx.memberships.set_blocked(membership.id, now)
            for hook in self.hooks.on_block:
                await hook(tx, membership.resident_id, membership.street_id, now)
            await tx.reports.update(
                fresh.id,
                owner_blocked_at=now,
                status=ReportStatus.HANDLED.value,
                handled_by=worker.id,
            )
            await self._after_action(tx, fresh, now)
            await tx.outbox.enqueue(
                Recipient.resident(membership.resident_id),
                ModerationNotice(action="blocked", street_id=membership.street_id),
                now=now,
            )
            await audit(
                tx,
                now,
                "resident.blocked",
                "report",
                fresh.id,
                actor_resident_id=worker.id,
                resident=membership.resident_id,
                street=membership.street_id,
            )
            await audit(
                tx,
                now,
                "resident.blocked",
                "resident",
                membership.resident_id,
                actor_resident_id=worker.id,
                street=membership.street_id,
            )
            result = await tx.reports.get(fresh.id)
        assert result is not None
        return result

    async def unblock(self, user: ChannelUser, report_id: int) -> Report:
        """Undo a block: the person takes part in the street again."""
        report, _, worker = await self._worker(user, report_id, "unblock")
        now = self._clock.now()
        async with self._db.write() as tx:
            fresh = await tx.reports.get(report.id)
            assert fresh is not None
            membership = await self._owner_membership(tx, fresh)
            if not membership.blocked:
                raise StaleAction()
            await tx.memberships.set_blocked(membership.id, None)
            for hook in self.hooks.on_unblock:
                await hook(tx, membership.resident_id, membership.street_id, now)
            await tx.reports.update(fresh.id, owner_blocked_at=None, handled_by=worker.id)
            await self._after_action(tx, fresh, now)
            await tx.outbox.enqueue(
                Recipient.resident(membership.resident_id),
                ModerationNotice(action="unblocked", street_id=membership.street_id),
                now=now,
            )
            for kind, subject in (("report", fresh.id), ("resident", membership.resident_id)):
                await audit(
                    tx,
                    now,
                    "resident.unblocked",
                    kind,
                    subject,
                    actor_resident_id=worker.id,
                    street=membership.street_id,
                )
            result = await tx.reports.get(fresh.id)
        assert result is not None
        return result

    async def dismiss(self, user: ChannelUser, report_id: int) -> Report:
        """ "Geen actie": the report is looked at and closed."""
        report, _, worker = await self._worker(user, report_id, "dismiss")
        now = self._clock.now()
        async with self._db.write() as tx:
            fresh = await tx.reports.get(report.id)
            assert fresh is not None
            if fresh.status is not ReportStatus.OPEN:
                raise StaleAction()
            await tx.reports.update(
                fresh.id, status=ReportStatus.DISMISSED.value, handled_by=worker.id
            )
            await self._after_action(tx, fresh, now)
            await audit(
                tx, now, "report.dismissed", "report", fresh.id, actor_resident_id=worker.id
            )
            result = await tx.reports.get(fresh.id)
        assert result is not None
        return result

    async def street_name(self, street_id: int | None) -> str:
        """A street's name for notices."""
        if street_id is None:
            return ""
        async with self._db.read() as tx:
            street = await tx.streets.get(street_id)
        return street.name if street else ""

"""The impact report (PRODUCT §1 principle 10, §3.10): evidence for funders that the
neighbourhood's work helps, per street and for the whole neighbourhood, per month.

Only counts leave this module, never a name or a text. Requests, connections and
feedback are counted per street. Rides and cases are counted for the neighbourhood only:
a ride serves several streets, and a case counted per street could point at one household.

Periods are calendar months in the configured time zone ("2026-11"), stored times are UTC.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from models.audit import audit
from models.checkins.model import ImpactCounts as CheckInFigures
from models.clock import Clock
from models.core import ChannelUser, ChatRef, Frozen, Neighbourhood, Street
from models.errors import InvalidInput, NotFound
from models.escalation.workers import WorkerCheck
from models.impact.ports import CaseFigures, Connection, FeedbackFact, RequestFact, RideFigures
from models.notifications import Notification, Recipient
from models.ports import Database, Transaction

MONTHLY_AFTER_HOUR = 9  # the monthly report goes out on the 1st from 09:00 local time
MONTH = re.compile(r"[0-9]{4}-[0-9]{2}", re.ASCII)
FIRST_MONTH = "2000-01"  # no report before this month (earlier dates are typing errors)


class NotAModeratorsChat(NotFound):
    """The impact report is asked for outside a linked moderators chat."""

    message_key = "impact.errors.not_moderators_chat"


class BadMonth(InvalidInput):
    """A month that is not "YYYY-MM", or one that has not begun."""

    message_key = "impact.errors.bad_month"


# The report ------------------------------------------------------------------------------


class StreetImpact(Frozen):
    """The help exchange in one street (or, with `street_id` None, all streets together)."""

    street_id: int | None
    street: str
    asked: int = 0
    matched: int = 0
    done: int = 0
    offers: int = 0  # one-off offers posted in the group
    entries: int = 0  # new "wie kan wat" entries
    median_hours_to_match: float | None = None
    connections: int = 0
    thanks: int = 0
    feedback: int = 0
    helped: int = 0  # answered "yes, it helped"
    met_someone_new: int = 0  # answered "we did not know each other before"


class ImpactReport(Frozen):
    """One month of one neighbourhood."""

    neighbourhood_id: int
    neighbourhood: str
    month: str  # "2026-11"
    complete: bool  # False while the month is still running
    streets: tuple[StreetImpact, ...]
    total: StreetImpact
    categories: tuple[tuple[str, int], ...]  # category id, requests asked; most first
    rides: RideFigures
    cases: CaseFigures
    checkins: CheckInFigures = CheckInFigures()

    @property
    def empty(self) -> bool:
        """Nothing at all happened in the month."""
        t = self.total
        counts = (t.asked, t.offers, t.entries, t.connections, t.thanks, t.feedback)
        return not any(counts) and not self.rides.rides and not self.cases.opened

    @property
    def outcome_counts(self) -> tuple[tuple[str, int], ...]:
        """Closed cases per outcome, most first."""
        return tuple(Counter(self.cases.outcomes).most_common())


def parse_month(value: str) -> date:
    """The first day of a "YYYY-MM" month (from FIRST_MONTH on; anything else is BadMonth)."""
    if not MONTH.fullmatch(value) or value < FIRST_MONTH:
        raise BadMonth()
    try:
        return date(int(value[:4]), int(value[5:]), 1)
    except ValueError as error:
        raise BadMonth() from error


def month_of(day: date) -> str:
    """ "2026-11" for any day in November 2026."""
    return f"{day.year:04d}-{day.month:02d}"


def shift_month(month: str, steps: int) -> str:
    """The month `steps` months later (earlier when negative)."""
    first = parse_month(month)
    index = first.year * 12 + first.month - 1 + steps
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_bounds(month: str, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Start and end of a month in local time, as aware datetimes."""
    first = parse_month(month)
    start = datetime(first.year, first.month, 1, tzinfo=tz)
    after = parse_month(shift_month(month, 1))
    return start, datetime(after.year, after.month, 1, tzinfo=tz)


def _median_hours(facts: Sequence[RequestFact]) -> float | None:
    waits = [
        (f.matched_at - f.created_at) / timedelta(hours=1)
        for f in facts
        if f.kind == "ask" and f.matched_at is not None
    ]
    # Two decimals: a helper found within a minute is 0.02 hours, not "0" (nor "1 uur").
    return round(statistics.median(waits), 2) if waits else None


def street_figures(
    street_id: int | None,
    name: str,
    requests: Sequence[RequestFact],
    new_connections: int,
    thanks: int,
    feedback: Sequence[FeedbackFact],
    entries: int = 0,
) -> StreetImpact:
    """Counts for one street (or all) from the facts that belong to it."""
    asks = [f for f in requests if f.kind == "ask"]
    return StreetImpact(
        street_id=street_id,
        street=name,
        asked=len(asks),
        matched=sum(1 for f in asks if f.matched_at is not None),
        done=sum(1 for f in asks if f.status == "done"),
        offers=sum(1 for f in requests if f.kind == "offer"),
        entries=entries,
        median_hours_to_match=_median_hours(asks),
        connections=new_connections,
        thanks=thanks,
        feedback=len(feedback),
        # "Heeft dit geholpen?" is asked of the one who was helped; a helper is asked
        # "Ging het goed?", which says nothing about whether it helped.
        helped=sum(1 for f in feedback if f.helped == "yes" and not f.helper),
        met_someone_new=sum(1 for f in feedback if f.knew_before is False),
    )


def new_connections(
    connections: Sequence[Connection], start: datetime, end: datetime
) -> dict[int, int]:
    """Per street: pairs of neighbours whose first conversation ever began in the period."""
    first: dict[tuple[int, int], Connection] = {}
    for connection in sorted(connections, key=lambda c: c.created_at):
        first.setdefault((connection.first_id, connection.second_id), connection)
    counts: Counter[int] = Counter()
    for connection in first.values():
        if start <= connection.created_at < end:
            counts[connection.street_id] += 1
    return dict(counts)


async def build_report(
    tx: Transaction,
    hood: Neighbourhood,
    streets: Sequence[Street],
    month: str,
    tz: ZoneInfo,
    now: datetime,
) -> ImpactReport:
    """Count one month of a neighbourhood, inside a read transaction."""
    start, end = month_bounds(month, tz)
    repo = tx.impact
    requests = await repo.requests_placed(hood.id, start, end)
    connections = new_connections(await repo.connections_until(hood.id, end), start, end)
    feedback = await repo.feedback_answered(hood.id, start, end)
    thanks = await repo.thanks_sent(hood.id, start, end)
    entries = await repo.entries_added(hood.id, start, end)
    rows = [
        street_figures(
            street.id,
            street.name,
            [f for f in requests if f.street_id == street.id],
            connections.get(street.id, 0),
            thanks.get(street.id, 0),
            [f for f in feedback if f.street_id == street.id],
            entries.get(street.id, 0),
        )
        for street in streets
    ]
    # Every active street has a row; a street that stopped only when it counted this
    # month, so that the rows always add up to the neighbourhood's total.
    active = {street.id for street in streets if street.active}
    rows = [
        row
        for row in rows
        if row.street_id in active
        or row.asked
        or row.offers
        or row.entries
        or row.connections
        or row.thanks
        or row.feedback
    ]
    total = street_figures(
        None,
        hood.name,
        requests,
        sum(connections.values()),
        sum(thanks.values()),
        feedback,
        sum(entries.values()),
    )
    categories = Counter(f.category for f in requests if f.kind == "ask")
    return ImpactReport(
        neighbourhood_id=hood.id,
        neighbourhood=hood.name,
        month=month,
        complete=now >= end,
        streets=tuple(rows),
        total=total,
        categories=tuple(sorted(categories.items(), key=lambda kv: (-kv[1], kv[0]))),
        rides=await repo.rides_done(hood.id, start, end),
        cases=await repo.cases(hood.id, start, end),
        checkins=await tx.checkins.counts(hood.id, start, end),
    )


class ImpactMonthly(Notification):
    """Outbox message: last month's report (PDF) for a neighbourhood's moderators chat."""

    kind: ClassVar[str] = "impact.monthly"
    neighbourhood_id: int
    month: str


class ImpactService:
    """The report for community workers, on request and once a month by itself."""

    def __init__(self, db: Database, clock: Clock, workers: WorkerCheck, tz: ZoneInfo) -> None:
        self._db = db
        self._clock = clock
        self._workers = workers
        self.tz = tz

    def current_month(self) -> str:
        """The month it is now, locally."""
        return month_of(self._clock.now().astimezone(self.tz).date())

    async def for_moderators_chat(
        self,
        user: ChannelUser,
        chat: ChatRef,
        month: str | None = None,
        neighbourhood_id: int | None = None,
    ) -> ImpactReport:
        """A worker in a neighbourhood's moderators chat sees a month (default: this one).

        A button names its neighbourhood; it must be the one whose moderators chat it was
        pressed in, so a forwarded button cannot pull the report into another chat.
        """
        async with self._db.read() as tx:
            hood = await tx.neighbourhoods.by_moderators_chat(chat)
        if hood is None or neighbourhood_id not in (None, hood.id):
            raise NotAModeratorsChat()
        return await self.for_worker(user, hood.id, month)

    async def for_worker(
        self, user: ChannelUser, neighbourhood_id: int, month: str | None = None
    ) -> ImpactReport:
        """The month (default: the current one) for a worker of the neighbourhood; audited."""
        month = month or self.current_month()
        if parse_month(month) > parse_month(self.current_month()):
            raise BadMonth()
        worker = await self._workers.require_worker(user, neighbourhood_id, "impact")
        now = self._clock.now()
        async with self._db.write() as tx:
            report = await self._report(tx, neighbourhood_id, month, now)
            await audit(
                tx,
                now,
                "impact.viewed",
                "neighbourhood",
                neighbourhood_id,
                actor_resident_id=worker.id,
                month=month,
            )
        return report

    async def report(self, neighbourhood_id: int, month: str) -> ImpactReport | None:
        """The report without a person asking (the monthly message, at send time)."""
        async with self._db.read() as tx:
            try:
                return await self._report(tx, neighbourhood_id, month, self._clock.now())
            except NotFound:
                return None

    async def _report(
        self, tx: Transaction, neighbourhood_id: int, month: str, now: datetime
    ) -> ImpactReport:
        hood = await tx.neighbourhoods.get(neighbourhood_id)
        if hood is None:
            raise NotFound()
        streets = list(await tx.streets.in_neighbourhood(hood.id))
        return await build_report(tx, hood, streets, month, self.tz, now)

    async def sweep(self) -> int:
        """From 09:00 on the 1st: last month's report to every linked moderators chat, once."""
        now = self._clock.now()
        local = now.astimezone(self.tz)
        if local.hour < MONTHLY_AFTER_HOUR:
            return 0
        # Also on later days of the month: a bot that was down on the 1st catches up.
        month = shift_month(month_of(local.date()), -1)
        # Every minute this only reads; the write lock is taken when a report is due.
        async with self._db.read() as tx:
            done = await tx.impact.claimed(month)
            due = [
                hood.id
                for hood in await tx.neighbourhoods.list_all()
                if hood.moderators_chat is not None and hood.id not in done
            ]
        if not due:
            return 0
        sent = 0
        async with self._db.write() as tx:
            for hood_id in due:
                if not await tx.impact.claim_monthly(hood_id, month, now):
                    continue
                await tx.outbox.enqueue(
                    Recipient.moderators(hood_id),
                    ImpactMonthly(neighbourhood_id=hood_id, month=month),
                    key=f"impact:{hood_id}:{month}",
                    now=now,
                )
                sent += 1
        return sent

"""Retention (PRODUCT.md §3.9): texts of closed requests and closed cases are removed after
a configurable period, and copies of messages the bot already sent are not kept.

The rows stay (statistics count them); only the texts go. Every step only touches rows
that still have a text, so the sweep can run any number of times.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from models.audit import audit
from models.clock import Clock
from models.core import Frozen
from models.exchange.notifications import request_ref
from models.notifications import Recipient, RemovePosts
from models.ports import Database

log = logging.getLogger(__name__)

BATCH = 200
# The outbox keeps a sent message's content this long (to look into a delivery problem).
SENT_COPY_KEPT = timedelta(days=7)


class RetentionPeriods(Frozen):
    """How long texts are kept after a request or a case closed."""

    request_text_days: int
    case_text_days: int


class RetentionResult(Frozen):
    """How many texts one sweep removed."""

    requests: int = 0
    cases: int = 0
    outbox: int = 0


class RetentionService:
    """The retention sweep."""

    def __init__(self, db: Database, clock: Clock, periods: RetentionPeriods) -> None:
        self._db = db
        self._clock = clock
        self.periods = periods

    async def sweep(self) -> RetentionResult:
        """Remove texts whose time is up (in batches, each in its own transaction)."""
        requests = cases = 0
        while batch := await self._requests():
            requests += batch
        while batch := await self._cases():
            cases += batch
        now = self._clock.now()
        async with self._db.write() as tx:
            outbox = await tx.personal_data.clear_finished_payloads(now - SENT_COPY_KEPT)
        if requests or cases:
            log.info("retention: removed texts of %d requests and %d cases", requests, cases)
        return RetentionResult(requests=requests, cases=cases, outbox=outbox)

    async def _requests(self) -> int:
        """Closed requests past their period: the text goes, and so do their cards."""
        now = self._clock.now()
        cutoff = now - timedelta(days=self.periods.request_text_days)
        async with self._db.write() as tx:
            ids = await tx.personal_data.closed_requests_with_text(cutoff, BATCH)
            for request_id in ids:
                ref = request_ref(request_id)
                request = await tx.exchange.get_request(request_id)
                if request is not None and await tx.posts.for_ref(ref):
                    await tx.outbox.enqueue(
                        Recipient.street(request.street_id),
                        RemovePosts(ref=ref),
                        key=f"retention:request:{request_id}",
                        now=now,
                    )
            count = await tx.personal_data.clear_request_texts(ids)
            if count:
                await audit(tx, now, "retention.request_texts", "retention", "requests", n=count)
            return count

    async def _cases(self) -> int:
        """Closed cases past their period: text, phone, safe time, messages and notes go."""
        now = self._clock.now()
        cutoff = now - timedelta(days=self.periods.case_text_days)
        async with self._db.write() as tx:
            ids = await tx.personal_data.closed_cases_with_text(cutoff, BATCH)
            for case_id in ids:
                await tx.cases.erase(case_id, now)
            if ids:
                await audit(tx, now, "retention.case_texts", "retention", "cases", n=len(ids))
            return len(ids)

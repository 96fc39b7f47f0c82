"""The exchange's services in one container, with the sweeps the scheduler runs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from models.clock import Clock
from models.exchange.after import AfterService
from models.exchange.model import Timings
from models.exchange.register import RegisterService
from models.exchange.relay import RelayService
from models.exchange.requests import RequestService
from models.exchange.taxonomy import Taxonomy, default_taxonomy
from models.ports import Database


@dataclass(frozen=True)
class Exchange:
    """Register, requests and offers, relay, and what happens after the help."""

    taxonomy: Taxonomy
    register: RegisterService
    requests: RequestService
    relay: RelayService
    after: AfterService

    def sweeps(self) -> list[tuple[str, Callable[[], Awaitable[object]]]]:
        """Periodic work; each sweep claims its due rows and enqueues with idempotency keys."""
        return [
            ("exchange: nog nodig?", self.requests.sweep_stale),
            ("exchange: expire requests", self.requests.sweep_expired),
            ("exchange: no helper", self.requests.sweep_no_helper),
            ("exchange: klopt dit nog?", self.register.sweep_checks),
            ("exchange: pause unconfirmed", self.register.sweep_pauses),
            ("exchange: invitations", self.register.sweep_invites),
        ]


def build_exchange(
    db: Database,
    clock: Clock,
    taxonomy: Taxonomy | None = None,
    timings: Timings | None = None,
) -> Exchange:
    """Wire the exchange services over one database and clock."""
    tax = taxonomy or default_taxonomy()
    return Exchange(
        taxonomy=tax,
        register=RegisterService(db, clock, tax, timings),
        requests=RequestService(db, clock, tax, timings),
        relay=RelayService(db, clock),
        after=AfterService(db, clock),
    )

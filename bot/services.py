"""The service container handlers reach through their typed context."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from bot.dialogs import DialogStore, UpdateLog
from bot.integration import connect_escalation
from bot.outbox import OutboxDispatcher, Renderers
from bot.storage.db import SqlDatabase
from config.i18n import Translator
from config.settings import Settings
from models.checkins.service import CheckInService
from models.clock import Clock
from models.digest.bloemetje import BloemetjeService
from models.digest.card import CardService, CardSources
from models.digest.model import SectionKind
from models.digest.service import DigestService
from models.digest.sources import (
    new_entries_section,
    requests_section,
    rides_section,
    thanks_section,
)
from models.escalation.cases import EscalationService
from models.escalation.moderation import ModerationHooks, ModerationService
from models.escalation.workers import ModeratorsService, WorkerCheck
from models.exchange.after import ask_after_ride
from models.exchange.digest import (
    ExchangeCardEntries,
    ExchangeNewEntries,
    ExchangeOpenRequests,
    ExchangeThanks,
)
from models.exchange.service import Exchange, build_exchange
from models.impact.service import ImpactService
from models.personal_data.checkins import CheckInData
from models.personal_data.digest import DigestData
from models.personal_data.escalation import EscalationData
from models.personal_data.exchange import ExchangeData
from models.personal_data.retention import RetentionPeriods, RetentionService
from models.personal_data.rides import RidesData
from models.ports import ChatDirectory
from models.privacy import PrivacyService
from models.residents import ResidentService
from models.rides.coordination import CoordinatorService
from models.rides.digest import CardPhoneData, CoordinatorOnTheCard, RidesWithSeats
from models.rides.service import RideService
from models.streets import StreetService

Sweep = Callable[[], Awaitable[object]]


@dataclass
class Services:
    """Everything a handler may call, built once at start."""

    settings: Settings
    clock: Clock
    db: SqlDatabase
    i18n: Translator
    renderers: Renderers
    streets: StreetService
    residents: ResidentService
    dialogs: DialogStore
    updates: UpdateLog
    privacy: PrivacyService
    escalation: EscalationService
    moderators: ModeratorsService
    moderation: ModerationService
    exchange: Exchange
    rides: RideService
    coordinators: CoordinatorService
    digest: DigestService
    bloemetje: BloemetjeService
    cards: CardService
    impact: ImpactService
    checkins: CheckInService
    bot_username: str = ""
    dispatcher: OutboxDispatcher | None = None
    sweeps: list[tuple[str, Sweep]] = field(default_factory=list)

    def wake_outbox(self) -> None:
        """Tell the dispatcher that something may be waiting."""
        if self.dispatcher is not None:
            self.dispatcher.wake()


def build_services(
    settings: Settings,
    clock: Clock,
    db: SqlDatabase,
    chats: ChatDirectory,
    i18n: Translator,
    renderers: Renderers,
) -> Services:
    """Wire the domain services over storage and the channel."""
    residents = ResidentService(db, clock, settings.default_language)
    workers = WorkerCheck(db, clock, chats)
    streets = StreetService(db, clock, chats)
    bloemetje = BloemetjeService(db, clock, settings.tz)
    digest = DigestService(db, clock, streets, settings.tz)
    digest.sections.register(SectionKind.BLOEMETJE, bloemetje.section)
    exchange = build_exchange(db, clock)
    # The digest's sections and the street card read the exchange and the rides.
    digest.sections.register(SectionKind.THANKS, thanks_section(ExchangeThanks()))
    digest.sections.register(SectionKind.REQUESTS, requests_section(ExchangeOpenRequests()))
    digest.sections.register(SectionKind.NEW_ENTRIES, new_entries_section(ExchangeNewEntries()))
    digest.sections.register(SectionKind.RIDES, rides_section(RidesWithSeats()))
    card_sources = CardSources(
        entries=ExchangeCardEntries(exchange.taxonomy), ride_contact=CoordinatorOnTheCard()
    )
    rides = RideService(db, clock, settings.tz)
    # After a ride, each passenger who went gets the exchange's two feedback questions.
    rides.feedback_hooks.append(ask_after_ride)
    services = Services(
        settings=settings,
        clock=clock,
        db=db,
        i18n=i18n,
        renderers=renderers,
        streets=streets,
        residents=residents,
        dialogs=DialogStore(db, clock),
        updates=UpdateLog(db, clock),
        privacy=PrivacyService(db, clock),
        escalation=EscalationService(
            db,
            clock,
            residents,
            workers,
            reminder_after=timedelta(hours=settings.case_reminder_hours),
            operator_after=timedelta(hours=settings.case_operator_hours),
        ),
        moderators=ModeratorsService(db, clock, workers),
        moderation=ModerationService(db, clock, workers, ModerationHooks()),
        exchange=exchange,
        rides=rides,
        coordinators=CoordinatorService(db, clock, workers),
        digest=digest,
        bloemetje=bloemetje,
        cards=CardService(db, chats, card_sources),
        impact=ImpactService(db, clock, workers, settings.tz),
        checkins=CheckInService(db, clock, workers, settings.tz),
    )
    services.privacy.providers.append(CardPhoneData())
    grace = timedelta(minutes=settings.unconfigured_group_minutes)
    services.sweeps.extend(
        [
            ("unconfigured groups", lambda: services.streets.sweep_unconfigured(grace)),
            ("dialogs", services.dialogs.sweep),
            ("update ids", services.updates.sweep),
            ("case reminders", services.escalation.sweep_reminders),
            ("escalation offers", services.escalation.sweep_offers),
            ("rides", services.rides.sweep),
            ("bloemetje", services.bloemetje.sweep),
            ("digest", services.digest.sweep),
            ("impact report", services.impact.sweep),
            ("check-ins", services.checkins.sweep),
        ]
    )
    services.sweeps.extend(services.exchange.sweeps())
    services.privacy.providers.extend(
        [
            ExchangeData(services.exchange.taxonomy),
            RidesData(),
            EscalationData(),
            DigestData(),
            CheckInData(services.checkins),
        ]
    )
    retention = RetentionPeriods(
        request_text_days=settings.request_text_retention_days,
        case_text_days=settings.case_text_retention_days,
    )
    services.sweeps.append(("privacy: retention", RetentionService(db, clock, retention).sweep))
    connect_escalation(services)
    return services

"""The check-ins' share of a person's data: their check-in, their buddies, whom they look after.

Erasure: the check-in stops (buddies are thanked and released), the person's name leaves
every chain, and their agreement to be asked goes. The rounds stay, holding no names or
texts, so the neighbourhood's counts stay right.
"""

from __future__ import annotations

from datetime import datetime

from models.checkins.model import BuddyStatus
from models.checkins.service import CheckInService
from models.core import Resident
from models.ports import Transaction
from models.privacy import Record

ITEMS = ("checkin", "checkin_buddy", "checkin_buddy_for", "checkin_volunteer", "checkin_round")


class CheckInData:
    """PersonalDataProvider of check-ins."""

    name = "checkins"

    def __init__(self, service: CheckInService) -> None:
        self._service = service

    async def export(self, tx: Transaction, resident: Resident) -> list[Record]:
        """The schedule, the chain, the rounds (dates and answers), and whom they look after."""
        records: list[Record] = []
        checkin = await tx.checkins.of_resident(resident.id)
        if checkin is not None:
            schedule = checkin.schedule
            records.append(
                {
                    "what": "checkin",
                    "checkin_state": checkin.state.value,
                    "checkin_frequency": schedule.frequency.value,
                    "days": list(schedule.days),
                    "time": "{:02d}:{:02d}".format(*divmod(schedule.minute_of_day, 60)),
                    "window_hours": schedule.window_hours,
                    "workers": checkin.workers,
                    "paused_until": (
                        checkin.paused_until.isoformat() if checkin.paused_until else None
                    ),
                }
            )
            for buddy in await tx.checkins.buddies(checkin.id):
                person = await tx.residents.get(buddy.resident_id) if buddy.resident_id else None
                records.append(
                    {
                        "what": "checkin_buddy",
                        "name": person.display_name if person else None,
                        "buddy_status": buddy.status.value,
                    }
                )
            records.extend(
                {
                    "what": "checkin_round",
                    "date": rnd.local_date,
                    "round_status": rnd.status.value,
                    "round_answer": rnd.answer.value if rnd.answer else None,
                    "round_outcome": rnd.outcome.value if rnd.outcome else None,
                }
                for rnd in await tx.checkins.rounds(checkin.id)
            )
        for buddy in await tx.checkins.buddy_of(resident.id):
            if buddy.status is not BuddyStatus.ACCEPTED:
                continue
            owner_checkin = await tx.checkins.get(buddy.checkin_id)
            owner = await tx.residents.get(owner_checkin.resident_id) if owner_checkin else None
            records.append(
                {"what": "checkin_buddy_for", "name": owner.display_name if owner else None}
            )
        if await tx.checkins.is_volunteer(resident.id):
            records.append({"what": "checkin_volunteer"})
        return records

    async def texts(self, tx: Transaction, resident: Resident) -> list[str]:
        """Check-ins hold no typed texts."""
        return []

    async def erase(self, tx: Transaction, resident: Resident, now: datetime) -> None:
        """Stop the check-in, leave every chain, withdraw the agreement to be asked."""
        await self._service.erase(tx, resident, now)

"""The digest's share of a person's data: the private copy of the weekly digest, and the
Bloemetje (nominations made, nominations naming the person, their answers).

Erasure: the private copy stops; nominations naming the person and their answers go (an
erased person can never be named in the group). Nominations the person made stay, without
their reason and pointing to the anonymised resident, so a neighbour they nominated who
said yes is still named: a flower given is a contribution, like a thank-you, and the
announcement shows no counts and no nominators.
"""

from __future__ import annotations

from datetime import datetime

from models.core import Resident
from models.ports import Transaction
from models.privacy import Record

ITEMS = ("digest_copy", "nomination_made", "nomination_received", "bloemetje_answer")


class DigestData:
    """PersonalDataProvider of the digest and the Bloemetje."""

    name = "digest"

    async def export(self, tx: Transaction, resident: Resident) -> list[Record]:
        """The private digest copy and the Bloemetje."""
        me = resident.id
        records: list[Record] = []
        if await tx.digest.private_optin(me):
            records.append({"what": "digest_copy"})
        streets: dict[int, str | None] = {}

        async def street_name(street_id: int) -> str | None:
            if street_id not in streets:
                street = await tx.streets.get(street_id)
                streets[street_id] = street.name if street else None
            return streets[street_id]

        for nomination in await tx.personal_data.nominations(me):
            if nomination.nominator_id == me:
                nominee = await tx.residents.get(nomination.nominee_id)
                records.append(
                    {
                        "what": "nomination_made",
                        "month": nomination.month,
                        "street": await street_name(nomination.street_id),
                        "name": nominee.display_name if nominee else None,
                        "text": nomination.reason,
                    }
                )
            else:
                # Who nominated stays private, as in the group: only the kind words.
                records.append(
                    {
                        "what": "nomination_received",
                        "month": nomination.month,
                        "street": await street_name(nomination.street_id),
                        "text": nomination.reason,
                    }
                )
        records.extend(
            [
                {
                    "what": "bloemetje_answer",
                    "month": consent.month,
                    "street": await street_name(consent.street_id),
                    "answer": consent.answer,
                }
                for consent in await tx.personal_data.consents(me)
            ]
        )
        return records

    async def texts(self, tx: Transaction, resident: Resident) -> list[str]:
        """The reasons the person gave for their nominations."""
        return [
            n.reason
            for n in await tx.personal_data.nominations(resident.id)
            if n.nominator_id == resident.id and n.reason
        ]

    async def erase(self, tx: Transaction, resident: Resident, now: datetime) -> None:
        """Stop the private copy; remove the person from the Bloemetje."""
        await tx.digest.set_private_optin(resident.id, False, now)
        await tx.personal_data.erase_bloemetje(resident.id)

"""The "wie kan wat" register: adding, keeping up to date, searching, inviting."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from models.audit import audit
from models.core import ChannelUser, Frozen, Street
from models.errors import NotAllowed, NotFound
from models.exchange.common import TimedService, actor, may_take_part
from models.exchange.model import (
    ENTRY_TEXT_MAX,
    Availability,
    RegisterEntry,
)
from models.exchange.notifications import EntryCheck, EntryPaused, OfferInvite
from models.exchange.taxonomy import Category, EntryKind, text_similarity
from models.notifications import Notification, Recipient
from models.ports import Transaction
from models.sensitivity import assess_sensitivity, require_for_neighbours
from models.sweeps import sweep_due
from models.text import SHORT_TEXT_MAX, clean_text

SEARCH_LIMIT = 8
MIN_TEXT_SIMILARITY = 0.5


class SearchHit(Frozen):
    """One register entry found by a search, with what neighbours may see of its owner."""

    entry: RegisterEntry
    first_name: str
    street_name: str
    same_street: bool


class CardLine(Frozen):
    """One line of the printed street card: first name and what they offer."""

    entry: RegisterEntry
    first_name: str


class RegisterService(TimedService):
    """Entries of the register, their upkeep, search and the gentle invitations."""

    def propose(self, text: str, limit: int = 3) -> list[Category]:
        """Categories that fit a text, best first (for "is it this?" buttons)."""
        return [self.taxonomy.get(m.category) for m in self.taxonomy.match(text)[:limit]]

    async def add(
        self,
        user: ChannelUser,
        *,
        category: str,
        text: str,
        availability: Availability,
        on_card: bool | None,
        kind: EntryKind | None = None,
        checked: bool = False,
    ) -> RegisterEntry:
        """Add an entry to the resident's home street (neighbours read it: screened first)."""
        cat = self.taxonomy.get(category)
        clean = clean_text(text, max_length=ENTRY_TEXT_MAX, multiline=False)
        now = self._clock.now()
        async with self._db.write() as tx:
            me = await actor(tx, user)
            require_for_neighbours(
                assess_sensitivity(clean, me.resident.language), checked=checked
            )
            entry = await tx.exchange.add_entry(
                resident_id=me.resident.id,
                street_id=me.street.id,
                kind=kind or cat.kind,
                category=cat.id,
                text=clean,
                availability=availability,
                on_card=on_card,
                now=now,
            )
            await audit(
                tx,
                now,
                "exchange.entry_added",
                "entry",
                entry.id,
                actor_resident_id=me.resident.id,
            )
            return entry

    async def mine(self, user: ChannelUser) -> Sequence[RegisterEntry]:
        """The resident's own entries (paused ones too, removed ones not)."""
        async with self._db.read() as tx:
            me = await actor(tx, user)
            return await tx.exchange.entries_of(me.resident.id)

    async def own(self, user: ChannelUser, entry_id: int) -> RegisterEntry:
        """One of the resident's own entries."""
        async with self._db.read() as tx:
            return await _own_entry(tx, user, entry_id)

    async def get(self, entry_id: int) -> RegisterEntry | None:
        """An entry by id (renderers)."""
        async with self._db.read() as tx:
            return await tx.exchange.get_entry(entry_id)

    async def update(
        self, user: ChannelUser, entry_id: int, *, checked: bool = False, **changes: object
    ) -> RegisterEntry:
        """Change text, availability, card consent or pause state of an own entry.

        A new text is screened like a new entry (the resident's own edit reaches neighbours).
        """
        fields: dict[str, object] = {}
        if "text" in changes:
            fields["text"] = clean_text(
                str(changes["text"]), max_length=ENTRY_TEXT_MAX, multiline=False
            )
        if "availability" in changes:
            fields["availability"] = Availability(str(changes["availability"]))
        if "on_card" in changes:
            fields["on_card"] = bool(changes["on_card"])
        if "paused" in changes:
            fields["paused"] = bool(changes["paused"])
        if "category" in changes:
            cat = self.taxonomy.get(str(changes["category"]))
            fields["category"] = cat.id
            fields["kind"] = cat.kind
        now = self._clock.now()
        async with self._db.write() as tx:
            entry = await _own_entry(tx, user, entry_id)
            if "text" in fields:
                owner = await tx.residents.get(entry.resident_id)
                language = owner.language if owner else "nl"
                require_for_neighbours(
                    assess_sensitivity(str(fields["text"]), language), checked=checked
                )
            if not fields.get("paused", entry.paused):
                # Any edit or resume by the owner confirms the entry is still right.
                fields.update(confirmed_at=now, check_sent_at=None)
            await tx.exchange.update_entry(entry.id, updated_at=now, **fields)
            fresh = await tx.exchange.get_entry(entry.id)
            assert fresh is not None
            return fresh

    async def confirm(self, user: ChannelUser, entry_id: int) -> RegisterEntry:
        """ "Klopt nog": the entry is right; ask again in six months (and resume it)."""
        return await self.update(user, entry_id, paused=False)

    async def remove(self, user: ChannelUser, entry_id: int) -> None:
        """Take an own entry out of the register."""
        now = self._clock.now()
        async with self._db.write() as tx:
            entry = await _own_entry(tx, user, entry_id)
            await tx.exchange.update_entry(entry.id, removed_at=now, updated_at=now)
            await audit(
                tx,
                now,
                "exchange.entry_removed",
                "entry",
                entry.id,
                actor_resident_id=entry.resident_id,
            )

    async def search(
        self, user: ChannelUser, *, query: str | None = None, category: str | None = None
    ) -> list[SearchHit]:
        """Entries that fit words or a category: own street first, then the neighbourhood.

        Search words are capped like every typed text (TextTooLong), from a command too."""
        if query:
            query = clean_text(query, max_length=SHORT_TEXT_MAX, multiline=False)
        categories: set[str] = set()
        if category is not None:
            categories.add(self.taxonomy.get(category).id)
        if query:
            matches = self.taxonomy.match(query)
            if matches:
                top = matches[0].score
                categories |= {m.category for m in matches if m.score >= top * 0.6}
        async with self._db.read() as tx:
            me = await actor(tx, user)
            streets = {
                s.id: s for s in await tx.streets.in_neighbourhood(me.street.neighbourhood_id)
            }
            streets = {i: s for i, s in streets.items() if s.active}
            ranked: list[tuple[tuple[int, float, int], SearchHit]] = []
            for entry in await tx.exchange.active_entries_in(list(streets)):
                if entry.resident_id == me.resident.id:
                    continue
                similarity = text_similarity(query, entry.text) if query else 0.0
                in_category = entry.category in categories
                if not in_category and similarity < MIN_TEXT_SIMILARITY:
                    continue
                if not await may_take_part(tx, entry.resident_id, entry.street_id):
                    continue
                owner = await tx.residents.get(entry.resident_id)
                assert owner is not None
                street: Street = streets[entry.street_id]
                same = entry.street_id == me.street.id
                hit = SearchHit(
                    entry=entry,
                    first_name=owner.display_name,
                    street_name=street.name,
                    same_street=same,
                )
                relevance = similarity + (1.0 if in_category else 0.0)
                ranked.append(((0 if same else 1, -relevance, -entry.id), hit))
        ranked.sort(key=lambda pair: pair[0])
        return [hit for _, hit in ranked[:SEARCH_LIMIT]]

    async def card(self, street_id: int) -> list[CardLine]:
        """Entries of a street whose owners agreed to the printed street card (digest hook)."""
        async with self._db.read() as tx:
            lines: list[CardLine] = []
            for entry in await tx.exchange.card_entries(street_id):
                if not await may_take_part(tx, entry.resident_id, street_id):
                    continue
                owner = await tx.residents.get(entry.resident_id)
                assert owner is not None
                lines.append(CardLine(entry=entry, first_name=owner.display_name))
            return lines

    async def new_since(self, street_id: int, since: datetime) -> list[CardLine]:
        """Live entries of a street added since a moment, with first names (digest hook)."""
        async with self._db.read() as tx:
            lines: list[CardLine] = []
            for entry in await tx.exchange.entries_since(street_id, since):
                owner = await tx.residents.get(entry.resident_id)
                if owner is not None and await may_take_part(tx, owner.id, street_id):
                    lines.append(CardLine(entry=entry, first_name=owner.display_name))
            return lines

    # Invitations ---------------------------------------------------------------

    async def invited(self, user: ChannelUser) -> None:
        """Remember that the resident was just invited (at joining)."""
        now = self._clock.now()
        async with self._db.write() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
            if resident is not None:
                await tx.exchange.record_invite(resident.id, now)

    async def stop_invites(self, user: ChannelUser) -> None:
        """ "Niet meer vragen": no more invitations to add an entry."""
        now = self._clock.now()
        async with self._db.write() as tx:
            me = await actor(tx, user)
            await tx.exchange.opt_out_invites(me.resident.id, now)

    # Sweeps ----------------------------------------------------------------------

    async def sweep_checks(self) -> int:
        """Ask "klopt dit nog?" for entries not confirmed for six months."""
        now = self._clock.now()

        async def ask(tx: Transaction, entry: RegisterEntry) -> bool:
            await tx.exchange.update_entry(entry.id, check_sent_at=now)
            await _tell_owner(tx, entry, EntryCheck(entry_id=entry.id), "entry-check", now)
            return True

        due = now - self.timings.check_entry_after
        return await sweep_due(self._db, lambda tx: tx.exchange.entries_due_check(due), ask)

    async def sweep_pauses(self) -> int:
        """Pause entries whose "klopt dit nog?" stayed unanswered for two weeks."""
        now = self._clock.now()

        async def pause(tx: Transaction, entry: RegisterEntry) -> bool:
            await tx.exchange.update_entry(entry.id, paused=True, updated_at=now)
            await _tell_owner(tx, entry, EntryPaused(entry_id=entry.id), "entry-paused", now)
            return True

        due = now - self.timings.pause_after_check
        return await sweep_due(self._db, lambda tx: tx.exchange.entries_due_pause(due), pause)

    async def sweep_invites(self) -> int:
        """Invite residents without an entry, at most once a month, until they opt out."""
        now = self._clock.now()

        async def invite(tx: Transaction, resident_id: int) -> bool:
            await tx.exchange.record_invite(resident_id, now)
            await tx.outbox.enqueue(
                Recipient.resident(resident_id),
                OfferInvite(),
                key=f"exchange:invite:{resident_id}:{now.date()}",
                now=now,
            )
            return True

        due = now - self.timings.invite_every
        return await sweep_due(self._db, lambda tx: tx.exchange.residents_to_invite(due), invite)


async def _tell_owner(
    tx: Transaction, entry: RegisterEntry, notice: Notification, kind: str, now: datetime
) -> None:
    """A notice about an entry to its owner, once per confirmation of the entry."""
    await tx.outbox.enqueue(
        Recipient.resident(entry.resident_id),
        notice,
        key=f"exchange:{kind}:{entry.id}:{entry.confirmed_at.date()}",
        now=now,
    )


async def _own_entry(tx: Transaction, user: ChannelUser, entry_id: int) -> RegisterEntry:
    me = await actor(tx, user)
    entry = await tx.exchange.get_entry(entry_id)
    if entry is None or entry.removed_at is not None:
        raise NotFound()
    if entry.resident_id != me.resident.id:
        raise NotAllowed()
    return entry

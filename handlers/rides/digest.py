"""Rides in the weekly digest: "Ik rij mee" under each ride with free seats.

The button is the same `r.b` press as on the ride's group card, so the booking service
re-checks the ride when it is pressed: a ride that filled up offers the waiting list,
one that left or was cancelled says so kindly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from handlers.digest.render import digest_button
from handlers.rides.say import RideSay
from models.core import Street
from models.digest.model import DigestItem, ItemAction
from models.digest.sources import ACTION_BOOK
from models.messages import Button, press

if TYPE_CHECKING:
    from bot.services import Services

DESTINATION_TEXT = 24


@digest_button(ACTION_BOOK)
def book_button(
    services: Services, language: str, street: Street | None, item: DigestItem, action: ItemAction
) -> Button:
    """ "🚗 Ik rij mee: di 15 dec 10:00, AH" — one per ride with free seats."""
    s = RideSay(services.i18n, language, services.settings.tz)
    destination = " ".join(item.params.get("destination", "").split())
    if len(destination) > DESTINATION_TEXT:
        destination = destination[: DESTINATION_TEXT - 1].rstrip() + "…"
    when = ""
    if item.when is not None:
        local = item.when.astimezone(services.settings.tz)
        when = f"{s.short_day(local.date()).replace('.', '')} {s.clock(item.when)}"
    label = s.p("rides.digest.book", when=when, destination=destination)
    return press(label, "r.b", action.ref_id)

"""How rides are put into words: dates, cards, pickup points, passenger lists.

Used by the handlers (replies) and by the renderers (outbox messages and group cards), so
both say a ride the same way, in the reader's language and in Europe/Amsterdam time.
"""

from __future__ import annotations

from config.i18n import Safe
from handlers.say import Say
from models.rides.model import BookingStatus, PickupKind, PickupMode, RideStatus
from models.rides.views import PassengerLine, PickupPoint, RideCard, RideView


class RideSay(Say):
    """Texts for one reader, with the ways a ride is put into words."""

    def when(self, card: RideCard) -> str:
        """ "dinsdag 1 december om 10:00"."""
        ride = card.ride
        return self.p(
            "rides.card.date_time", day=self.day(ride.local_date), time=self.clock(ride.departs_at)
        )

    def short(self, card: RideCard) -> str:
        """A button label: "di 1 dec 10:00 · AH Amsterdamstraat"."""
        ride = card.ride
        label = f"{self.short_day(ride.local_date)} {self.clock(ride.departs_at)} · "
        return label + ride.destination[:40]

    # The ride ------------------------------------------------------------------------

    def seats(self, card: RideCard) -> str:
        """ "2 van 3 plekken vrij" or "Vol · 1 op de wachtlijst"."""
        ride = card.ride
        if ride.free_seats > 0:
            return self.t("rides.card.free", count=ride.free_seats, seats=ride.seats)
        if card.waiting == 0:
            return self.t("rides.card.full_nobody_waiting")
        return self.t("rides.card.full", count=card.waiting)

    def pickup_area(self, card: RideCard) -> str:
        """Where the driver picks people up."""
        ride = card.ride
        if ride.pickup_mode == PickupMode.MEETING and ride.meeting_point:
            return self.t("rides.card.meeting", place=ride.meeting_point)
        return self.t("rides.card.home")

    def status(self, card: RideCard) -> str | None:
        """A line for a ride that is no longer open."""
        status = card.ride.status
        if status == RideStatus.CANCELLED:
            return self.t("rides.card.cancelled")
        if status == RideStatus.DEPARTED:
            return self.t("rides.card.departed")
        if status == RideStatus.DONE:
            return self.t("rides.card.done")
        return None

    def card(self, card: RideCard) -> str:
        """The ride as a block of HTML (the group card, and the top of every ride message)."""
        ride = card.ride
        lines = [
            self.t("rides.card.title", destination=ride.destination),
            self.t("rides.card.when", when=self.when(card)),
        ]
        if ride.return_at is not None:
            lines[-1] += " " + self.t("rides.card.back", time=self.clock(ride.return_at))
        lines.append(self.pickup_area(card))
        lines.append(self.t("rides.card.driver", name=card.driver_name))
        status = self.status(card)
        lines.append(status or self.seats(card))
        if card.weekly and status is None:
            lines.append(self.t("rides.card.weekly", weekday=self.weekday(ride.local_date)))
        return "\n".join(lines)

    # People and places ---------------------------------------------------------------

    def pickup(self, point: PickupPoint) -> str:
        """A pickup point with the house number (private messages to driver or passenger)."""
        if point.kind == PickupKind.MEETING:
            return self.t("rides.pickup.meeting", place=point.text or "")
        if point.kind == PickupKind.OTHER:
            return self.t("rides.pickup.other", place=point.text or "")
        if point.house_number:
            return self.t("rides.pickup.home", street=point.street or "", house=point.house_number)
        return self.t("rides.pickup.home_unknown", street=point.street or "")

    def passenger(self, n: int, line: PassengerLine) -> str:
        """ "1. Anna — Zonnebloemstraat 12" (a proxy: with the phone number to call)."""
        text = self.t(
            "rides.list.line", n=n, name=line.name, pickup=Safe(self.pickup(line.pickup))
        )
        if line.is_proxy:
            text += " " + self.t("rides.list.proxy", phone=line.phone or "?")
        return text

    def passenger_list(self, view: RideView, *, cancelled: bool = False) -> str:
        """Who rides along and who waits (driver and coordinators only)."""
        title = "rides.list.were_on" if cancelled else "rides.list.title"
        if not view.passengers:
            lines = [self.t("rides.list.nobody")]
        else:
            lines = [self.t(title, count=len(view.passengers))]
            lines += [self.passenger(n, p) for n, p in enumerate(view.passengers, 1)]
        if view.waiting_list:
            lines.append(self.t("rides.list.waiting", count=len(view.waiting_list)))
            lines += [self.passenger(n, p) for n, p in enumerate(view.waiting_list, 1)]
        if view.absent:
            lines.append(self.t("rides.list.absent", count=len(view.absent)))
            lines += [self.passenger(n, p) for n, p in enumerate(view.absent, 1)]
        return "\n".join(lines)

    def my_place(self, view: RideView) -> str | None:
        """Where I stand on this ride, if anywhere."""
        booking = view.my_booking
        if booking is None:
            return None
        if booking.status == BookingStatus.BOOKED and view.my_pickup is not None:
            return self.t("rides.mine.booked", pickup=Safe(self.pickup(view.my_pickup)))
        if booking.status == BookingStatus.WAITLISTED:
            return self.t("rides.mine.waiting", position=view.waiting_position or "?")
        if booking.status == BookingStatus.NO_SHOW:
            return self.t("rides.mine.no_show")
        return None

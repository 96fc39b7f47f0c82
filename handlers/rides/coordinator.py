"""Coordinators: every ride of the neighbourhood, and neighbours without Telegram (proxies)."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.storage.repos.infra import Dialog
from handlers import dialogs
from handlers.common import answer, button, keyboard, send, show
from handlers.context import PatchworkContext
from handlers.rides.common import on, pressed, reader
from handlers.rides.home import ride_label, show_ride
from handlers.rides.say import RideSay
from models.errors import StaleAction
from models.messages import Button
from models.residents import clean_house_number
from models.rides.coordination import clean_phone
from models.text import clean_name

PROXY_FLOW = "rides.proxy"
CARD_PHONE_FLOW = "rides.card_phone"


@on("r.c")
async def on_panel(update: Update, context: PatchworkContext) -> None:
    """The coordinator's page: all rides, and the neighbours without Telegram."""
    me, s = await reader(update, context)
    panel = await context.services.coordinators.panel(me.user)
    await dialogs.finish(update, context)
    text = s.t("rides.coord.title", neighbourhood=panel.neighbourhood.name)
    text += "\n" + (s.t("rides.coord.rides") if panel.rides else s.t("rides.home.none"))
    rows = [[button(ride_label(s, card), "r.v", card.ride.id)] for card in panel.rides]
    rows.append([button(s.p("rides.coord.proxies", count=len(panel.proxies)), "r.cl")])
    rows.append([button(s.p("rides.coord.new_proxy"), "r.cn")])
    rows.append([button(s.p("rides.card_phone.button"), "r.k", panel.neighbourhood.id)])
    rows.append([button(s.p("checkins.circle.button"), "cpl")])  # handlers/checkins.py
    rows.append([button(s.p("rides.view.back"), "r.home")])
    await answer(update)
    await show(update, text, keyboard(rows))


@on("r.cl")
async def on_proxies(update: Update, context: PatchworkContext) -> None:
    """The neighbours without Telegram, with street, house number and phone."""
    me, s = await reader(update, context)
    panel = await context.services.coordinators.panel(me.user)
    lines = [s.t("rides.coord.proxy_list", count=len(panel.proxies))]
    lines += [
        s.t(
            "rides.coord.proxy_line",
            name=p.name,
            street=p.street,
            house=p.house_number or "?",
            phone=p.phone or "?",
        )
        for p in panel.proxies
    ]
    rows = [
        [button(s.p("rides.coord.forget", name=p.name), "r.cf", p.resident_id)]
        for p in panel.proxies
    ]
    rows.append([button(s.p("rides.coord.new_proxy"), "r.cn")])
    rows.append([button(s.p("rides.coord.back"), "r.c")])
    await answer(update)
    await show(update, "\n".join(lines), keyboard(rows))


@on("r.cf")
async def on_forget_proxy(update: Update, context: PatchworkContext) -> None:
    """ "Gegevens wissen" for a neighbour without Telegram: ask once more."""
    me, s = await reader(update, context)
    proxy = await context.services.coordinators.proxy(me.user, pressed(update).int_arg(0))
    rows = [
        [button(s.p("rides.coord.forget_yes"), "r.cfy", proxy.resident_id)],
        [button(s.p("rides.coord.forget_no"), "r.cl")],
    ]
    await answer(update)
    await show(update, s.t("rides.coord.forget_confirm", name=proxy.name), keyboard(rows))


@on("r.cfy")
async def on_forget_proxy_yes(update: Update, context: PatchworkContext) -> None:
    """Erase the neighbour: seats given up, name, address and phone gone."""
    me, s = await reader(update, context)
    name = await context.services.privacy.forget_proxy(me.user, pressed(update).int_arg(0))
    await answer(update)
    rows = [[button(s.p("rides.coord.back"), "r.c")]]
    await show(update, s.t("rides.coord.forgotten", name=name), keyboard(rows))


@on("r.cn")
async def on_new_proxy(update: Update, context: PatchworkContext) -> None:
    """Register a neighbour without Telegram: first the first name."""
    me, s = await reader(update, context)
    await context.services.coordinators.panel(me.user)
    await dialogs.expect(update, context, PROXY_FLOW, step="name")
    await answer(update)
    await send(update, s.t("rides.coord.ask_name"))


async def _proxy_dialog(update: Update, context: PatchworkContext, step: str) -> dict[str, Any]:
    return await dialogs.answers(update, context, PROXY_FLOW, step)


@dialogs.text_step(PROXY_FLOW)
async def on_proxy_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """Typed answers: name, house number, phone; the street is a button."""
    me, s = await reader(update, context)
    assert update.effective_message is not None
    text = update.effective_message.text or ""
    data = dict(dialog.data)
    step = data.get("step")
    if step == "name":
        data.update(name=clean_name(text), step="street")
        panel = await context.services.coordinators.panel(me.user)
        rows = [[button(st.name, "r.cs", st.id)] for st in panel.streets]
        await dialogs.expect(update, context, PROXY_FLOW, **data)
        await send(update, s.t("rides.coord.ask_street", name=data["name"]), keyboard(rows))
    elif step == "house":
        data.update(house=clean_house_number(text), step="phone")
        await dialogs.expect(update, context, PROXY_FLOW, **data)
        await send(update, s.t("rides.coord.ask_phone", name=data["name"]))
    elif step == "phone":
        data.update(phone=clean_phone(text), step="confirm")
        await dialogs.expect(update, context, PROXY_FLOW, **data)
        await send(update, _proxy_summary(s, data), keyboard(_confirm_rows(s)))
    else:
        await send(update, s.t("rides.publish.tap_button"))


def _proxy_summary(s: RideSay, data: dict[str, Any]) -> str:
    return s.t(
        "rides.coord.confirm",
        name=data["name"],
        street=data["street_name"],
        house=data["house"],
        phone=data["phone"],
    )


def _confirm_rows(s: RideSay) -> list[list[Button]]:
    return [
        [button(s.p("rides.coord.confirm_yes"), "r.cok")],
        [button(s.p("rides.publish.stop"), "r.c")],
    ]


@on("r.cs")
async def on_proxy_street(update: Update, context: PatchworkContext) -> None:
    """The proxy's street was tapped; next the house number."""
    me, s = await reader(update, context)
    data = await _proxy_dialog(update, context, "street")
    street_id = pressed(update).int_arg(0)
    panel = await context.services.coordinators.panel(me.user)
    street = next((st for st in panel.streets if st.id == street_id), None)
    if street is None:
        raise StaleAction()
    data.update(street=street.id, street_name=street.name, step="house")
    await dialogs.expect(update, context, PROXY_FLOW, **data)
    await answer(update)
    await show(update, s.t("rides.coord.ask_house", name=data["name"], street=street.name))


@on("r.cok")
async def on_proxy_confirm(update: Update, context: PatchworkContext) -> None:
    """Save the neighbour without Telegram."""
    me, s = await reader(update, context)
    data = await _proxy_dialog(update, context, "confirm")
    proxy = await context.services.coordinators.register_proxy(
        me.user, int(data["street"]), data["name"], data["house"], data["phone"]
    )
    await dialogs.finish(update, context)
    await answer(update)
    rows = [[button(s.p("rides.coord.back"), "r.c")]]
    await show(update, s.t("rides.coord.registered", name=proxy.name), keyboard(rows))


@on("r.cb")
async def on_book_for(update: Update, context: PatchworkContext) -> None:
    """ "Boek voor een buur zonder Telegram": choose who."""
    me, s = await reader(update, context)
    ride_id = pressed(update).int_arg(0)
    panel = await context.services.coordinators.panel(me.user)
    rows = [
        [button(f"{p.name} ({p.street})", "r.cbp", ride_id, p.resident_id)] for p in panel.proxies
    ]
    rows.append([button(s.p("rides.coord.new_proxy"), "r.cn")])
    rows.append([button(s.p("rides.driver.back"), "r.v", ride_id)])
    key = "rides.coord.choose_proxy" if panel.proxies else "rides.coord.no_proxies"
    await answer(update)
    await show(update, s.t(key), keyboard(rows))


@on("r.cbp")
async def on_book_proxy(update: Update, context: PatchworkContext) -> None:
    """Book the chosen neighbour; reminders for them come to me."""
    me, s = await reader(update, context)
    callback = pressed(update)
    ride_id, proxy_id = callback.int_arg(0), callback.int_arg(1)
    result = await context.services.coordinators.book_for(me.user, ride_id, proxy_id)
    proxy = await context.services.coordinators.proxy(me.user, proxy_id)
    view = await context.services.rides.view(me.user, ride_id)
    key = (
        "rides.coord.booked_waiting"
        if result.waiting_position is not None
        else "rides.coord.booked"
    )
    intro = s.t(key, name=proxy.name, phone=proxy.phone or "?", when=s.when(result.card))
    await answer(update)
    await show_ride(update, context, s, view, intro)


@on("r.cx")
async def on_cancel_proxy(update: Update, context: PatchworkContext) -> None:
    """Cancel a proxy's seat or waiting-list place."""
    me, s = await reader(update, context)
    callback = pressed(update)
    ride_id, proxy_id = callback.int_arg(0), callback.int_arg(1)
    await context.services.coordinators.cancel_for(me.user, ride_id, proxy_id)
    proxy = await context.services.coordinators.proxy(me.user, proxy_id)
    view = await context.services.rides.view(me.user, ride_id)
    await answer(update, s.p("rides.toast.noted"))
    await show_ride(update, context, s, view, s.t("rides.coord.cancelled", name=proxy.name))


# The coordinator's number on the printed street card ------------------------------------


def card_phone_rows(s: RideSay, neighbourhood_id: int, phone: str | None) -> list[list[Button]]:
    """Put the number on the card, change it, or take it off."""
    if phone is None:
        rows = [[button(s.p("rides.card_phone.yes"), "r.kp", neighbourhood_id)]]
    else:
        rows = [
            [button(s.p("rides.card_phone.change"), "r.kp", neighbourhood_id)],
            [button(s.p("rides.card_phone.remove"), "r.kx", neighbourhood_id)],
        ]
    rows.append([button(s.p("rides.coord.back"), "r.c")])
    return rows


@on("r.k")
async def on_card_phone(update: Update, context: PatchworkContext) -> None:
    """Whether my number is on the street card, and the buttons to change that."""
    me, s = await reader(update, context)
    state = await context.services.coordinators.card_phone(me.user, pressed(update).int_arg(0))
    await dialogs.finish(update, context)
    key = "rides.card_phone.on" if state.phone else "rides.card_phone.off"
    text = s.t("rides.card_phone.explain") + "\n\n" + s.t(key, phone=state.phone or "")
    await answer(update)
    await show(update, text, keyboard(card_phone_rows(s, state.neighbourhood.id, state.phone)))


@on("r.kp")
async def on_card_phone_yes(update: Update, context: PatchworkContext) -> None:
    """ "Ja, zet mijn nummer erop": ask for the number (checked again when it is typed)."""
    me, s = await reader(update, context)
    hood_id = pressed(update).int_arg(0)
    await context.services.coordinators.card_phone(me.user, hood_id)
    await dialogs.expect(update, context, CARD_PHONE_FLOW, hood=hood_id)
    await answer(update)
    await send(update, s.t("rides.card_phone.ask"))


@dialogs.text_step(CARD_PHONE_FLOW)
async def on_card_phone_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """The typed number: on the next street cards of the neighbourhood."""
    me, s = await reader(update, context)
    assert update.effective_message is not None
    hood_id = int(dialog.data["hood"])
    state = await context.services.coordinators.put_on_card(
        me.user, hood_id, update.effective_message.text or ""
    )
    await dialogs.finish(update, context)
    assert me.resident is not None
    await send(
        update,
        s.t("rides.card_phone.saved", name=me.resident.display_name, phone=state.phone or ""),
        keyboard(card_phone_rows(s, hood_id, state.phone)),
    )


@on("r.kx")
async def on_card_phone_remove(update: Update, context: PatchworkContext) -> None:
    """Take my number off the next street cards."""
    me, s = await reader(update, context)
    hood_id = pressed(update).int_arg(0)
    await context.services.coordinators.off_card(me.user, hood_id)
    await dialogs.finish(update, context)
    await answer(update)
    await show(
        update,
        s.t("rides.card_phone.removed"),
        keyboard([[button(s.p("rides.coord.back"), "r.c")]]),
    )


@on("r.kn")
async def on_card_phone_no(update: Update, context: PatchworkContext) -> None:
    """ "Nee, liever niet" right after becoming coordinator: nothing is stored."""
    _, s = await reader(update, context)
    await answer(update)
    await show(
        update,
        s.t("rides.card_phone.declined"),
        keyboard([[button(s.p("rides.home.coordinator"), "r.c")]]),
    )

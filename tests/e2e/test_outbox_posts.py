"""The outbox places, refreshes and removes group posts of domain objects."""

from __future__ import annotations

from datetime import timedelta

from bot.outbox import RenderContext
from bot.sandbox.harness import Harness
from handlers.common import button, keyboard
from models.clock import FakeClock
from models.messages import OutgoingMessage, outgoing
from models.notifications import PlacePost, PostRef, Recipient, RefreshPosts, RemovePosts
from tests.e2e.helpers import street_group

STATE: dict[int, str] = {}


async def _render(ctx: RenderContext, ref_id: int) -> OutgoingMessage | None:
    state = STATE.get(ref_id)
    if state is None:
        return None
    return outgoing(
        f"<b>Kaart {ref_id}</b>: {state}", keyboard([[button("Ik help", "demo", ref_id)]])
    )


async def _enqueue(bot: Harness, notification: object, recipient: Recipient) -> None:
    async with bot.services.db.write() as tx:
        await tx.outbox.enqueue(recipient, notification, now=bot.clock.now())  # type: ignore[arg-type]
    bot.services.wake_outbox()
    await bot.settle()


async def test_post_is_placed_refreshed_and_removed(bot: Harness) -> None:
    bot.services.renderers.posts["demo"] = _render
    group, _, street = await street_group(bot)
    ref = PostRef(ref_kind="demo", ref_id=7)
    STATE[7] = "open"
    await _enqueue(bot, PlacePost(ref=ref), Recipient.street(street.id))
    card = group.find("Kaart 7")
    assert card.text == "Kaart 7: open"
    assert card.buttons == ["Ik help"]

    STATE[7] = "geholpen"
    await _enqueue(bot, RefreshPosts(ref=ref), Recipient.street(street.id))
    assert card.text == "Kaart 7: geholpen"
    assert card.edited

    await _enqueue(bot, RemovePosts(ref=ref), Recipient.street(street.id))
    assert card.deleted


async def test_old_post_is_marked_removed_instead_of_deleted(
    bot: Harness, clock: FakeClock
) -> None:
    bot.services.renderers.posts["demo"] = _render
    group, _, street = await street_group(bot)
    ref = PostRef(ref_kind="demo", ref_id=8)
    STATE[8] = "open"
    await _enqueue(bot, PlacePost(ref=ref), Recipient.street(street.id))
    clock.advance(timedelta(hours=49))
    await _enqueue(bot, RemovePosts(ref=ref), Recipient.street(street.id))
    card = group.find("Dit bericht is verwijderd")
    assert not card.deleted
    assert card.buttons == []

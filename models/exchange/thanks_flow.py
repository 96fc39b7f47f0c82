"""The bedankje, as a channel-neutral flow: write it, choose where it goes, send it.

After "✅ Gelukt" the one who was helped may write a thank-you. It reaches the helper and,
only when they choose so, the street group. It is screened like every text for the
neighbours; one for the group is also asked about contact details in it first.

Steps: (not waiting) "write" or "no" → `text` (typed) → screened → `where` (buttons:
the group too, or only the helper) → for the group: screened for contact details → sent.
"""

from __future__ import annotations

from typing import Literal

from models.errors import StaleAction
from models.exchange.model import THANKS_TEXT_MAX
from models.exchange.service import Exchange
from models.flows import (
    Flow,
    FlowInput,
    FlowState,
    Person,
    Pressed,
    Screened,
    ScreenText,
    Turn,
    Typed,
)
from models.messages import keyboard, outgoing, press
from models.text import clean_text

ACTION = "xt"
PHRASES = 3  # ready-made thank-yous: exchange.thanks.phrase_0 … _2


class ThanksState(FlowState):
    """A bedankje on its way: the conversation it is for, and its text once typed."""

    step: Literal["text", "where", "send"]
    conversation: int
    text: str = ""
    public: bool = False


class ThanksFlow(Flow[ThanksState]):
    """Write a bedankje to the neighbour who helped."""

    name = "exchange.thanks"
    actions = (ACTION,)
    state_type = ThanksState

    def __init__(self, exchange: Exchange) -> None:
        self._exchange = exchange

    async def step(
        self, me: Person, state: ThanksState | None, given: FlowInput
    ) -> Turn[ThanksState]:
        s = me.say
        if isinstance(given, Pressed):
            return await self._pressed(me, state, given)
        if isinstance(given, Typed):
            state = self.at(state, "text")
            text = clean_text(given.text, max_length=THANKS_TEXT_MAX)
            # It reaches the helper: screened like every text for the neighbours.
            return Turn.check(state.model_copy(update={"text": text}), ScreenText(text=text))
        assert isinstance(given, Screened)
        state = self.at(state, "text", "send")
        view = await self._exchange.relay.open_view(me.user, state.conversation)
        if state.step == "text":
            rows = [
                [press(s.p("exchange.thanks.public"), ACTION, "pub", view.id, 1)],
                [
                    press(
                        s.p("exchange.thanks.private", name=view.other_name),
                        ACTION,
                        "pub",
                        view.id,
                        0,
                    )
                ],
            ]
            return Turn.wait(
                state.model_copy(update={"step": "where"}),
                outgoing(s.t("exchange.thanks.where"), keyboard(rows)),
            )
        await self._exchange.after.thank(
            me.user, state.conversation, state.text, public=state.public, checked=state.checked
        )
        key = "exchange.thanks.sent_public" if state.public else "exchange.thanks.sent_private"
        return Turn.end(outgoing(s.t(key, name=view.other_name)))

    async def _pressed(
        self, me: Person, state: ThanksState | None, given: Pressed
    ) -> Turn[ThanksState]:
        s = me.say
        choice, conversation_id = given.arg(0), given.int_arg(1)
        # Only the one who was helped, in their own conversation (NotInConversation else).
        view = await self._exchange.relay.open_view(me.user, conversation_id)
        if choice == "write":
            # Three ready-made sentences, or one's own words: no typing needed (15.9).
            rows = [
                [
                    press(
                        s.p(f"exchange.thanks.phrase_{n}", name=view.other_name),
                        ACTION,
                        "ph",
                        view.id,
                        n,
                    )
                ]
                for n in range(PHRASES)
            ]
            rows.append([press(s.p("exchange.thanks.own"), ACTION, "own", view.id)])
            return Turn.wait(
                ThanksState(step="text", conversation=view.id),
                outgoing(s.t("exchange.thanks.choose", name=view.other_name), keyboard(rows)),
            )
        if choice == "own":
            state = self.at(state, "text")
            return Turn.wait(state, outgoing(s.t("exchange.thanks.type", name=view.other_name)))
        if choice == "ph":
            state = self.at(state, "text")
            number = given.int_arg(2)
            if state.conversation != view.id or number >= PHRASES:
                raise StaleAction()
            phrase = s.p(f"exchange.thanks.phrase_{number}", name=view.other_name)
            # Our own words need no screening: straight on to where it may go.
            return await self.step(me, state.model_copy(update={"text": phrase}), Screened())
        if choice == "no":
            return Turn.end(outgoing(s.t("exchange.thanks.skipped")))
        if choice != "pub":
            raise StaleAction()
        state = self.at(state, "where")
        if state.conversation != view.id:
            raise StaleAction()
        public = given.arg(2) == "1"
        going = state.model_copy(update={"step": "send", "public": public})
        if public:
            # The street reads it: contact details in it are asked about first.
            return Turn.check(going, ScreenText(text=state.text, field="text"))
        return await self.step(me, going, Screened())

"""Every message id used in the code has a Dutch and an English text with the same slots.

The ids are found from the syntax tree (tests/unit/text_keys.py): every way a text is
looked up (`Say.t`/`.p`, `Translator.html`/`.plain`/`.raw`, the impact report's `Words`,
the demo's `label`, and any function that passes a key on to one of those), plus every
`message_key`, `title_key` and `key` the domain hands to a renderer.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import get_args

import pytest

from config.i18n import Translator, placeholders
from handlers.escalation.resident import SAFE_TIMES
from handlers.menu import MENU_ROWS
from models.checkins.model import CLOSING_OUTCOMES, PAUSE_DAYS, Frequency
from models.checkins.model import Outcome as CheckInOutcome
from models.core import LANGUAGES
from models.digest.model import SendNow
from models.escalation.model import ModerationNotice, Outcome, ReportReason
from models.exchange.model import (
    Availability,
    HelpfulAnswer,
    RequestKind,
    RequestStatus,
    Role,
    When,
)
from models.exchange.notifications import ConversationEnded
from models.exchange.thanks_flow import PHRASES
from models.rides.model import PickupKind
from models.rides.notices import Moment
from models.rides.views import PassengerChange
from models.sensitivity import Level, Theme
from tests.unit.text_keys import HOLE, Found, find, pattern

LANGUAGE_CODES = ("nl", "en")


def _values(kind: type[Enum]) -> list[str]:
    return [str(member.value) for member in kind]


def _literal(model: type, name: str) -> tuple[str, ...]:
    return get_args(model.model_fields[name].annotation)  # type: ignore[attr-defined]


# What the hole in a key built at run time can be. A pattern found in the code and listed
# here is checked for each value; one not listed is checked to have at least one text.
KINDS = _values(RequestKind)
DYNAMIC: dict[str, Iterable[str]] = {
    "checkins.closed.{}": [o.value for o in CLOSING_OUTCOMES],
    "checkins.optin.often_{}": _values(Frequency),
    "checkins.outcome.{}": [*_values(CheckInOutcome), "all_clear"],
    "checkins.pause.days_{}": [str(d) for d in PAUSE_DAYS],
    "escalation.theme.{}": _values(Theme),
    "escalation.level.{}": _values(Level),
    "escalation.outcome.{}": _values(Outcome),
    "escalation.time_{}": SAFE_TIMES,
    "moderation.reason.{}": _values(ReportReason),
    "moderation.notice_{}": _literal(ModerationNotice, "action"),
    "exchange.availability.{}": _values(Availability),
    "exchange.when.{}": _values(When),
    "exchange.ask.intro_{}": KINDS,
    "exchange.ask.post_{}": KINDS,
    "exchange.ask.posted_{}": KINDS,
    "exchange.ask.when_{}": KINDS,
    "exchange.ask.type_text_{}": KINDS,
    "exchange.thanks.phrase_{}": [str(n) for n in range(PHRASES)],
    "exchange.card.button_{}": KINDS,
    "exchange.card.open_{}": KINDS,
    "exchange.card.matched_{}": KINDS,
    "exchange.card.title_{}": KINDS,
    "exchange.card.private_intro_{}": KINDS,
    "exchange.card.{}": [
        s.value for s in RequestStatus if s not in {RequestStatus.OPEN, RequestStatus.MATCHED}
    ],
    # "My requests" lists only the unfinished ones.
    "exchange.mine.state_{}": ("held", "open", "matched"),
    "exchange.feedback.{}": _values(HelpfulAnswer),
    "exchange.started.you_{}": _values(Role),
    "exchange.started.other_{}": KINDS,
    "exchange.ended.{}": _literal(ConversationEnded, "reason"),
    "language.{}": LANGUAGES,
    "menu.{}": [name for row in MENU_ROWS for name in row],
    "rides.pickup.button_{}": _values(PickupKind),
    "rides.reminder.{}": get_args(Moment),
    "rides.reminder.proxy_{}": get_args(Moment),
    "rides.reminder.driver_{}": get_args(Moment),
    "rides.notice.change_{}": _literal(PassengerChange, "change"),
    "card.caption_{}": ("a4", "a6"),
    "escalation.home.case_{}": ("open", "claimed", "mine"),
    "digest.send_now.{}": _values(SendNow),
}
# Built from data and only used when the catalog has the text (`key in i18n.keys(...)`),
# falling back to the raw value: the audit log's actors and actions, and the privacy
# export's record kinds, sections and coded values. For these the finder can only check
# that the family exists.


@pytest.fixture(scope="module")
def found() -> Found:
    return find()


@pytest.fixture(scope="module")
def translator() -> Translator:
    return Translator.load()


def test_the_finder_sees_every_lookup(found: Found) -> None:
    names = {(lookup.name, lookup.method) for lookup in found.lookups}
    # Say.t/.p, and the Translator where no handler context exists.
    assert {("t", True), ("p", True), ("html", True), ("plain", True), ("raw", True)} <= names
    # Every key expression at a lookup was understood (a literal, or a pattern with holes).
    assert not found.unknown, found.unknown
    assert len(found.literal()) > 700


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_code_keys_exist_in_every_language(
    found: Found, translator: Translator, language: str
) -> None:
    missing = sorted(found.literal() - translator.keys(language))
    assert not missing, f"{language} lacks: {missing}"


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_keys_built_at_run_time_exist(found: Found, translator: Translator, language: str) -> None:
    known = translator.keys(language)
    problems = []
    for key, where in sorted(found.patterns().items()):
        if key in DYNAMIC:
            problems += [
                f"{key.replace(HOLE, v)} ({sorted(where)[0]})"
                for v in DYNAMIC[key]
                if key.replace(HOLE, v) not in known
            ]
        elif not any(pattern(key).match(k) for k in known):
            problems.append(f"{key} ({sorted(where)[0]})")
    assert not problems, f"{language} lacks: {problems}"


def test_every_listed_pattern_is_still_used(found: Found) -> None:
    assert not set(DYNAMIC) - set(found.patterns())


def test_languages_have_the_same_keys_and_placeholders(translator: Translator) -> None:
    nl, en = translator.keys("nl"), translator.keys("en")
    assert nl == en, f"only nl: {sorted(nl - en)}; only en: {sorted(en - nl)}"
    for key in nl:
        for count in (None, 1, 2):
            assert placeholders(translator.raw("nl", key, count)) == placeholders(
                translator.raw("en", key, count)
            ), key


def test_every_text_renders_as_telegram_html(translator: Translator) -> None:
    from bot.sandbox.telegram_html import parse_html

    for language in LANGUAGE_CODES:
        for key in translator.keys(language):
            text = translator.raw(language, key)
            values = dict.fromkeys(placeholders(text), "x")
            parse_html(text.format(**values))

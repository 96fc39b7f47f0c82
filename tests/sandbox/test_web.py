"""The sandbox page's API: people act through it, the real bot answers, the page sees it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from telegram.constants import ParseMode

from bot.sandbox.server import Sandbox, SandboxOptions, running_sandbox
from tests.conftest import PINNED

JSON = dict[str, Any]


class Page:
    """A tiny client of the sandbox API, as the page's JavaScript uses it."""

    def __init__(self, sandbox: Sandbox, session: aiohttp.ClientSession) -> None:
        self.sandbox = sandbox
        self.session = session
        self.url = sandbox.url.rstrip("/")

    async def post(self, path: str, body: JSON, status: int = 200) -> JSON:
        async with self.session.post(self.url + path, json=body) as response:
            data: JSON = await response.json()
            assert response.status == status, data
            return data

    async def view(self, person: int | None = None, chat: int | None = None) -> JSON:
        params = {k: str(v) for k, v in {"person": person, "chat": chat}.items() if v}
        async with self.session.get(self.url + "/api/view", params=params) as response:
            assert response.status == 200
            data: JSON = await response.json()
            return data

    async def settle(self) -> None:
        assert self.sandbox.harness is not None
        await self.sandbox.harness.settle()

    async def person(self, name: str, language: str = "nl") -> int:
        return int(
            (await self.post("/api/people", {"name": name, "language": language}))["person"]
        )

    async def say(self, person: int, chat: int, text: str, **extra: Any) -> None:
        await self.post("/api/send", {"person": person, "chat": chat, "text": text, **extra})
        await self.settle()

    async def press(self, person: int, chat: int, label: str) -> JSON:
        view = await self.view(person, chat)
        for message in reversed(view["chat"]["messages"]):
            for row in message["buttons"]:
                for button in row:
                    if button["text"] == label:
                        body = {
                            "person": person,
                            "chat": chat,
                            "message": message["id"],
                            "data": button["data"],
                        }
                        result = await self.post("/api/press", body)
                        await self.settle()
                        return result
        raise AssertionError(f"no button {label!r}")

    async def texts(self, person: int, chat: int) -> list[str]:
        view = await self.view(person, chat)
        return [m["text"] or m["caption"] or m["service"] or "" for m in view["chat"]["messages"]]


@pytest.fixture
async def page(tmp_path: Path) -> AsyncIterator[Page]:
    """An empty sandbox (no demo) on a free port, and a client for its page."""
    options = SandboxOptions(port=0, db=tmp_path / "sandbox.sqlite3", demo=False, start=PINNED)
    async with running_sandbox(options) as sandbox, aiohttp.ClientSession() as session:
        yield Page(sandbox, session)


async def test_the_page_and_its_files_are_served(page: Page) -> None:
    async with page.session.get(page.url + "/") as response:
        assert response.status == 200
        html = await response.text()
        assert "/static/app.js" in html
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    for name in ("app.js", "style.css", "icon.svg"):
        async with page.session.get(f"{page.url}/static/{name}") as response:
            assert response.status == 200, name


async def test_a_new_person_starts_the_bot_and_sees_the_answer(page: Page) -> None:
    lotte = await page.person("Lotte")
    view = await page.view(lotte)
    assert view["person"]["name"] == "Lotte"
    private = view["chat"]
    assert private["type"] == "private"
    assert private["about"] == {"bot": "private", "started": False}
    await page.say(lotte, private["id"], "/start")
    messages = (await page.view(lotte))["chat"]["messages"]
    assert messages[0]["own"] is True
    assert messages[0]["text"] == "/start"
    answer = messages[-1]
    assert answer["from"]["bot"] is True
    assert "Ik ben Patchwork" in answer["text"]
    assert (await page.view(lotte))["chat"]["about"]["started"] is True


async def test_requests_from_other_hosts_and_form_posts_are_refused(page: Page) -> None:
    async with page.session.get(
        page.url + "/api/view", headers={"Host": "evil.example:80"}
    ) as response:
        assert response.status == 403
    async with page.session.post(
        page.url + "/api/people", data="name=Eve", headers={"Content-Type": "text/plain"}
    ) as response:
        assert response.status == 415
    assert page.sandbox.fake is not None
    assert page.sandbox.fake.users == {}


@pytest.mark.parametrize(
    ("path", "body", "status", "says"),
    [
        ("/api/people", {"name": "   "}, 400, "voornaam"),
        ("/api/people", {"name": "x" * 65}, 400, "64"),
        ("/api/people", {"name": "Eva", "language": "de"}, 400, "Engels"),
        ("/api/send", {"person": 1, "chat": 1, "text": "hoi"}, 404, "bestaat niet"),
        ("/api/groups", {"person": 999, "title": "x"}, 404, "bestaat niet"),
        ("/api/clock", {"minutes": 0}, 400, "31 dagen"),
        ("/api/clock", {"minutes": "veel"}, 400, "31 dagen"),
    ],
)
async def test_bad_input_gets_a_clear_answer(
    page: Page, path: str, body: JSON, status: int, says: str
) -> None:
    answer = await page.post(path, body, status=status)
    assert says in answer["error"]


async def test_messages_are_length_capped_and_only_members_post_in_groups(page: Page) -> None:
    anna = await page.person("Anna")
    piet = await page.person("Piet")
    group = (await page.post("/api/groups", {"person": piet, "title": "Straat"}))["chat"]
    refused = await page.post(
        "/api/send", {"person": anna, "chat": group, "text": "hoi"}, status=403
    )
    assert "zit niet in die chat" in refused["error"]
    long = await page.post(
        "/api/send", {"person": anna, "chat": anna, "text": "a" * 4097}, status=400
    )
    assert "4096" in long["error"]
    empty = await page.post("/api/send", {"person": anna, "chat": anna, "text": " "}, status=400)
    assert "Typ eerst" in empty["error"]


async def test_staging_a_street_from_scratch_with_the_setup_dialog(page: Page) -> None:
    lotte = await page.person("Lotte")
    bram = await page.person("Bram")
    group = (await page.post("/api/groups", {"person": lotte, "title": "Kastanjeplein"}))["chat"]
    await page.post("/api/bot", {"person": lotte, "group": group})
    await page.settle()
    assert any("/setup" in t for t in await page.texts(lotte, group))
    again = await page.post("/api/bot", {"person": lotte, "group": group}, status=409)
    assert "zit al" in again["error"]

    await page.say(lotte, group, "/setup")
    view = await page.view(lotte, group)
    prompt = view["chat"]["prompt"]
    assert prompt is not None
    assert "Welke straat" in prompt["text"]
    assert prompt["placeholder"] == "Bijvoorbeeld: Zonnebloemstraat"
    for answer in ("Kastanjeplein", "Oost", "Vlietstad"):
        prompt = (await page.view(lotte, group))["chat"]["prompt"]
        await page.say(lotte, group, answer, reply_to=prompt["message_id"])
    assert any("Klopt dit?" in t for t in await page.texts(lotte, group))
    await page.press(lotte, group, "✅ Klopt")
    view = await page.view(lotte, group)
    assert view["chat"]["prompt"] is None
    welcome = next(
        m for m in view["chat"]["messages"] if "Welkom bij Patchwork" in (m["text"] or "")
    )
    doe_mee = welcome["buttons"][0][0]
    assert doe_mee["text"] == "🙋 Doe mee"

    await page.post("/api/members", {"person": bram, "group": group, "by": lotte})
    await page.settle()
    assert "Lotte heeft Bram toegevoegd" in await page.texts(bram, group)
    opened = await page.post("/api/link", {"person": bram, "url": doe_mee["url"]})
    assert opened == {"chat": bram}
    await page.settle()
    await page.press(bram, bram, "✅ Noem mij Bram")
    await page.press(bram, bram, "🇳🇱 Nederlands")
    assert any("Gelukt, Bram!" in t for t in await page.texts(bram, bram))
    keyboard = (await page.view(bram, bram))["chat"]["keyboard"]
    assert keyboard is not None
    assert keyboard["rows"][0] == ["🙋 Ik zoek hulp", "🤝 Ik kan helpen"]

    await page.post("/api/admins", {"person": bram, "group": group})
    groups = {g["id"]: g for g in (await page.view(bram))["groups"]}
    assert bram in groups[group]["admins"]


async def test_a_reply_keyboard_button_sends_its_text(page: Page) -> None:
    lotte = await page.person("Lotte")
    group = (await page.post("/api/groups", {"person": lotte, "title": "Hof"}))["chat"]
    await page.post("/api/bot", {"person": lotte, "group": group})
    await page.settle()
    await page.say(lotte, group, "/setup Hof | Oost | Vlietstad")
    welcome = next(m for m in (await page.view(lotte, group))["chat"]["messages"] if m["buttons"])
    await page.post("/api/link", {"person": lotte, "url": welcome["buttons"][0][0]["url"]})
    await page.settle()
    await page.press(lotte, lotte, "✅ Noem mij Lotte")
    await page.press(lotte, lotte, "🇳🇱 Nederlands")
    await page.say(lotte, lotte, "📋 Mijn overzicht", from_keyboard=True)
    texts = await page.texts(lotte, lotte)
    assert texts[-2] == "📋 Mijn overzicht"
    assert "Mijn overzicht" in texts[-1]
    assert "Straat: Hof" in texts[-1]


async def test_edits_deletions_documents_and_formatting_reach_the_page_live(page: Page) -> None:
    anna = await page.person("Anna")
    await page.say(anna, anna, "/start")
    harness = page.sandbox.harness
    assert harness is not None
    assert harness.app is not None
    bot = harness.app.bot
    async with page.session.get(page.url + "/api/events") as stream:
        sent = await bot.send_message(
            anna,
            "<b>Vet</b> en <a href='https://example.org/'>link</a> &lt;script&gt;",
            parse_mode=ParseMode.HTML,
        )
        event = await _next_event(stream)
        assert event == {"kind": "message", "chat_id": anna, "message_id": sent.message_id}
        message = (await page.view(anna))["chat"]["messages"][-1]
        assert message["text"] == "Vet en link <script>"
        assert [e["type"] for e in message["entities"]] == ["bold", "text_link"]
        await bot.edit_message_text("Nieuw", chat_id=anna, message_id=sent.message_id)
        assert (await _next_event(stream))["kind"] == "edit"
        message = (await page.view(anna))["chat"]["messages"][-1]
        assert (message["text"], message["edited"]) == ("Nieuw", True)
        await bot.delete_message(anna, sent.message_id)
        assert (await _next_event(stream))["kind"] == "delete"
        ids = [m["id"] for m in (await page.view(anna))["chat"]["messages"]]
        assert sent.message_id not in ids

    pdf = b"%PDF-1.4\n% straatkaart\n"
    await bot.send_document(anna, document=pdf, filename="straatkaart.pdf", caption="<b>Kaart</b>")
    message = (await page.view(anna))["chat"]["messages"][-1]
    document = message["document"]
    assert document["name"] == "straatkaart.pdf"
    assert message["caption"] == "Kaart"
    assert message["caption_entities"][0]["type"] == "bold"
    async with page.session.get(page.url + document["url"]) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/pdf"
        assert await response.read() == pdf
    async with page.session.get(page.url + "/api/files/Fnope") as response:
        assert response.status == 404


async def test_a_button_pop_up_reaches_only_the_person_who_pressed(page: Page) -> None:
    lotte = await page.person("Lotte")
    bram = await page.person("Bram")
    group = (await page.post("/api/groups", {"person": lotte, "title": "Erf"}))["chat"]
    await page.post("/api/members", {"person": bram, "group": group, "by": lotte})
    await page.post("/api/bot", {"person": lotte, "group": group})
    await page.settle()
    await page.say(lotte, group, "/setup")
    for answer in ("Kastanjeplein", "Oost", "Vlietstad"):
        prompt = (await page.view(lotte, group))["chat"]["prompt"]
        await page.say(lotte, group, answer, reply_to=prompt["message_id"])
    async with page.session.get(page.url + "/api/events") as stream:
        # Bram is no administrator: the bot refuses with a pop-up for him alone.
        await page.press(bram, group, "✅ Klopt")
        toast = await _next_event(stream, kind="toast")
    assert toast["person"] == bram
    assert toast["alert"] is True
    assert "Alleen een beheerder" in toast["text"]


async def test_a_stale_button_is_refused_politely(page: Page) -> None:
    bram = await page.person("Bram")
    await page.say(bram, bram, "/menu")
    message = (await page.view(bram))["chat"]["messages"][-1]
    refused = await page.post(
        "/api/press",
        {"person": bram, "chat": bram, "message": message["id"], "data": "made-up"},
        status=409,
    )
    assert "knop" in refused["error"]


async def test_moving_the_clock_runs_what_is_due(page: Page) -> None:
    lotte = await page.person("Lotte")
    group = (await page.post("/api/groups", {"person": lotte, "title": "Erf"}))["chat"]
    await page.post("/api/bot", {"person": lotte, "group": group})
    await page.settle()
    before = await page.view(lotte, group)
    assert before["clock"]["ahead_minutes"] == 0
    moved = await page.post("/api/clock", {"minutes": 60})
    assert moved["clock"]["ahead_minutes"] == 60
    # Nobody set the group up in time: the bot says goodbye and leaves, as it would.
    after = await page.view(lotte, group)
    assert after["chat"]["about"]["bot"] == "absent"
    new = after["chat"]["messages"][len(before["chat"]["messages"]) :]
    assert any("Niemand heeft mij in deze groep ingesteld" in (m["text"] or "") for m in new)


async def test_unread_counts_follow_what_a_person_has_seen(page: Page) -> None:
    lotte = await page.person("Lotte")
    group = (await page.post("/api/groups", {"person": lotte, "title": "Erf"}))["chat"]
    await page.post("/api/bot", {"person": lotte, "group": group})
    await page.settle()
    chats = {c["id"]: c for c in (await page.view(lotte, lotte))["chats"]}
    assert chats[group]["unread"] == 1  # the bot's hello
    chats = {c["id"]: c for c in (await page.view(lotte, group))["chats"]}
    assert chats[group]["unread"] == 0


async def _next_event(
    stream: aiohttp.ClientResponse, kind: str | None = None, within: float = 10.0
) -> JSON:
    async def read() -> JSON:
        while True:
            line = (await stream.content.readline()).decode().strip()
            if line.startswith("data: "):
                item: JSON = json.loads(line.removeprefix("data: "))
                if kind is None or item.get("kind") == kind:
                    return item

    return await asyncio.wait_for(read(), timeout=within)

"""The sandbox page in a real headless Chromium: a person taps and types, the bot answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot.sandbox.server import Sandbox

pytestmark = pytest.mark.browser


async def open_page(browser: Any, sandbox: Sandbox, **context: Any) -> Any:
    page = await (await browser.new_context(**context)).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    await page.goto(sandbox.url)
    return page


async def open_chat(page: Any, title: str) -> None:
    await page.locator("#chats .name", has_text=title).click()


def messages(page: Any) -> Any:
    return page.locator("#messages")


async def shoot(page: Any, path: Path, screenshots: list[Path]) -> None:
    await page.screenshot(path=str(path))
    screenshots.append(path)
    print(f"screenshot: {path}")  # noqa: T201 - the path belongs in the test output


async def test_a_resident_starts_taps_and_another_person_sees_the_group_post(
    browser: Any, demo_sandbox: Sandbox, tmp_path: Path, screenshots: list[Path]
) -> None:
    from playwright.async_api import expect

    page = await open_page(browser, demo_sandbox)
    await expect(page.locator("#chats-heading")).to_have_text("Chats van Anna")
    await expect(page.locator("#chat-title")).to_have_text("Patchwork")

    await page.locator("#text").fill("/start")
    await page.locator("#text").press("Enter")
    await expect(messages(page)).to_contain_text("Fijn dat je er weer bent!")
    await expect(page.locator(".msg.own").last).to_contain_text("/start")

    await page.locator(".inline-kb button", has_text="Mijn overzicht").last.click()
    overview = page.locator(".msg.bot", has_text="Naam: Anna").last
    await expect(overview).to_contain_text("Straat: Zonnebloemstraat (wijk Oost)")
    await expect(overview.locator("strong").first).to_have_text("Mijn overzicht")
    await shoot(page, tmp_path / "anna-private-chat.png", screenshots)

    await page.locator("#people button", has_text="Piet").click()
    await expect(page.locator("#chats-heading")).to_have_text("Chats van Piet")
    await open_chat(page, "Zonnebloemstraat buren")
    await expect(page.locator("#chat-title")).to_have_text("Zonnebloemstraat buren")
    welcome = page.locator(".msg.bot", has_text="Welkom bij Patchwork voor de Zonnebloemstraat!")
    await expect(welcome).to_be_visible()
    await expect(welcome.locator(".inline-kb button")).to_have_text("🙋 Doe mee")
    await expect(messages(page)).to_contain_text("Piet heeft Anna toegevoegd")
    await shoot(page, tmp_path / "piet-street-group.png", screenshots)
    assert page.errors == []


async def test_staging_a_new_street_with_the_buttons_and_the_setup_questions(
    browser: Any, empty_sandbox: Sandbox, tmp_path: Path, screenshots: list[Path]
) -> None:
    from playwright.async_api import expect

    page = await open_page(browser, empty_sandbox)

    async def add_person(name: str) -> None:
        await page.get_by_role("button", name="Persoon toevoegen").click()
        await page.locator("#dlg-person input[name=name]").fill(name)
        await page.locator("#dlg-person button.primary").click()
        await expect(page.locator("#chats-heading")).to_have_text(f"Chats van {name}")

    await add_person("Lotte")
    await page.get_by_role("button", name="Nieuwe groep").click()
    await page.locator("#dlg-group input[name=title]").fill("Kastanjeplein")
    await page.locator("#dlg-group button.primary").click()
    await expect(page.locator("#chat-title")).to_have_text("Kastanjeplein")
    await page.get_by_role("button", name="Bot aan groep toevoegen").click()
    await page.locator("#dlg-bot button.primary").click()
    await expect(messages(page)).to_contain_text("Een beheerder van deze groep kan mij instellen")

    await page.locator(".cmd", has_text="/setup").last.click()  # commands in bot texts are links
    await expect(page.locator("#prompt")).to_be_visible()
    await expect(page.locator("#prompt-text")).to_contain_text("Welke straat is dit?")
    await expect(page.locator("#text")).to_have_attribute(
        "placeholder", "Bijvoorbeeld: Zonnebloemstraat"
    )
    for answer, next_question in (
        ("Kastanjeplein", "In welke wijk"),
        ("Oost", "In welke gemeente"),
        ("Vlietstad", "Klopt dit?"),
    ):
        await page.locator("#text").fill(answer)
        await page.locator("#text").press("Enter")
        await expect(messages(page)).to_contain_text(next_question)
    await expect(page.locator(".quote").last).to_contain_text("In welke gemeente")
    await page.locator(".inline-kb button", has_text="Klopt").click()
    await expect(messages(page)).to_contain_text("Klaar! Deze groep hoort nu bij de Kastanjeplein")
    await expect(page.locator("#prompt")).to_be_hidden()

    await add_person("Bram")
    await page.get_by_role("button", name="Persoon aan groep toevoegen").click()
    await page.locator("#dlg-member select[name=group]").select_option(label="Kastanjeplein")
    await page.locator("#dlg-member button.primary").click()
    await open_chat(page, "Kastanjeplein")
    await expect(messages(page)).to_contain_text("Lotte heeft Bram toegevoegd")
    await page.locator(".inline-kb button", has_text="Doe mee").click()
    await expect(page.locator("#chat-title")).to_have_text("Patchwork")
    await page.locator(".inline-kb button", has_text="Noem mij Bram").click()
    await page.locator(".inline-kb button", has_text="Nederlands").click()
    await expect(messages(page)).to_contain_text(
        "Gelukt, Bram! Je doet nu mee met de Kastanjeplein."
    )
    await expect(page.locator("#reply-keyboard")).to_contain_text("Mijn overzicht")
    await page.locator("#reply-keyboard button", has_text="Mijn overzicht").click()
    await expect(page.locator(".msg.own .text").last).to_have_text("📋 Mijn overzicht")
    await expect(messages(page)).to_contain_text("Straat: Kastanjeplein (wijk Oost)")

    await page.get_by_role("button", name="Beheerder maken").click()
    await page.locator("#dlg-admin select[name=group]").select_option(label="Kastanjeplein")
    await page.locator("#dlg-admin button.primary").click()
    await open_chat(page, "Kastanjeplein")
    await expect(page.locator("#chat-about")).to_contain_text("jij bent beheerder")
    await shoot(page, tmp_path / "new-street.png", screenshots)
    assert page.errors == []


async def test_formatting_is_safe_and_documents_edits_and_pop_ups_show(
    browser: Any, empty_sandbox: Sandbox, tmp_path: Path, screenshots: list[Path]
) -> None:
    from playwright.async_api import expect

    fake, harness = empty_sandbox.fake, empty_sandbox.harness
    assert fake is not None
    assert harness is not None
    assert harness.app is not None
    anna = fake.add_user("Anna")
    page = await open_page(browser, empty_sandbox)
    await page.locator("#start-button").click()
    await expect(messages(page)).to_contain_text("Ik ben Patchwork")

    trap = '<img src=x onerror="window.pwned=1"><b>niet vet</b>'
    await page.locator("#text").fill(trap)
    await page.locator("#text").press("Enter")
    await expect(page.locator(".msg.own").last).to_contain_text(trap)
    assert await page.locator("#messages img").count() == 0
    assert await page.evaluate("window.pwned === undefined")

    await harness.settle()  # the bot's own answer to the trap comes first
    bot = harness.app.bot
    sent = await bot.send_message(
        anna.id,
        "<b>Vet</b>, <i>schuin</i>, <a href='https://example.org/'>een link</a>, "
        "<a href='javascript:alert(1)'>geen link</a> en &lt;script&gt;",
        parse_mode=ParseMode.HTML,
    )
    last = page.locator(f'[data-message="{sent.message_id}"]')
    await expect(last.locator("strong")).to_have_text("Vet")
    await expect(last.locator("em")).to_have_text("schuin")
    await expect(last.locator("a")).to_have_count(1)
    await expect(last.locator("a")).to_have_attribute("href", "https://example.org/")
    await expect(last).to_contain_text("geen link en <script>")

    await bot.edit_message_text("Aangepast", chat_id=anna.id, message_id=sent.message_id)
    await expect(last).to_contain_text("Aangepast")
    await expect(last).to_contain_text("bewerkt")
    await bot.delete_message(anna.id, sent.message_id)
    await expect(messages(page)).not_to_contain_text("Aangepast")

    pdf = b"%PDF-1.4\n% straatkaart\n"
    await bot.send_document(anna.id, document=pdf, filename="straatkaart.pdf")
    link = page.locator("a.doc")
    await expect(link).to_contain_text("straatkaart.pdf")
    href = await link.get_attribute("href")
    response = await page.request.get(empty_sandbox.url.rstrip("/") + href)
    assert response.headers["content-type"] == "application/pdf"
    assert await response.body() == pdf

    # A button from an older version of the bot: the bot answers with an alert pop-up.
    old_button = InlineKeyboardMarkup([[InlineKeyboardButton("Oude knop", callback_data="m:weg")]])
    await bot.send_message(anna.id, "Een oud menu", reply_markup=old_button)
    await page.locator(".inline-kb button", has_text="Oude knop").last.click()
    await expect(page.locator("#dlg-alert")).to_be_visible()
    await expect(page.locator("#alert-text")).to_contain_text("Deze knop werkt niet meer")
    await shoot(page, tmp_path / "pop-up.png", screenshots)
    await page.locator("#dlg-alert button").click()
    assert page.errors == []


async def test_keyboard_only_large_text_and_a_phone_sized_screen(
    browser: Any, demo_sandbox: Sandbox, tmp_path: Path, screenshots: list[Path]
) -> None:
    from playwright.async_api import expect

    page = await open_page(
        browser, demo_sandbox, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    await expect(page.locator("#chats-heading")).to_have_text("Chats van Anna")
    size = await page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 18
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0

    await page.evaluate("document.activeElement.blur()")
    await page.keyboard.press("Tab")
    await expect(page.locator(".skip")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.locator("#text")).to_be_focused()
    await page.keyboard.type("/menu")
    await page.keyboard.press("Enter")
    await expect(page.locator(".msg.own").last).to_contain_text("/menu")
    await expect(page.locator(".msg.bot").last).to_contain_text("Wat wil je doen?")
    await page.keyboard.press("Shift+Tab")  # back from the text box: the newest buttons
    focused = page.locator(".inline-kb button:focus")
    await expect(focused).to_have_text("🧑‍⚕️ Ik heb hulp van een professional nodig")
    await page.keyboard.press("Shift+Tab")
    await expect(focused).to_have_text("⚙️ Instellingen")
    outline = await focused.evaluate(
        "b => [getComputedStyle(b).outlineStyle, parseFloat(getComputedStyle(b).outlineWidth)]"
    )
    assert outline[0] == "solid"
    assert outline[1] >= 3
    await page.keyboard.press("Enter")
    await expect(page.locator(".msg.bot").last).to_contain_text("Wat wil je aanpassen?")
    await shoot(page, tmp_path / "phone.png", screenshots)
    assert page.errors == []

"""Settings: defaults, the PATCHWORK_ prefix, and one clear line for a bad value."""

from __future__ import annotations

import importlib.util

import pytest

from config.settings import DEFAULT_DATABASE_URL, SettingsError, load_settings


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    settings = load_settings()
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.default_language == "nl"
    assert settings.timezone == "Europe/Amsterdam"
    assert settings.bot_token is None
    with pytest.raises(SettingsError, match="PATCHWORK_BOT_TOKEN"):
        settings.token()


def test_environment_and_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATCHWORK_BOT_TOKEN", " 1:abc ")
    monkeypatch.setenv("PATCHWORK_OPERATOR_CHAT_ID", "-100123")
    monkeypatch.setenv("PATCHWORK_WEBHOOK_URL", "")
    settings = load_settings()
    assert settings.token() == "1:abc"
    assert settings.operator_chat_id == -100123
    assert settings.webhook_url is None
    with pytest.raises(ValueError, match="frozen"):
        settings.log_level = "DEBUG"  # type: ignore[misc]
    assert "1:abc" not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "PATCHWORK_TIMEZONE",
            "Mars/Olympus",
            "PATCHWORK_TIMEZONE: unknown time zone 'Mars/Olympus'",
        ),
        (
            "PATCHWORK_DEFAULT_LANGUAGE",
            "fr",
            "PATCHWORK_DEFAULT_LANGUAGE: Input should be 'nl' or 'en'",
        ),
        (
            "PATCHWORK_OPERATOR_CHAT_ID",
            "abc",
            "PATCHWORK_OPERATOR_CHAT_ID: Input should be a valid integer",
        ),
        (
            "PATCHWORK_DATABASE_URL",
            "mysql://x",
            "PATCHWORK_DATABASE_URL: use sqlite:///path/to/file.sqlite3 or postgresql://",
        ),
        (
            "PATCHWORK_TELEGRAM_BASE_URL",
            "ftp://x",
            "PATCHWORK_TELEGRAM_BASE_URL: must start with http",
        ),
    ],
)
def test_bad_values_name_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("typed", "used"),
    [
        ("sqlite:///data/buurt.sqlite3", "sqlite+aiosqlite:///data/buurt.sqlite3"),
        ("sqlite:////srv/patchwork/db.sqlite3", "sqlite+aiosqlite:////srv/patchwork/db.sqlite3"),
        ("sqlite+aiosqlite:///x.sqlite3", "sqlite+aiosqlite:///x.sqlite3"),
        (
            "postgresql://pw:s%40cret@db:5432/buurt",
            "postgresql+asyncpg://pw:s%40cret@db:5432/buurt",
        ),
        ("postgres://pw@db/buurt", "postgresql+asyncpg://pw@db/buurt"),
        ("postgresql+psycopg2://pw@db/buurt", "postgresql+asyncpg://pw@db/buurt"),
    ],
)
def test_database_urls_as_people_type_them_get_the_async_driver(
    monkeypatch: pytest.MonkeyPatch, typed: str, used: str
) -> None:
    monkeypatch.setenv("PATCHWORK_DATABASE_URL", typed)
    assert load_settings().database_url == used


def test_postgresql_without_its_driver_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "asyncpg" else real(name, *a)
    )
    monkeypatch.setenv("PATCHWORK_DATABASE_URL", "postgresql://pw@db/buurt")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value) == (
        "PATCHWORK_DATABASE_URL: postgresql needs the asyncpg driver: "
        "pip install 'patchwork[postgres]'"
    )

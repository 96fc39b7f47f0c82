"""Settings: read once from the environment (prefix PATCHWORK_) and `.env`, then frozen."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

TELEGRAM_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/patchwork.sqlite3"


class SettingsError(Exception):
    """A setting has an invalid value; the message names it in one line."""


# The database backends the bot runs on, each with the async driver it talks through.
ASYNC_DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}
# How to get a driver that is not a plain dependency.
DRIVER_EXTRAS = {"asyncpg": "pip install 'patchwork[postgres]'"}
BACKEND_ALIASES = {"postgres": "postgresql"}  # what Heroku-style URLs say


class Settings(BaseSettings):
    """Everything the bot reads from its environment, validated and immutable."""

    model_config = SettingsConfigDict(
        env_prefix="PATCHWORK_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,
        frozen=True,
    )

    bot_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    telegram_base_url: str = TELEGRAM_BASE_URL
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    operator_chat_id: int | None = None
    default_language: Literal["nl", "en"] = "nl"
    timezone: str = "Europe/Amsterdam"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    # How long a group may stay without a setup before the bot explains and leaves.
    unconfigured_group_minutes: int = Field(default=10, ge=1, le=24 * 60)
    # Seconds between sweeps over due work (digests, reminders, clean-up).
    sweep_interval_seconds: float = Field(default=60.0, gt=0, le=3600)
    # Long-polling timeout for getUpdates, in seconds.
    polling_timeout: int = Field(default=10, ge=0, le=50)
    # Spam guards per resident.
    max_messages_per_minute: int = Field(default=20, ge=1, le=1000)
    # Escalation: an unclaimed case is reminded on its card, then reported to the operator.
    case_reminder_hours: float = Field(default=24, gt=0, le=24 * 14)
    case_operator_hours: float = Field(default=72, gt=0, le=24 * 30)
    # Retention (PRODUCT.md §3.9): days after a request (done, cancelled, expired) or a
    # case closed before its texts are removed; /privacy tells residents these numbers.
    request_text_retention_days: int = Field(default=90, ge=1, le=3650)
    case_text_retention_days: int = Field(default=180, ge=1, le=3650)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        """Accept what people type (sqlite:///path, postgresql://…) and name the async driver."""
        try:
            url = make_url(value.strip())
        except ArgumentError:
            raise ValueError("use sqlite:///path/to/file.sqlite3 or postgresql://…") from None
        backend = BACKEND_ALIASES.get(url.get_backend_name(), url.get_backend_name())
        if backend not in ASYNC_DRIVERS:
            raise ValueError("use sqlite:///path/to/file.sqlite3 or postgresql://…")
        driver = ASYNC_DRIVERS[backend]
        if driver in DRIVER_EXTRAS and importlib.util.find_spec(driver) is None:
            raise ValueError(f"{backend} needs the {driver} driver: {DRIVER_EXTRAS[driver]}")
        return url.set(drivername=f"{backend}+{ASYNC_DRIVERS[backend]}").render_as_string(
            hide_password=False
        )

    @field_validator("telegram_base_url", "webhook_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        if secret and not all(c.isalnum() or c in "_-" for c in secret):
            raise ValueError("PATCHWORK_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -")
        return self

    @property
    def tz(self) -> ZoneInfo:
        """The time zone people live in."""
        return ZoneInfo(self.timezone)

    @property
    def sqlite_path(self) -> Path | None:
        """The database file for SQLite URLs, else None."""
        prefix = "sqlite+aiosqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        return Path(self.database_url.removeprefix(prefix))

    def token(self) -> str:
        """The bot token, or SettingsError when it is missing."""
        if self.bot_token is None or not self.bot_token.get_secret_value().strip():
            raise SettingsError("PATCHWORK_BOT_TOKEN is not set")
        return self.bot_token.get_secret_value().strip()


def load_settings(**overrides: object) -> Settings:
    """Load settings once; a bad value becomes one clear line naming the setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "settings"
        name = f"PATCHWORK_{field.upper()}" if error["loc"] else "settings"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"{name}: {message}") from None

"""Every table of every capability, on one MetaData (what migrations are compared with).

The foundation's tables live in bot.storage.schema; each capability adds a module here
and imports it below.
"""

from bot.storage.schema import metadata
from bot.storage.tables import digest as digest

__all__ = ["metadata"]

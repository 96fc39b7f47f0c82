"""Every table of every capability, on one MetaData (what migrations are compared with).

The foundation's tables live in bot.storage.schema; each capability adds a module here
and imports it below.
"""

from bot.storage.schema import metadata
from bot.storage.tables import checkins as checkins
from bot.storage.tables import digest as digest
from bot.storage.tables import escalation as escalation
from bot.storage.tables import exchange as exchange
from bot.storage.tables import impact as impact
from bot.storage.tables import rides as rides

__all__ = ["metadata"]

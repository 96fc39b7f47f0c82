"""Repository implementations over SQL; each returns domain models, never rows."""

from bot.storage.repos.core import (
    SqlAudit,
    SqlMemberships,
    SqlNeighbourhoods,
    SqlPendingGroups,
    SqlResidents,
    SqlStreets,
)
from bot.storage.repos.infra import SqlDialogs, SqlOutbox, SqlPosts, SqlUpdates

__all__ = [
    "SqlAudit",
    "SqlDialogs",
    "SqlMemberships",
    "SqlNeighbourhoods",
    "SqlOutbox",
    "SqlPendingGroups",
    "SqlPosts",
    "SqlResidents",
    "SqlStreets",
    "SqlUpdates",
]

"""Building audit entries: who did what to which object; never message content."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models.core import AuditEntry, ChannelUser
from models.ports import Transaction


async def audit(
    tx: Transaction,
    now: datetime,
    action: str,
    subject_kind: str,
    subject_id: object,
    *,
    actor_resident_id: int | None = None,
    actor: ChannelUser | None = None,
    **detail: Any,
) -> None:
    """Append one audit line in the caller's transaction."""
    await tx.audit.append(
        AuditEntry(
            at=now,
            actor_resident_id=actor_resident_id,
            actor_external_id=actor.external_id if actor else None,
            action=action,
            subject_kind=subject_kind,
            subject_id=str(subject_id),
            detail=detail,
        )
    )

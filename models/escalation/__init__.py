"""Escalation to professionals and moderation by community workers (issue 6).

Kept free of imports on purpose (models.ports imports the repository Protocols here):
import from the submodules — `model`, `ports`, `workers`, `cases`, `moderation`.
"""

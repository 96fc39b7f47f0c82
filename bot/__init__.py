"""Composition root and infrastructure: wiring, storage, scheduler, Telegram delivery."""

__version__ = "0.1.0"

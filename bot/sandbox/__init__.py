"""The sandbox: a fake Telegram Bot API and a harness that runs the real bot against it."""

"""The Telegram adapter: updates in, service calls, rendered replies out."""

"""Everything Telegram: rendering neutral messages to its markup, sending, its errors."""

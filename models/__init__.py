"""The Patchwork domain: models, rules and services, free of Telegram and storage drivers."""

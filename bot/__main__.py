"""`python -m bot` is the same as `patchwork`."""

from bot.cli import main

raise SystemExit(main())

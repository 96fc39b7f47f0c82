"""Check-ins: a digital telephone circle (PRODUCT.md §1.8, §3.8; issue 14)."""

"""The impact report for community workers and their funders (PRODUCT §3.10)."""

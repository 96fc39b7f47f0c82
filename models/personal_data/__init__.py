"""Each capability's share of a person's data: what /mijngegevens shows, what /vergeetmij
erases, and the retention sweep that removes old texts (PRODUCT.md §3.9)."""

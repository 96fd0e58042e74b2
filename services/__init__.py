"""Domain services: introductions, broadcasts, suggestion rounds, reports, demo data (no SQL: storage does it)."""

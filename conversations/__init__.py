"""Guided conversations: flows declared as data, a pure engine, translation catalogs."""

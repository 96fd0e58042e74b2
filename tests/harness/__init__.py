"""Test harnesses: throw-away servers for end-to-end tests."""

"""Trait d'union: the asyncio core that connects chat adapters to the conversations."""

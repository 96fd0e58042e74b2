"""The core vocabulary: types, errors, clock and catalogue that every layer may import (it imports none)."""

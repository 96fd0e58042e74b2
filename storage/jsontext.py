"""Compact JSON text for the rows a step writes (its session, its replies' outbox payloads).

``json.dumps(…)`` builds a new encoder at each call, and even a ``JSONEncoder`` made once builds
its C encoder again in every ``encode``: a few microseconds per document, two or three documents
a step. :func:`compact` makes that C encoder once.
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable
from typing import Any


def _not_serialisable(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _make() -> Callable[[Any], str]:
    make_encoder = getattr(json.encoder, "c_make_encoder", None)
    if make_encoder is None:  # no C accelerator: the standard library's pure-Python encoder
        return json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    # no circular check (the documents are plain dicts and lists, built for the occasion): the
    # encoder then keeps no state between calls, and one instance serves every call
    iterencode = make_encoder(None, _not_serialisable, json.encoder.encode_basestring, None, ":", ",", False, False, True)

    def compact(document: Any) -> str:
        return "".join(iterencode(document, 0))

    return compact


compact: Callable[[Any], str] = _make()
"""``json.dumps(document, ensure_ascii=False, separators=(",", ":"))``, same text, without an encoder per call."""

"""The compact JSON of stored sessions and replies: the same text as ``json.dumps``, one encoder for every call."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from storage.jsontext import compact

DOCUMENTS: list[Any] = [
    {},
    [],
    {"flow": "onboarding", "step": "name", "data": {"kind": "association", "name": "Les amis de 12"}, "history": ["kind"]},
    {"text": "Bienvenue ! Vous êtes… « une asso » ?", "choices": [["association", "Une association", 1]], "multi": False},
    {"nested": {"deep": [1, 2.5, -3, None, True, False, "œuvre", "\u2028", "😀", "tab\there", 'quote "x"']}},
    {"keys": {"b": 1, "a": 2}, "float": 1e-7, "big": 10**20, "neg": -0.5},
    "a bare string",
    42,
    None,
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_same_text_as_json_dumps(document: Any) -> None:
    assert compact(document) == json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    assert json.loads(compact(document)) == document


def test_what_json_cannot_write_is_refused_and_the_next_call_is_unaffected() -> None:
    with pytest.raises(TypeError, match="set"):
        compact({"values": {1, 2}})
    with pytest.raises(TypeError, match="object"):
        compact([1, {"deep": object()}])
    assert compact({"x": float("nan")}) == json.dumps({"x": float("nan")}, ensure_ascii=False, separators=(",", ":"))
    document = {"shared": [1, 2]}
    assert compact({"a": document, "b": document}) == '{"a":{"shared":[1,2]},"b":{"shared":[1,2]}}'  # not a cycle


def test_one_encoder_serves_several_threads() -> None:
    documents = [{"user": str(n), "data": {"name": f"Asso {n}", "items": list(range(n % 7))}} for n in range(200)]
    results: dict[int, list[str]] = {}

    def encode(index: int) -> None:
        results[index] = [compact(document) for document in documents for _ in range(20)]

    threads = [threading.Thread(target=encode, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = [json.dumps(document, ensure_ascii=False, separators=(",", ":")) for document in documents for _ in range(20)]
    assert all(result == expected for result in results.values())

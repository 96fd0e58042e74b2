"""Callback data encoding and keyboards (bot.adapters.telegram_keyboards)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.adapters.telegram_keyboards import (
    TICK,
    ButtonData,
    build_keyboard,
    decode,
    read_keyboard,
)
from core.types import Choice, Reply

ids = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters="|"), min_size=1, max_size=20)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (ButtonData("p1", "c", "assoc"), "1|p1|c|assoc"),
        (ButtonData("onb.themes", "t", "024"), "1|onb.themes|t|024"),
        (ButtonData("onb.themes", "ok"), "1|onb.themes|ok"),
    ],
)
def test_encode_is_compact_and_versioned(data: ButtonData, expected: str) -> None:
    assert data.encode() == expected
    assert decode(expected) == data


@given(prompt_id=ids, value=ids, kind=st.sampled_from(["c", "t"]))
def test_round_trip(prompt_id: str, value: str, kind: str) -> None:
    data = ButtonData(prompt_id, kind, value)  # type: ignore[arg-type]
    assert decode(data.encode()) == data


@given(st.one_of(st.text(max_size=80), st.binary(max_size=80), st.none(), st.integers()))
def test_decode_never_raises(raw: object) -> None:
    result = decode(raw)
    assert result is None or isinstance(result, ButtonData)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "garbage",
        "1|p1",
        "2|p1|c|assoc",  # unknown version
        "1|p1|x|assoc",  # unknown kind
        "1|p1|ok|extra",
        "1||c|assoc",
        "1|p1|c|",
        "1|p1|c|a|b",
        "1|p1|c|" + "a" * 60,  # over 64 bytes
        "1|p1|c|\x00",
    ],
)
def test_decode_rejects_malformed(raw: str) -> None:
    assert decode(raw) is None


@pytest.mark.parametrize(
    "data",
    [
        ButtonData("p|1", "c", "a"),
        ButtonData("p", "c", "a|b"),
        ButtonData("p", "c", "x" * 60),
        ButtonData("p", "c"),
        ButtonData("", "ok"),
        ButtonData("p", "ok", "v"),
    ],
)
def test_encode_refuses_what_cannot_round_trip(data: ButtonData) -> None:
    with pytest.raises(ValueError):
        data.encode()


def test_multi_keyboard_ticks_and_reads_back() -> None:
    reply = Reply(
        "Thèmes ?",
        choices=(Choice("006", "Culture"), Choice("011", "Sports")),
        multi=True,
        selected=("011",),
        submit_label="Valider",
        prompt_id="th",
    )
    markup = build_keyboard(reply, "OK")
    assert markup is not None
    texts = [[b.text for b in row] for row in markup.inline_keyboard]
    assert texts == [["Culture"], [TICK + "Sports"], ["Valider"]]
    state = read_keyboard(markup, "th")
    assert state.ticked() == ("011",)
    assert state.toggled("th", "006").inline_keyboard[0][0].text == TICK + "Culture"
    assert read_keyboard(markup, "other").toggles == []


def test_choices_need_a_prompt_id() -> None:
    with pytest.raises(ValueError):
        build_keyboard(Reply("?", choices=(Choice("a", "A"),)), "OK")
    assert build_keyboard(Reply("no choices"), "OK") is None

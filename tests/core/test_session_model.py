"""Core objects built by hand for speed keep their promises: ``Session.evolve`` keeps every field it is not asked to change, ``Incoming`` cleans every field but its chat."""

from __future__ import annotations

from dataclasses import fields

import pytest

from core.model import Session


def _filled() -> Session:
    return Session(
        language="en",
        flow="onboarding",
        step="name",
        data={"kind": "association"},
        history=("kind",),
        prompt_seq=7,
        invite="abc",
        draft={"step": "place"},
    )


def test_evolve_keeps_every_field_it_does_not_change() -> None:
    session = _filled()
    assert session.evolve() == session
    for field in fields(Session):  # a field added to Session and forgotten by evolve fails here
        assert getattr(session.evolve(), field.name) == getattr(session, field.name), field.name


def test_evolve_changes_only_what_it_is_given() -> None:
    session = _filled()
    changed = session.evolve(step="place", prompt_seq=8)
    assert (changed.step, changed.prompt_seq) == ("place", 8)
    assert changed.evolve(step="name", prompt_seq=7) == session


def test_evolve_refuses_an_unknown_field() -> None:
    with pytest.raises(TypeError):
        _filled().evolve(colour="blue")


def test_an_incoming_event_is_cleaned_in_every_field_but_its_chat() -> None:
    from dataclasses import fields as dataclass_fields

    from core.types import Incoming

    dirty = "e\u0301t\ud83d"  # decomposed accent (NFC: one character) and a lone surrogate
    names = [f.name for f in dataclass_fields(Incoming) if f.name not in ("choices", "chat_id")]
    event = Incoming(**{name: dirty for name in names}, chat_id=dirty, choices=(dirty, "ok"))
    for name in names:
        assert getattr(event, name) == "\u00e9t\ufffd", name
    assert event.choices == ("\u00e9t\ufffd", "ok")
    assert event.chat_id == dirty  # replies must reach the chat the platform named
    plain = Incoming(platform="t", user_id="u", chat_id="c", event_id="e", text="Les amis de 12")
    assert plain.text == "Les amis de 12"

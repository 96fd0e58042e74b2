"""``Session.evolve`` keeps every field it is not asked to change (it is built by hand, not by ``dataclasses.replace``)."""

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

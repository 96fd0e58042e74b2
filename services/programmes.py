"""Company programmes, the domain side: a company declares a programme, the coordinators of its
territory are told there is a shortlist of association needs it fits; a coordinator ticks some
and every introduction goes at once (the association is asked first, then the company: the
usual double opt-in); the employees involved count in ``/stats``. Runs in the caller's transaction."""

from __future__ import annotations

import functools
import sqlite3
from datetime import datetime
from typing import Any

from conversations.decisions import decision_reply
from conversations.i18n import translate, translate_plural
from conversations.programmes import DeclareProgramme, SendProgramme
from core.clock import iso
from core.types import Reply
from services.introductions import open_decision, send_to_actor
from storage import actors, outbox
from storage import coordination as coordination_store
from storage import programmes as store
from storage.coordination import Area
from storage.groups import chat_language


def programmes(conn: sqlite3.Connection, areas: tuple[Any, ...]) -> list[tuple[int, str, str, int, str]]:
    """Open programmes of companies in the coordinator's areas."""
    found: dict[int, tuple[int, str, str, int, str]] = {}
    for area in areas:
        for row in store.open_in(conn, Area(area.kind, area.code, area.label)):
            found[row[0]] = row
    return sorted(found.values(), reverse=True)


def programme_shortlist(conn: sqlite3.Connection, programme_id: int, areas: tuple[Any, ...], now: datetime) -> list[dict[str, Any]] | None:
    """The association needs a programme fits; None for a programme outside the coordinator's areas."""
    if not any(store.company_in(conn, programme_id, Area(a.kind, a.code, a.label)) for a in areas):
        return None
    programme = store.programme(conn, programme_id)
    if programme is None:
        return None
    return store.shortlist(conn, programme["company_id"], programme["theme"], programme["skills"], now.date().isoformat(), _areas(areas))


def _areas(areas: tuple[Any, ...]) -> list[Area]:
    """A coordinator's appointments as areas: the shortlist never reaches outside them."""
    return [Area(a.kind, a.code, a.label) for a in areas]


def declare(conn: sqlite3.Connection, actor_id: int, effect: DeclareProgramme, language: str, now: datetime) -> list[Reply]:
    """Store the programme when some association need fits it and tell the territory's coordinators;
    a programme nothing fits is not stored (a clear answer, nothing changed)."""
    me = actors.load_actor(conn, actor_id)
    if me is None or me.kind != "entreprise":
        return [Reply(translate(language, "programme.companies_only"), language=language)]
    stamp = iso(now)
    matches = store.shortlist(conn, actor_id, effect.theme, list(effect.skills), now.date().isoformat())
    theme = translate(language, f"theme.{effect.theme}")
    if not matches:
        return [Reply(translate(language, "programme.no_match", theme=theme), language=language)]
    programme_id = store.create(conn, actor_id, effect.theme, effect.employees, effect.period, list(effect.skills), stamp)
    today = now.date().isoformat()
    coordinators = [
        (platform, chat, len(store.shortlist(conn, actor_id, effect.theme, list(effect.skills), today, areas)))
        for platform, chat, areas in store.coordinators_of(conn, actor_id)
    ]
    coordinators = [row for row in coordinators if row[2]]  # each is told what their own territory holds
    for platform, chat, count in coordinators:
        lang = chat_language(conn, platform, chat)
        text = translate(
            lang,
            "programmes.notice",
            company=me.name,
            employees=translate_plural(lang, "programme.employees_n", int(effect.employees)),
            theme=translate(lang, f"theme.{effect.theme}"),
            period=effect.period,
            needs=translate_plural(lang, "programme.needs_n", count),
        )
        outbox.enqueue(conn, platform, chat, Reply(text, notice=True, language=lang), stamp, about=[actor_id])
    key = "programme.declared_n" if coordinators else "programme.declared_no_coordinator_n"
    return [Reply(translate_plural(language, key, len(matches), id=programme_id, theme=theme), language=language)]


def send(conn: sqlite3.Connection, effect: SendProgramme, areas: tuple[Any, ...], who: str, language: str, now: datetime) -> list[Reply]:
    """Send the introductions of a programme to the ticked needs of its shortlist, at once; refused,
    nothing changed: outside the territory, a need not on the shortlist, already sent, none ticked."""
    stamp = iso(now)

    def refuse(key: str, **params: Any) -> list[Reply]:
        return [Reply(translate(language, key, **params), language=language)]

    if not any(store.company_in(conn, effect.programme_id, Area(a.kind, a.code, a.label)) for a in areas):
        return refuse("coord.refused")
    programme = store.programme(conn, effect.programme_id)
    if programme is None or programme["status"] != "open":
        return refuse("programmes.already_sent")
    shortlist = {
        row["listing"]: row
        for row in store.shortlist(
            conn, programme["company_id"], programme["theme"], programme["skills"], now.date().isoformat(), _areas(areas)
        )
    }
    ticked = list(dict.fromkeys(effect.listings))
    if not ticked or any(listing not in shortlist for listing in ticked):
        return refuse("programmes.not_on_shortlist")
    associations = list(dict.fromkeys(shortlist[listing]["actor"] for listing in ticked))
    share, extra = divmod(int(programme["employees"]), len(associations))
    reasons = [["match.programme", {"company": programme["company"], "employees": programme["employees"], "period": programme["period"]}]]
    rows: list[tuple[int, int, int, int]] = []
    seen: set[int] = set()
    for listing in ticked:
        association = shortlist[listing]["actor"]
        if association in seen:
            continue
        seen.add(association)
        suggestion_id = store.create_suggestion(conn, association, programme["company_id"], listing, reasons, stamp)
        view = open_decision(conn, association, "suggestion", suggestion_id, stamp)
        if view is not None:
            send_to_actor(conn, association, functools.partial(decision_reply, view, notice=True), stamp, (programme["company_id"],))
        rows.append((listing, association, suggestion_id, share + (1 if len(rows) < extra else 0)))
    if not store.record_sent(conn, effect.programme_id, rows, stamp):
        return refuse("programmes.already_sent")
    coordination_store.audit(conn, who, "programme.send", stamp, programme=effect.programme_id, introductions=len(rows))
    involved = translate_plural(language, "programme.employees_involved_n", int(programme["employees"]))
    text = translate_plural(language, "programmes.sent_n", len(rows), company=programme["company"], employees=involved)
    return [Reply(text, language=language)]

"""Spreadsheet-friendly CSV files: what French Excel opens without garbling accents or columns.

French (the default): UTF-8 with a byte-order mark, ``;`` between cells, decimal commas, French
headers and values, local dates ``30/11/2026 09:41``. English: UTF-8 with a byte-order mark,
``,`` between cells, decimal points, English headers and values, ``2026-11-30 09:41``.
Cells that start like a formula get a leading ``'``. Pure: no I/O.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from conversations.i18n import has_key, translate

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: what starts like a formula gets a leading ``'``."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _english(language: str | None) -> bool:
    return language == "en"


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]], language: str | None) -> bytes:
    """A CSV file for ``language``'s spreadsheets (see the module)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter="," if _english(language) else ";", lineterminator="\r\n")
    writer.writerow([csv_cell(cell) for cell in header])
    writer.writerows([[csv_cell(cell) for cell in row] for row in rows])
    return (BOM + buffer.getvalue()).encode("utf-8")


def local_time(moment: str | None, timezone: str, language: str | None) -> str:
    """An ISO UTC time as a local date and time (empty when None)."""
    if not moment:
        return ""
    local = datetime.fromisoformat(moment).astimezone(ZoneInfo(timezone))
    return local.strftime("%Y-%m-%d %H:%M" if _english(language) else "%d/%m/%Y %H:%M")


def local_date(day: date, language: str | None) -> str:
    """A date as people of ``language`` write it."""
    return day.isoformat() if _english(language) else day.strftime("%d/%m/%Y")


def decimal(value: float | None, language: str | None, digits: int = 4) -> str:
    """A fraction with the decimal mark of ``language`` (empty when undefined)."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}"
    return text if _english(language) else text.replace(".", ",")


def label(language: str | None, key: str, fallback: str) -> str:
    """The translation of ``key``, or ``fallback`` when there is none (a new identifier)."""
    return translate(language, key) if has_key(language or "fr", key) or has_key("fr", key) else fallback


def shown_answer(answer: str, language: str | None) -> str:
    """A call's stored answer as the coordinator reads it: « Intéressé·e », « Pas intéressé·e », or the words typed."""
    if answer in ("interested", "not_interested"):
        return translate(language, f"decision.broadcast.{answer}")
    return answer


def answers_csv(rows: Sequence[tuple[str, str, str, str, str]], language: str | None, timezone: str) -> bytes:
    """The answers to a call (actor, type, commune, answer, date), never a contact."""
    header = [translate(language, f"export.answers.{column}") for column in ("actor", "type", "commune", "answer", "date")]
    table = [
        (
            name,
            label(language, f"actor_type.{kind}", kind),
            place,
            shown_answer(answer, language),
            local_time(created, timezone, language),
        )
        for name, kind, place, answer, created in rows
    ]
    return write_csv(header, table, language)

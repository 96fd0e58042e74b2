"""Numbered schema migrations, applied in order at start, one history for SQLite and PostgreSQL.

The version is ``PRAGMA user_version`` on SQLite and the rows of ``schema_version`` (one per applied migration) on
PostgreSQL. Migrations are written in SQLite's portable DDL (see ``storage/ddl.py``): on
PostgreSQL every statement they run goes through :func:`storage.ddl.to_postgres` (types,
``WITHOUT ROWID``, ``INSERT OR IGNORE``), so a migration written for SQLite with the project's
portable types applies unchanged. What has no word-level translation (triggers) is written
per dialect, testing ``is_postgres(conn)``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from storage.ddl import to_postgres, type_conversions
from storage.dialect import is_postgres

Migration = Callable[[Any], None]
MIGRATIONS: list[tuple[int, str, Migration]] = []


def migration(version: int, description: str) -> Callable[[Migration], Migration]:
    """Register ``fn`` as the migration to schema ``version``."""

    def register(fn: Migration) -> Migration:
        MIGRATIONS.append((version, description, fn))
        MIGRATIONS.sort(key=lambda item: item[0])
        return fn

    return register


@migration(1, "Initial schema: actors, identities, sessions, listings, processed events, outbox")
def _v1(conn: Any) -> None:
    run_script(
        conn,
        """
        CREATE TABLE actors (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            commune_code TEXT NOT NULL,
            place TEXT NOT NULL,               -- JSON: label, epci, departement...
            epci_code TEXT,
            departement_code TEXT,
            themes TEXT NOT NULL DEFAULT '[]', -- JSON list of theme values
            description TEXT,
            contact_handle TEXT,
            contact_email TEXT,
            contact_phone TEXT,
            consent_matching INTEGER NOT NULL DEFAULT 0,
            consent_calls INTEGER NOT NULL DEFAULT 0,
            language TEXT NOT NULL DEFAULT 'fr',
            frequency TEXT NOT NULL DEFAULT 'weekly',
            paused INTEGER NOT NULL DEFAULT 0,
            unreachable INTEGER NOT NULL DEFAULT 0,
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX actors_commune ON actors (commune_code);
        CREATE INDEX actors_epci ON actors (epci_code);
        CREATE INDEX actors_departement ON actors (departement_code);

        CREATE TABLE identities (
            platform TEXT NOT NULL,
            user_id TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            actor_id INTEGER REFERENCES actors (id) ON DELETE CASCADE,
            display_name TEXT,
            handle TEXT,
            language_code TEXT,
            unreachable INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            PRIMARY KEY (platform, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX identities_actor ON identities (actor_id);

        CREATE TABLE sessions (
            platform TEXT NOT NULL,
            user_id TEXT NOT NULL,
            state TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (platform, user_id),
            FOREIGN KEY (platform, user_id) REFERENCES identities (platform, user_id) ON DELETE CASCADE
        ) WITHOUT ROWID;

        CREATE TABLE listings (
            id INTEGER PRIMARY KEY,
            actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('need', 'offer')),
            category TEXT NOT NULL,
            subcategory TEXT,
            themes TEXT NOT NULL DEFAULT '[]',
            description TEXT NOT NULL,
            zone_kind TEXT NOT NULL,
            zone_code TEXT NOT NULL,
            zone_label TEXT NOT NULL,
            radius_km INTEGER,
            expires_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX listings_actor ON listings (actor_id);
        CREATE INDEX listings_open ON listings (status, kind, category);

        CREATE TABLE processed_events (
            platform TEXT NOT NULL,
            event_id TEXT NOT NULL,
            processed_at TEXT NOT NULL,
            PRIMARY KEY (platform, event_id)
        ) WITHOUT ROWID;

        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            actor_id INTEGER REFERENCES actors (id) ON DELETE CASCADE,
            payload TEXT NOT NULL,             -- JSON of the Reply
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            not_before TEXT NOT NULL,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            error TEXT
        );
        CREATE INDEX outbox_due ON outbox (platform, status, not_before);
        """,
    )


def run_script(conn: Any, script: str) -> None:
    """Execute ``script`` statement by statement inside the current transaction.

    (``executescript`` would commit first, breaking the migration's atomicity.)
    """
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line.split("--", 1)[0] + ("\n" if "--" in line else "")
        if sqlite3.complete_statement(buffer):
            conn.execute(buffer)
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement: {buffer.strip()[:60]}")


def current_version(conn: Any) -> int:
    """The schema version stored in the database."""
    if is_postgres(conn):
        exists = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()[0]
        if not exists:
            return 0
        row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


class SchemaTooNew(sqlite3.DatabaseError):
    """The database was written by a newer Trait d'union: running older code on it could damage it."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"schema version {found} is newer than this Trait d'union knows ({known}): "
            "upgrade Trait d'union, or restore a backup taken before the upgrade"
        )
        self.found = found
        self.known = known


def latest_version() -> int:
    """The newest schema version this code knows."""
    return max(version for version, _, _ in MIGRATIONS)


def pending(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """The migrations not yet applied, as (version, description); :class:`SchemaTooNew` when the
    database is newer than the code."""
    found = current_version(conn)
    if found > latest_version():
        raise SchemaTooNew(found, latest_version())
    if is_postgres(conn):
        applied = _applied_postgres(conn)
        return [(version, description) for version, description, _ in MIGRATIONS if version not in applied]
    return [(version, description) for version, description, _ in MIGRATIONS if version > found]


def migrate(conn: Any) -> list[int]:
    """Apply the pending migrations, each in its own transaction; return the versions applied.

    A database whose schema is newer than the code is refused (:class:`SchemaTooNew`) and left as it is.
    """
    pending(conn)
    if is_postgres(conn):
        return _migrate_postgres(conn)
    applied: list[int] = []
    for version, _description, fn in MIGRATIONS:
        if version <= current_version(conn):
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            fn(conn)
            conn.execute(f"PRAGMA user_version = {int(version)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


MIGRATION_LOCK = 0x7464755F6D6967  # "tdu_mig": one process migrates at a time
"""Key of the PostgreSQL advisory lock held while migrating (several workers may start together)."""


class _TranslatingConnection:
    """A PostgreSQL connection whose statements are translated from SQLite's DDL (migrations only)."""

    def __init__(self, conn: Any, typed: bool = False) -> None:
        self._conn = conn
        self.dialect = conn.dialect
        self._typed = typed  # from migration 25 on: flags, moments and dates declared with their real types

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        translated = to_postgres(sql, typed=self._typed)
        if translated is None:
            return _NoRows()
        return self._conn.execute(translated, params)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> Any:
        translated = to_postgres(sql, typed=self._typed)
        return _NoRows() if translated is None else self._conn.executemany(translated, seq)

    def raw_execute(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """Run ``sql`` as written (PostgreSQL-only statements: functions, triggers)."""
        return self._conn.execute(sql, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


class _NoRows:
    rowcount = 0

    def fetchone(self) -> None:
        return None

    def fetchall(self) -> list[Any]:
        return []


def _migrate_postgres(conn: Any) -> list[int]:
    applied: list[int] = []
    conn.execute("SELECT pg_advisory_lock(?)", (MIGRATION_LOCK,))
    try:
        if current_version(conn) == 0:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
        for version, _description, fn in MIGRATIONS:
            if version in _applied_postgres(conn):
                continue
            conn.execute("BEGIN")
            try:
                fn(_TranslatingConnection(conn, typed=version >= TYPED_FROM))
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
                _sync_identities(conn)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            applied.append(version)
    finally:
        conn.execute("SELECT pg_advisory_unlock(?)", (MIGRATION_LOCK,))
    return applied


TYPED_FROM = 25
"""From this migration on, PostgreSQL columns are declared with real types (see ``storage/ddl.py``)."""
_LEGACY = frozenset(range(1, 17)) | {24}
"""The migrations that existed while ``schema_version`` kept one row (the highest applied)."""


def _applied_postgres(conn: Any) -> set[int]:
    """The migrations applied to a PostgreSQL database: one row per migration in ``schema_version``.

    Until migration 25, the table kept one row, the highest version, and the history had no gap
    but 17–23: a database at 24 then has 1–16 and 24. New migrations are numbered above the
    highest one (SQLite's ``user_version`` would never run a number below it).
    """
    if current_version(conn) == 0:
        return set()
    found = {int(row[0]) for row in conn.execute("SELECT version FROM schema_version").fetchall()}
    return found | {version for version in _LEGACY if version <= max(found)}


def _sync_identities(conn: Any) -> None:
    """Move each identity column's sequence past the largest id (a table rebuilt with its rows)."""
    columns = conn.execute(
        """
        SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND is_identity = 'YES'
        """
    ).fetchall()
    for table, column in columns:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), COALESCE((SELECT max({column}) FROM {table}), 0) + 1, false)"
        )


@migration(2, "Suggestions, digests, double opt-in introductions, follow-ups, listing renewals")
def _v2(conn: Any) -> None:
    run_script(
        conn,
        """
        CREATE TABLE digests (
            id INTEGER PRIMARY KEY,
            actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
            period TEXT NOT NULL,              -- e.g. weekly:2026-W48, or manual:<timestamp>
            created_at TEXT NOT NULL,
            UNIQUE (actor_id, period)
        );

        CREATE TABLE suggestions (
            id INTEGER PRIMARY KEY,
            actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,   -- who receives it
            other_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,   -- who is proposed
            digest_id INTEGER REFERENCES digests (id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            my_listing_id INTEGER REFERENCES listings (id) ON DELETE SET NULL,
            their_listing_id INTEGER REFERENCES listings (id) ON DELETE SET NULL,
            score REAL NOT NULL,
            explanation TEXT NOT NULL,         -- JSON list of [key, {params}]
            status TEXT NOT NULL DEFAULT 'proposed'
                CHECK (status IN ('proposed', 'accepted', 'declined', 'later', 'expired')),
            created_at TEXT NOT NULL,
            answered_at TEXT
        );
        CREATE INDEX suggestions_actor ON suggestions (actor_id, status);
        CREATE INDEX suggestions_other ON suggestions (other_id, created_at);

        CREATE TABLE introductions (
            id INTEGER PRIMARY KEY,
            requester_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
            invitee_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
            suggestion_id INTEGER REFERENCES suggestions (id) ON DELETE SET NULL,
            coordinator_id INTEGER REFERENCES actors (id) ON DELETE SET NULL,
            status TEXT NOT NULL DEFAULT 'asked'
                CHECK (status IN ('asked', 'accepted', 'declined', 'expired')),
            created_at TEXT NOT NULL,
            reminded_at TEXT,
            answered_at TEXT,
            followup_due TEXT,
            followup_sent_at TEXT,
            requester_outcome TEXT CHECK (requester_outcome IN ('launched', 'discussing', 'none')),
            invitee_outcome TEXT CHECK (invitee_outcome IN ('launched', 'discussing', 'none'))
        );
        CREATE INDEX introductions_invitee ON introductions (invitee_id, status);
        CREATE INDEX introductions_requester ON introductions (requester_id, status);

        ALTER TABLE listings ADD COLUMN renewal_asked_at TEXT;
        """,
    )


@migration(3, "Coordinators, audit log, broadcasts with their recipients and answers")
def _v3(conn: Any) -> None:
    run_script(
        conn,
        """
        CREATE TABLE coordinators (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,            -- the coordinator's own identity
            user_id TEXT NOT NULL,
            area_kind TEXT NOT NULL CHECK (area_kind IN ('commune', 'epci', 'departement')),
            area_code TEXT NOT NULL,
            area_label TEXT NOT NULL,
            invite_code TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            UNIQUE (platform, user_id, area_kind, area_code)
        );

        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL,                 -- platform:user_id, or cli
            action TEXT NOT NULL,
            details TEXT NOT NULL DEFAULT '{}'
        );

        CREATE TABLE broadcasts (
            id INTEGER PRIMARY KEY,
            coordinator_id INTEGER REFERENCES coordinators (id) ON DELETE SET NULL,
            area_kind TEXT NOT NULL,
            area_code TEXT NOT NULL,
            area_label TEXT NOT NULL,
            actor_kinds TEXT NOT NULL DEFAULT '[]',   -- JSON; empty = every type
            themes TEXT NOT NULL DEFAULT '[]',        -- JSON; empty = every theme
            message TEXT NOT NULL,
            answer_mode TEXT NOT NULL CHECK (answer_mode IN ('none', 'interested', 'text')),
            status TEXT NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'done', 'cancelled')),
            requester_platform TEXT NOT NULL,
            requester_chat TEXT NOT NULL,
            created_at TEXT NOT NULL,
            finished_at TEXT
        );

        CREATE TABLE broadcast_recipients (
            broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
            actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
            outbox_id INTEGER,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'unreachable')),
            PRIMARY KEY (broadcast_id, actor_id)
        ) WITHOUT ROWID;
        CREATE INDEX broadcast_recipients_actor ON broadcast_recipients (actor_id);

        CREATE TABLE broadcast_answers (
            id INTEGER PRIMARY KEY,
            broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
            actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
            answer TEXT NOT NULL,              -- 'interested' or the free text
            created_at TEXT NOT NULL,
            forwarded_at TEXT,
            UNIQUE (broadcast_id, actor_id)
        );

        ALTER TABLE actors ADD COLUMN invited_by INTEGER REFERENCES coordinators (id) ON DELETE SET NULL;
        ALTER TABLE outbox ADD COLUMN broadcast_id INTEGER REFERENCES broadcasts (id) ON DELETE SET NULL;
        """,
    )


@migration(4, "Index broadcast recipients by outbox message (delivery reports)")
def _v4(conn: Any) -> None:
    conn.execute("CREATE INDEX broadcast_recipients_outbox ON broadcast_recipients (outbox_id)")


@migration(5, "Messages that edit an earlier one (a broadcast's status), and the platform's message ids")
def _v5(conn: Any) -> None:
    run_script(
        conn,
        """
        ALTER TABLE outbox ADD COLUMN platform_ref TEXT;
        ALTER TABLE outbox ADD COLUMN edit_of INTEGER REFERENCES outbox (id) ON DELETE CASCADE;
        ALTER TABLE broadcasts ADD COLUMN status_outbox_id INTEGER REFERENCES outbox (id) ON DELETE SET NULL;
        CREATE INDEX outbox_edit_of ON outbox (edit_of, status);
        """,
    )


@migration(6, "Delivery counters on broadcasts (reports without recounting every recipient)")
def _v6(conn: Any) -> None:
    run_script(
        conn,
        """
        ALTER TABLE broadcasts ADD COLUMN recipients_total INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE broadcasts ADD COLUMN sent_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE broadcasts ADD COLUMN failed_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE broadcasts ADD COLUMN unreachable_count INTEGER NOT NULL DEFAULT 0;
        """,
    )


@migration(8, "Indexes for the hot lookups: chat ids, pending messages, digests by period and date, recent and declined pairs, ages")
def _v8(conn: Any) -> None:
    run_script(
        conn,
        """
        CREATE INDEX identities_chat ON identities (platform, chat_id);
        CREATE INDEX processed_events_age ON processed_events (processed_at);
        -- pending messages only (a few), in the order the worker sends them: status edits first
        CREATE INDEX outbox_pending ON outbox (platform, (edit_of IS NULL), id) WHERE status = 'pending';
        CREATE INDEX outbox_pending_chat ON outbox (platform, chat_id, id) WHERE status = 'pending';
        CREATE INDEX outbox_done_age ON outbox (sent_at) WHERE status != 'pending';
        CREATE INDEX broadcasts_status_outbox ON broadcasts (status_outbox_id);
        CREATE INDEX digests_period ON digests (period);
        CREATE INDEX digests_created ON digests (created_at);
        CREATE INDEX suggestions_created ON suggestions (created_at);
        CREATE INDEX suggestions_digest ON suggestions (digest_id);
        CREATE INDEX suggestions_declined ON suggestions (actor_id, other_id) WHERE status = 'declined';
        CREATE INDEX introductions_suggestion ON introductions (suggestion_id);
        CREATE INDEX introductions_declined ON introductions (requester_id, invitee_id) WHERE status = 'declined';
        -- the hourly jobs: what is due among the few open rows
        CREATE INDEX introductions_asked ON introductions (reminded_at, created_at) WHERE status = 'asked';
        CREATE INDEX introductions_followup ON introductions (followup_due) WHERE status = 'accepted' AND followup_sent_at IS NULL;
        CREATE INDEX listings_renewal ON listings (expires_at) WHERE status = 'open' AND renewal_asked_at IS NULL;
        CREATE INDEX broadcast_answers_unforwarded ON broadcast_answers (broadcast_id) WHERE forwarded_at IS NULL;
        """,
    )


@migration(7, "Meaning vectors of listings and profiles and their queue (existing rows queued); early alerts of strong new offers")
def _v7(conn: Any) -> None:
    run_script(conn, _V7_TABLES)
    if is_postgres(conn):
        for statement in _V7_PG_TRIGGERS:
            conn.raw_execute(statement)
    else:
        run_script(conn, _V7_SQLITE_TRIGGERS)
    run_script(conn, _V7_REST)


_V7_TABLES = """
        CREATE TABLE embeddings (
            owner TEXT NOT NULL CHECK (owner IN ('listing', 'actor')),
            owner_id INTEGER NOT NULL,
            vector BLOB,                       -- matching.vectors blob; NULL: the text says nothing
            PRIMARY KEY (owner, owner_id)
        ) WITHOUT ROWID;
        CREATE TABLE embedding_queue (
            owner TEXT NOT NULL,
            owner_id INTEGER NOT NULL,
            PRIMARY KEY (owner, owner_id)
        ) WITHOUT ROWID;
"""
_V7_SQLITE_TRIGGERS = """
        CREATE TRIGGER listings_embed_new AFTER INSERT ON listings BEGIN
            INSERT OR IGNORE INTO embedding_queue (owner, owner_id) VALUES ('listing', NEW.id);
        END;
        CREATE TRIGGER listings_embed_changed AFTER UPDATE OF description ON listings
        WHEN NEW.description IS NOT OLD.description BEGIN
            INSERT OR IGNORE INTO embedding_queue (owner, owner_id) VALUES ('listing', NEW.id);
        END;
        CREATE TRIGGER listings_embed_gone AFTER DELETE ON listings BEGIN
            DELETE FROM embeddings WHERE owner = 'listing' AND owner_id = OLD.id;
            DELETE FROM embedding_queue WHERE owner = 'listing' AND owner_id = OLD.id;
        END;
        CREATE TRIGGER actors_embed_new AFTER INSERT ON actors BEGIN
            INSERT OR IGNORE INTO embedding_queue (owner, owner_id) VALUES ('actor', NEW.id);
        END;
        CREATE TRIGGER actors_embed_changed AFTER UPDATE OF description ON actors
        WHEN NEW.description IS NOT OLD.description BEGIN
            INSERT OR IGNORE INTO embedding_queue (owner, owner_id) VALUES ('actor', NEW.id);
        END;
        CREATE TRIGGER actors_embed_gone AFTER DELETE ON actors BEGIN
            DELETE FROM embeddings WHERE owner = 'actor' AND owner_id = OLD.id;
            DELETE FROM embedding_queue WHERE owner = 'actor' AND owner_id = OLD.id;
        END;
"""
_V7_REST = """
        ALTER TABLE actors ADD COLUMN early_alerts INTEGER NOT NULL DEFAULT 1;  -- a strong new offer before the digest
        ALTER TABLE actors ADD COLUMN last_early_alert TEXT;
        CREATE TABLE matching_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO embedding_queue (owner, owner_id) SELECT 'listing', id FROM listings WHERE status = 'open';
        INSERT INTO embedding_queue (owner, owner_id) SELECT 'actor', id FROM actors;
"""
_V7_PG_TRIGGERS = (
    """
    CREATE FUNCTION embedding_queue_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO embedding_queue (owner, owner_id) VALUES (TG_ARGV[0], NEW.id) ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION embedding_forget() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM embeddings WHERE owner = TG_ARGV[0] AND owner_id = OLD.id;
        DELETE FROM embedding_queue WHERE owner = TG_ARGV[0] AND owner_id = OLD.id;
        RETURN NULL;
    END $$
    """,
    *(
        statement
        for table, owner in (("listings", "listing"), ("actors", "actor"))
        for statement in (
            f"CREATE TRIGGER {table}_embed_new AFTER INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION embedding_queue_add('{owner}')",
            f"CREATE TRIGGER {table}_embed_changed AFTER UPDATE OF description ON {table} FOR EACH ROW"
            f" WHEN (NEW.description IS DISTINCT FROM OLD.description) EXECUTE FUNCTION embedding_queue_add('{owner}')",
            f"CREATE TRIGGER {table}_embed_gone AFTER DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION embedding_forget('{owner}')",
        )
    ),
)


@migration(10, "Who each outbox message is about (erased with them), and when scheduled jobs last ran")
def _v10(conn: Any) -> None:
    run_script(
        conn,
        """
        CREATE TABLE outbox_mentions (
            outbox_id INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
            actor_id INTEGER NOT NULL,         -- no foreign key: read when the actor is deleted
            PRIMARY KEY (outbox_id, actor_id)
        ) WITHOUT ROWID;
        CREATE INDEX outbox_mentions_actor ON outbox_mentions (actor_id);

        CREATE TABLE job_runs (
            job TEXT PRIMARY KEY,
            slot TEXT NOT NULL,                -- the scheduled slot the last run was for
            ran_at TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    )


@migration(11, 'Suggestions put aside with "Plus tard" are proposed again once, at the next digest')
def _v11(conn: Any) -> None:
    conn.execute("ALTER TABLE suggestions ADD COLUMN reproposed_at TEXT")


@migration(12, "Outcomes of introductions and groups (what was launched, a story to share), the 3-month re-ask, recommendations by actors")
def _v12(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE outcomes (
            id INTEGER PRIMARY KEY,
            subject TEXT NOT NULL CHECK (subject IN ('introduction', 'group')),
            subject_id INTEGER NOT NULL,       -- introductions.id or working_groups.id
            actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
            status TEXT NOT NULL CHECK (status IN ('launched', 'discussing', 'none')),
            kinds TEXT NOT NULL DEFAULT '[]',  -- JSON list: volunteers, skills, premises, equipment, project, funding
            story TEXT,                        -- one line, shown only when story_shared = 1
            story_shared INTEGER NOT NULL DEFAULT 0,
            answered_at TEXT NOT NULL,
            UNIQUE (subject, subject_id, actor_id)
        );
        CREATE INDEX outcomes_actor ON outcomes (actor_id);
        ALTER TABLE introductions ADD COLUMN recheck_due TEXT;     -- "en discussion": asked again at 3 months
        ALTER TABLE introductions ADD COLUMN recheck_sent_at TEXT;
        CREATE INDEX introductions_recheck ON introductions (recheck_due) WHERE recheck_sent_at IS NULL;
        ALTER TABLE suggestions ADD COLUMN recommended_by INTEGER REFERENCES actors (id) ON DELETE SET NULL;
        CREATE INDEX suggestions_recommended ON suggestions (recommended_by, created_at) WHERE recommended_by IS NOT NULL;
        INSERT INTO outcomes (subject, subject_id, actor_id, status, answered_at)
            SELECT 'introduction', id, requester_id, requester_outcome, COALESCE(answered_at, created_at)
            FROM introductions WHERE requester_outcome IS NOT NULL;
        INSERT INTO outcomes (subject, subject_id, actor_id, status, answered_at)
            SELECT 'introduction', id, invitee_id, invitee_outcome, COALESCE(answered_at, created_at)
            FROM introductions WHERE invitee_outcome IS NOT NULL;
        """,
    )


@migration(13, "Working groups and their members (opt-in each), company programmes and the introductions they sent")
def _v13(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE working_groups (
            id INTEGER PRIMARY KEY,
            coordinator_id INTEGER REFERENCES coordinators (id) ON DELETE SET NULL,
            area_kind TEXT NOT NULL,
            area_code TEXT NOT NULL,
            name TEXT NOT NULL,
            theme TEXT,
            source TEXT NOT NULL,              -- 'call' (answers to a broadcast), 'selection', 'cluster'
            broadcast_id INTEGER REFERENCES broadcasts (id) ON DELETE SET NULL,
            status TEXT NOT NULL DEFAULT 'inviting' CHECK (status IN ('inviting', 'formed', 'closed')),
            invite_link TEXT,                  -- a Telegram group link given by the coordinator
            room_id TEXT,                      -- the Matrix room the bot created
            requester_platform TEXT NOT NULL,
            requester_chat TEXT NOT NULL,
            created_at TEXT NOT NULL,
            formed_at TEXT,
            followup_due TEXT,                 -- 3 weeks after forming
            followup_sent_at TEXT,
            recheck_due TEXT,                  -- 3 months after forming
            recheck_sent_at TEXT
        );
        CREATE TABLE group_members (
            group_id INTEGER NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
            actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
            status TEXT NOT NULL DEFAULT 'asked' CHECK (status IN ('asked', 'accepted', 'declined')),
            answered_at TEXT,
            place_sent_at TEXT,                -- the link or the other members' contacts were sent
            room_invited_at TEXT,              -- invited to the group's Matrix room
            PRIMARY KEY (group_id, actor_id)
        );
        CREATE INDEX group_members_actor ON group_members (actor_id, status);
        CREATE INDEX group_members_room_due ON group_members (group_id) WHERE status = 'accepted' AND room_invited_at IS NULL;
        CREATE INDEX working_groups_followup ON working_groups (followup_due) WHERE followup_sent_at IS NULL;
        CREATE INDEX working_groups_recheck ON working_groups (recheck_due) WHERE recheck_sent_at IS NULL;
        CREATE TABLE programmes (
            id INTEGER PRIMARY KEY,
            company_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
            theme TEXT NOT NULL,
            employees INTEGER NOT NULL,
            period TEXT NOT NULL,
            skills TEXT NOT NULL DEFAULT '[]', -- JSON list of skill values
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'sent', 'no_match')),
            created_at TEXT NOT NULL,
            sent_at TEXT
        );
        CREATE TABLE programme_introductions (
            programme_id INTEGER NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
            listing_id INTEGER REFERENCES listings (id) ON DELETE SET NULL,
            association_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
            suggestion_id INTEGER REFERENCES suggestions (id) ON DELETE SET NULL,
            employees INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (programme_id, association_id)
        );
        CREATE INDEX programmes_company ON programmes (company_id, status);
        """,
    )


@migration(14, "Coordinators' organisation names; scheduled calls (editable, cancellable); one reminder per call")
def _v14(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        ALTER TABLE coordinators ADD COLUMN organisation TEXT;
        ALTER TABLE broadcasts ADD COLUMN reminded_at TEXT;
        CREATE TABLE scheduled_calls (
            id INTEGER PRIMARY KEY,
            coordinator_id INTEGER NOT NULL REFERENCES coordinators (id) ON DELETE CASCADE,
            area_kind TEXT NOT NULL,
            area_code TEXT NOT NULL,
            area_label TEXT NOT NULL,
            actor_kinds TEXT NOT NULL DEFAULT '[]',   -- JSON; empty = every type
            themes TEXT NOT NULL DEFAULT '[]',        -- JSON; empty = every theme
            message TEXT NOT NULL,
            answer_mode TEXT NOT NULL,
            requester_platform TEXT NOT NULL,
            requester_chat TEXT NOT NULL,
            send_at TEXT NOT NULL,                    -- ISO UTC
            status TEXT NOT NULL DEFAULT 'scheduled', -- scheduled, sent, cancelled
            broadcast_id INTEGER REFERENCES broadcasts (id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX scheduled_calls_due ON scheduled_calls (status, send_at);
        CREATE INDEX scheduled_calls_coordinator ON scheduled_calls (coordinator_id);
        """,
    )


@migration(15, "Coordinators' weekly to-do (opt-out, one per week), relaunches of silent actors, events and their sign-ups")
def _v15(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        ALTER TABLE coordinators ADD COLUMN weekly_todo INTEGER NOT NULL DEFAULT 1;
        CREATE TABLE todo_runs (
            platform TEXT NOT NULL,
            user_id TEXT NOT NULL,
            slot TEXT NOT NULL,                -- the week (ISO date of its Monday)
            sent_at TEXT NOT NULL,
            PRIMARY KEY (platform, user_id, slot)
        );
        CREATE TABLE relaunches (
            id INTEGER PRIMARY KEY,
            actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
            coordinator_id INTEGER REFERENCES coordinators (id) ON DELETE SET NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX relaunches_actor ON relaunches (actor_id, at);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            coordinator_id INTEGER REFERENCES coordinators (id) ON DELETE SET NULL,
            title TEXT NOT NULL,
            starts_at TEXT NOT NULL,           -- ISO UTC
            place TEXT NOT NULL,
            capacity INTEGER NOT NULL,
            area_kind TEXT NOT NULL,
            area_code TEXT NOT NULL,
            area_label TEXT NOT NULL,
            actor_kinds TEXT NOT NULL DEFAULT '[]',
            themes TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL DEFAULT 'open', -- open, cancelled
            requester_platform TEXT NOT NULL,
            requester_chat TEXT NOT NULL,
            reminded_at TEXT,
            followed_up_at TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX events_start ON events (status, starts_at);
        CREATE TABLE event_people (
            event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
            actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
            status TEXT NOT NULL,              -- invited, registered, waiting, left, declined (« Pas intéressé·e »)
            updated_at TEXT NOT NULL,
            PRIMARY KEY (event_id, actor_id)
        );
        CREATE INDEX event_people_actor ON event_people (actor_id);
        """,
    )


@migration(16, "Index the audit log by date (its two-year retention deletes on it)")
def _v16(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE INDEX audit_log_at ON audit_log (at)")


@migration(
    25,
    "PostgreSQL: real types: flags BOOLEAN, moments TIMESTAMPTZ, calendar days DATE, JSON documents JSONB (rows kept; nothing on SQLite)",
)
def _v25(conn: Any) -> None:
    """Convert the columns of ``storage.ddl.type_conversions`` in place (``ALTER COLUMN … TYPE … USING``).

    The partial index ``outbox_held`` compares ``not_before`` with a text literal: it is dropped
    and created again over the converted column. On SQLite nothing changes (0/1 and ISO text).
    """
    if not is_postgres(conn):
        return
    conn.raw_execute("SET LOCAL TimeZone = 'UTC'")
    columns = conn.raw_execute(
        """
        SELECT table_name, column_name, data_type, column_default FROM information_schema.columns
        WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
        """
    ).fetchall()
    held = conn.raw_execute("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'outbox_held'").fetchone()
    if held is not None:
        conn.raw_execute("DROP INDEX outbox_held")
    for statement in type_conversions([(str(t), str(c), str(d), None if x is None else str(x)) for t, c, d, x in columns]):
        conn.raw_execute(statement)
    if held is not None:
        conn.raw_execute(
            "CREATE INDEX outbox_held ON outbox (platform, lease_until)"
            " WHERE status = 'pending' AND not_before = '9999-12-31T23:59:59+00:00'"
        )


@migration(26, "Send rates shared by the workers (Telegram's limits hold across them)")
def _v26(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE send_pacing (
            key TEXT PRIMARY KEY,   -- telegram (overall), telegram:chat:<id> (one chat)
            tat REAL NOT NULL       -- the next free slot, seconds since the epoch (storage.pacing)
        );
        """,
    )


@migration(27, "Incoming updates recorded before they are confirmed to the platform (a flood no longer holds the queue)")
def _v27(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE IF NOT EXISTS inbox (
            platform TEXT NOT NULL,
            update_id INTEGER NOT NULL,   -- the platform's id (Telegram: update_id)
            body TEXT NOT NULL,           -- the update as the platform sent it (JSON)
            received_at TEXT NOT NULL,
            PRIMARY KEY (platform, update_id)
        );
        """,
    )


@migration(28, "One number per call a coordinator sees: scheduled and sent calls counted together, per person")
def _v28(conn: sqlite3.Connection) -> None:
    """``call_number`` on scheduled calls and broadcasts, given to existing calls in creation order.

    The counter is a person's (platform and user id): every appointment they hold shares it, as
    ``/appels`` and ``/reponses`` list their calls together. A scheduled call that went out and its
    broadcast are one call with one number.
    """
    run_script(
        conn,
        """
        ALTER TABLE scheduled_calls ADD COLUMN call_number INTEGER;
        ALTER TABLE broadcasts ADD COLUMN call_number INTEGER;
        CREATE INDEX broadcasts_coordinator ON broadcasts (coordinator_id, call_number);  -- the next number, a person's calls
        """,
    )
    people = {int(row[0]): (str(row[1]), str(row[2])) for row in conn.execute("SELECT id, platform, user_id FROM coordinators")}

    def owner(coordinator_id: Any) -> object:
        """The person whose counter numbers a call (a removed appointment: a counter of its own)."""
        return None if coordinator_id is None else people.get(int(coordinator_id), int(coordinator_id))

    # (owner, created at, scheduled before sent at the same moment, table, id, broadcast it became)
    calls: list[tuple[object, str, int, str, int, int | None]] = [
        (owner(row[1]), str(row[2]), 0, "scheduled_calls", int(row[0]), None if row[3] is None else int(row[3]))
        for row in conn.execute("SELECT id, coordinator_id, created_at, broadcast_id FROM scheduled_calls ORDER BY id")
    ]
    from_schedule = {call[5] for call in calls if call[5] is not None}  # numbered with the scheduled call
    calls += [
        (owner(row[1]), str(row[2]), 1, "broadcasts", int(row[0]), None)
        for row in conn.execute("SELECT id, coordinator_id, created_at FROM broadcasts ORDER BY id")
        if int(row[0]) not in from_schedule
    ]
    counters: dict[object, int] = {}
    for who, _created, _order, table, call_id, broadcast_id in sorted(calls, key=lambda call: (call[1], call[2], call[4])):
        number = counters[who] = counters.get(who, 0) + 1
        conn.execute(f"UPDATE {table} SET call_number = ? WHERE id = ?", (number, call_id))
        if broadcast_id is not None:
            conn.execute("UPDATE broadcasts SET call_number = ? WHERE id = ?", (number, broadcast_id))


@migration(24, "Outbox messages claimed by one worker for a lease (several workers share one database)")
def _v24(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        ALTER TABLE outbox ADD COLUMN claimed_by TEXT;     -- the worker sending it, until lease_until
        ALTER TABLE outbox ADD COLUMN lease_until TEXT;    -- ISO-8601 UTC; past it, another worker takes it over
        CREATE INDEX outbox_held ON outbox (platform, lease_until)
            WHERE status = 'pending' AND not_before = '9999-12-31T23:59:59+00:00';  -- storage.outbox.HELD
        """,
    )


@migration(39, "Contacts: the platform account is no longer shared by people who gave only an e-mail or a phone")
def _v39(conn: Any) -> None:
    """Until now every profile stored the account it was written from, even when the person typed
    only an e-mail or a phone at the contact question. What they chose can be told from the row:
    choosing the account always cleared the e-mail and phone (in the one-step question and in the
    older three-step one), so an e-mail or phone stored beside the account means the account was
    added unasked. Demo actors keep their synthetic contacts."""
    conn.execute(
        """
        UPDATE actors SET contact_handle = NULL
        WHERE contact_handle IS NOT NULL AND (contact_email IS NOT NULL OR contact_phone IS NOT NULL) AND is_demo = FALSE
        """
    )


@migration(40, "Fewer outbox indexes for a step's held replies: no outbox_due, edits and due messages indexed apart")
def _v40(conn: Any) -> None:
    """A step writes one outbox row per reply, held while the runtime sends it, and deletes it once
    sent: each index it enters costs that INSERT and that DELETE. ``outbox_due`` is not used by any
    statement any more (the partial indexes of migration 8 serve them); ``outbox_edit_of`` now holds
    only the status edits (``edit_of = ?`` and the foreign key's cascade still find them);
    ``outbox_pending`` (the worker's order) only what may become due: not the held replies, which
    ``outbox_held`` and ``outbox_pending_chat`` keep (their literal is :data:`storage.outbox.HELD`)."""
    run_script(
        conn,
        """
        DROP INDEX outbox_due;
        DROP INDEX outbox_edit_of;
        CREATE INDEX outbox_edit_of ON outbox (edit_of, status) WHERE edit_of IS NOT NULL;
        DROP INDEX outbox_pending;
        CREATE INDEX outbox_pending ON outbox (platform, (edit_of IS NULL), id)
            WHERE status = 'pending' AND not_before != '9999-12-31T23:59:59+00:00';
        """,
    )


@migration(60, "Index the send schedules by their next free slot (the daily retention deletes on it)")
def _v60(conn: Any) -> None:
    conn.execute("CREATE INDEX send_pacing_tat ON send_pacing (tat)")


@migration(70, "Events keep their end (« de 10h à 17h »): the .ics file and the invitations show it")
def _v70(conn: Any) -> None:
    run_script(conn, "ALTER TABLE events ADD COLUMN ends_at TEXT;  -- ISO-8601 UTC; NULL: two hours after the start")


@migration(71, "Working groups: the coordinator gets the contacts of members who joined, when the invitation said so")
def _v71(conn: Any) -> None:
    """Groups created before keep their promise ("vos coordonnées ne sont partagées qu'avec eux"):
    the flag is set for new groups only, whose invitation names the coordinator."""
    run_script(conn, "ALTER TABLE working_groups ADD COLUMN coordinator_contacts INTEGER NOT NULL DEFAULT 0;")


@migration(92, "Working groups: when the coordinator was invited to the group's Matrix room")
def _v92(conn: Any) -> None:
    """The coordinator who runs a group is invited to its Matrix room like its members, once."""
    run_script(conn, "ALTER TABLE working_groups ADD COLUMN coordinator_invited_at TEXT;  -- ISO-8601 UTC; NULL: not (yet) invited")


@migration(96, "The flood gate's arrivals shared by every worker: a per-person schedule in send_pacing, with its refusals")
def _v96(conn: Any) -> None:
    """``<platform>:person:<user id>`` rows (:func:`storage.pacing.arrive`) count the arrivals refused
    since the last one admitted: the first refusal is answered "doucement…", the next ones dropped."""
    run_script(conn, "ALTER TABLE send_pacing ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;")


@migration(97, "Index every lookup of an erasure: outbox by actor and by chat, the foreign keys and requesters it follows")
def _v97(conn: Any) -> None:
    """``/supprimer`` scanned the outbox three times (by actor, by chat, and for the foreign key of
    ``DELETE FROM actors``) and a few tables by a column no index had (foreign keys followed by the
    deletes of an actor or a coordinator, the calls, groups and events they asked for). The outbox's
    ones are partial: held replies (a step's) never become sent nor belong to a call, so
    ``outbox_done_chat`` and ``outbox_broadcast`` cost a step nothing; ``outbox_actor`` holds rows
    with an actor only (a step's reply once the person has a profile: one entry, measured)."""
    run_script(
        conn,
        """
        CREATE INDEX outbox_actor ON outbox (actor_id) WHERE actor_id IS NOT NULL;
        CREATE INDEX outbox_done_chat ON outbox (platform, chat_id) WHERE status != 'pending';
        CREATE INDEX outbox_broadcast ON outbox (broadcast_id) WHERE broadcast_id IS NOT NULL;
        CREATE INDEX broadcast_answers_actor ON broadcast_answers (actor_id);
        CREATE INDEX programme_introductions_association ON programme_introductions (association_id);
        CREATE INDEX introductions_coordinator ON introductions (coordinator_id) WHERE coordinator_id IS NOT NULL;
        CREATE INDEX actors_invited_by ON actors (invited_by) WHERE invited_by IS NOT NULL;
        CREATE INDEX events_coordinator ON events (coordinator_id) WHERE coordinator_id IS NOT NULL;
        CREATE INDEX relaunches_coordinator ON relaunches (coordinator_id) WHERE coordinator_id IS NOT NULL;
        CREATE INDEX working_groups_coordinator ON working_groups (coordinator_id) WHERE coordinator_id IS NOT NULL;
        CREATE INDEX coordinators_created_by ON coordinators (created_by);
        CREATE INDEX broadcasts_requester ON broadcasts (requester_platform, requester_chat);
        CREATE INDEX scheduled_calls_requester ON scheduled_calls (requester_platform, requester_chat);
        CREATE INDEX working_groups_requester ON working_groups (requester_platform, requester_chat);
        CREATE INDEX events_requester ON events (requester_platform, requester_chat);
        """,
    )


_TO_OUTBOX = re.compile(r"\s+REFERENCES\s+\"?outbox\"?\s*\(\s*\"?id\"?\s*\)\s+ON\s+DELETE\s+(?:CASCADE|SET\s+NULL)", re.IGNORECASE)
"""A column's foreign key to an outbox row, as SQLite keeps it in the table's ``CREATE TABLE`` text."""


@migration(100, "No foreign key points at outbox rows (mentions, status edits, a call's status): storage.outbox.forget does their work")
def _v100(conn: Any) -> None:
    """Every step writes one outbox row per reply and deletes it once sent: the three foreign keys
    that point at outbox rows (``outbox_mentions.outbox_id``, ``outbox.edit_of``,
    ``broadcasts.status_outbox_id``) made that DELETE run three actions per row, about half of its
    cost, for rows nothing ever points at. :func:`storage.outbox.forget` now deletes the mentions
    and pending edits of the messages it deletes and clears the call's status, as they did.

    SQLite cannot drop a constraint: the constraint is taken out of each table's stored definition
    (the procedure its documentation gives for removing a foreign key: ``writable_schema``, then the
    schema version bumped so that every connection reads the schema again); rows, ids and indexes
    stay as they are. PostgreSQL drops the constraints.

    ``broadcasts_status_outbox`` now holds only the calls that have a status message (what
    :func:`storage.outbox.forget` looks for)."""
    run_script(
        conn,
        """
        DROP INDEX broadcasts_status_outbox;
        CREATE INDEX broadcasts_status_outbox ON broadcasts (status_outbox_id) WHERE status_outbox_id IS NOT NULL;
        """,
    )
    if is_postgres(conn):
        for table in ("outbox_mentions", "outbox", "broadcasts"):
            names = conn.raw_execute(
                "SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = to_regclass(?) AND confrelid = to_regclass('outbox')",
                (table,),
            ).fetchall()
            for (name,) in names:
                conn.raw_execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        return
    version = int(conn.execute("PRAGMA schema_version").fetchone()[0])
    conn.execute("PRAGMA writable_schema = ON")
    try:
        for table in ("outbox_mentions", "outbox", "broadcasts"):
            row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
            if row is None:
                continue
            conn.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (_TO_OUTBOX.sub("", str(row[0])), table))
        conn.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    left = [
        table
        for table in ("outbox_mentions", "outbox", "broadcasts")
        for key in conn.execute(f"PRAGMA foreign_key_list({table})")
        if key[2] == "outbox"
    ]
    if left:
        raise sqlite3.DatabaseError(f"foreign keys to outbox rows still in {left}")


@migration(101, "Suggestions a coordinator proposed name who proposed them: their erasure finds them by index, not by text")
def _v101(conn: Any) -> None:
    """``suggestions.proposed_by``: the coordinator (``platform:user_id``, as the audit log names
    them) who proposed the two actors to each other (/presenter, an event's attendees). Erasing
    that person finds the explanations signed by them (their organisation, the « pourquoi » they
    typed) on this index; until now a search of every explanation's text for what they wrote,
    which missed the « pourquoi » (typed long before, it is no longer in their session).

    The suggestions proposed before are linked from the audit log (``introduction.propose``
    names the suggestion and its author); those it no longer tells of stay unlinked, found
    among the coordinators' suggestions only (``suggestions_unlinked_coordinator``)."""
    run_script(
        conn,
        """
        ALTER TABLE suggestions ADD COLUMN proposed_by TEXT;  -- platform:user_id of the coordinator who proposed it
        CREATE INDEX suggestions_proposed_by ON suggestions (proposed_by) WHERE proposed_by IS NOT NULL;
        """,
    )
    links: list[tuple[str, int]] = []
    for who, details in conn.execute(
        "SELECT who, CAST(details AS TEXT) FROM audit_log WHERE action = 'introduction.propose' AND who != 'erased'"
    ).fetchall():
        try:
            suggestion = json.loads(details or "{}").get("suggestion")
        except ValueError:
            continue
        if isinstance(suggestion, int):
            links.append((str(who), suggestion))
    for who, suggestion in links:
        conn.execute("UPDATE suggestions SET proposed_by = ? WHERE id = ? AND kind = 'coordinator'", (who, suggestion))
    run_script(
        conn, "CREATE INDEX suggestions_unlinked_coordinator ON suggestions (id) WHERE kind = 'coordinator' AND proposed_by IS NULL;"
    )


@migration(102, "The audit log names the person an action is about (an appointment, a removal): an erasure finds its lines by index")
def _v102(conn: Any) -> None:
    """``audit_log.subject``: the ``platform:user_id`` of the person a line is about when it is
    not its author (``coordinator.add``, ``coordinator.remove``: written by whoever appointed or
    removed them). Erasing that person finds the lines by author (``who``) or subject, both indexed,
    rather than by a search of every line's text. The lines written before are linked from their
    details (``coordinator``)."""
    run_script(
        conn,
        """
        ALTER TABLE audit_log ADD COLUMN subject TEXT;  -- platform:user_id of the person the line is about, if not its author
        CREATE INDEX audit_log_who ON audit_log (who);
        CREATE INDEX audit_log_subject ON audit_log (subject) WHERE subject IS NOT NULL;
        """,
    )
    links: list[tuple[str, int]] = []
    for audit_id, details in conn.execute(
        "SELECT id, CAST(details AS TEXT) FROM audit_log WHERE action IN ('coordinator.add', 'coordinator.remove')"
    ).fetchall():
        try:
            subject = json.loads(details or "{}").get("coordinator")
        except ValueError:
            continue
        if isinstance(subject, str) and subject:
            links.append((subject, int(audit_id)))
    for subject, audit_id in links:
        conn.execute("UPDATE audit_log SET subject = ? WHERE id = ?", (subject, audit_id))


@migration(103, "Event registrations keep how many people come (« on sera là avec 3 bénévoles »): 1 when not said")
def _v103(conn: Any) -> None:
    run_script(conn, "ALTER TABLE event_people ADD COLUMN people INTEGER NOT NULL DEFAULT 1;  -- people coming with the sign-up")


@migration(111, "A step's direct replies kept in its session row (sessions.held) until sent, instead of an outbox row each")
def _v111(conn: Any) -> None:
    """Every step wrote one outbox row per direct reply (an INSERT through the outbox's indexes)
    and deleted it once sent. On SQLite the runtime now keeps them in the session row the step
    writes anyway (``held``: the chat, the actor and the replies' payloads, JSON), cleared once
    sent; a process stopped before that hands them to the outbox at its next start
    (:func:`storage.outbox.release_session_replies`). PostgreSQL keeps the outbox rows (several
    workers: the held rows are what keeps another worker off the chat); the column stays NULL there."""
    run_script(conn, "ALTER TABLE sessions ADD COLUMN held TEXT;  -- JSON: a step's replies not known to be sent yet (SQLite)")


@migration(112, "A pause may have an end (« /pause jusqu'au 15 janvier »): suggestions start again by themselves after it")
def _v112(conn: Any) -> None:
    """``actors.paused_until``: when a pause given an end ends (NULL: until /reprendre); the pauses that
    reached it are ended by :func:`storage.actors.end_pauses`, found by the partial index."""
    run_script(
        conn,
        """
        ALTER TABLE actors ADD COLUMN paused_until TEXT;  -- ISO-8601 UTC; NULL: paused until /reprendre (or not paused)
        CREATE INDEX actors_paused_until ON actors (paused_until) WHERE paused_until IS NOT NULL;
        """,
    )


@migration(113, "One pause: the settings' frequency « En pause » is the pause (actors.paused), the frequency kept for after it")
def _v113(conn: Any) -> None:
    """A pause chosen in /reglages was stored as the frequency ``'paused'``, a second notion beside ``actors.paused``
    (/pause) that calls, invitations and groups did not read, and /reprendre did not end. Those actors are paused
    (the one field); their frequency, unknown from before the pause, becomes the default one (weekly)."""
    run_script(conn, "UPDATE actors SET paused = TRUE, frequency = 'weekly' WHERE frequency = 'paused';")

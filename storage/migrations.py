"""Numbered schema migrations, applied in order at start (``PRAGMA user_version``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[int, str, Migration]] = []


def migration(version: int, description: str) -> Callable[[Migration], Migration]:
    """Register ``fn`` as the migration to schema ``version``."""

    def register(fn: Migration) -> Migration:
        MIGRATIONS.append((version, description, fn))
        MIGRATIONS.sort(key=lambda item: item[0])
        return fn

    return register


@migration(1, "Initial schema: actors, identities, sessions, listings, processed events, outbox")
def _v1(conn: sqlite3.Connection) -> None:
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
        """
    )


def run_script(conn: sqlite3.Connection, script: str) -> None:
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


def current_version(conn: sqlite3.Connection) -> int:
    """The schema version stored in the database."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Apply the pending migrations, each in its own transaction; return the versions applied."""
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


@migration(2, "Suggestions, digests, double opt-in introductions, follow-ups, listing renewals")
def _v2(conn: sqlite3.Connection) -> None:
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
def _v3(conn: sqlite3.Connection) -> None:
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
def _v4(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE INDEX broadcast_recipients_outbox ON broadcast_recipients (outbox_id)")


@migration(5, "Messages that edit an earlier one (a broadcast's status), and the platform's message ids")
def _v5(conn: sqlite3.Connection) -> None:
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
def _v6(conn: sqlite3.Connection) -> None:
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
def _v8(conn: sqlite3.Connection) -> None:
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
def _v7(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
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
        ALTER TABLE actors ADD COLUMN early_alerts INTEGER NOT NULL DEFAULT 1;  -- a strong new offer before the digest
        ALTER TABLE actors ADD COLUMN last_early_alert TEXT;
        CREATE TABLE matching_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO embedding_queue (owner, owner_id) SELECT 'listing', id FROM listings WHERE status = 'open';
        INSERT INTO embedding_queue (owner, owner_id) SELECT 'actor', id FROM actors;
        """,
    )


@migration(10, "Who each outbox message is about (erased with them), and when scheduled jobs last ran")
def _v10(conn: sqlite3.Connection) -> None:
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


@migration(11, "Suggestions put aside with \"Plus tard\" are proposed again once, at the next digest")
def _v11(conn: sqlite3.Connection) -> None:
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

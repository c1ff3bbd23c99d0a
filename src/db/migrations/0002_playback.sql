-- Listening history: one row per play, written by the player and by importers of past history.
-- end_reason: 'completed' | 'skipped' | 'stopped' | 'error'; NULL while playing, or if the app died.
CREATE TABLE plays (
    id           INTEGER PRIMARY KEY,
    track_id     INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    started_at   INTEGER NOT NULL,          -- Unix seconds
    ended_at     INTEGER,
    position_ms  INTEGER NOT NULL DEFAULT 0, -- how far into the track it got
    heard_ms     INTEGER NOT NULL DEFAULT 0, -- audio actually played: pauses and seeked-over parts excluded
    duration_ms  INTEGER,
    end_reason   TEXT,
    context      TEXT NOT NULL,             -- where it was started: library, album, search, queue, discover, cli
    source       TEXT NOT NULL DEFAULT 'local', -- 'local' for the player; importers name themselves
    error        TEXT
);
CREATE INDEX plays_track ON plays(track_id, started_at);
CREATE INDEX plays_started ON plays(started_at);

-- The player's queue and position, restored on the next start. A single row.
CREATE TABLE player_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    queue        TEXT NOT NULL,             -- JSON of playback::Queue
    position_ms  INTEGER NOT NULL,
    volume       REAL NOT NULL,
    updated_at   INTEGER NOT NULL
);

-- Discover Daily (issue 7).
-- The listener's explicit feedback: one current verdict per track. 'hide' ("not for me") keeps a track
-- out of Discover Daily and counts against its neighbours; unhiding deletes the row.
CREATE TABLE feedback (
    track_id  INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('like', 'hide')),
    at        INTEGER NOT NULL              -- Unix seconds
);

-- One Discover Daily per local day, kept after the day (past days stay browsable).
CREATE TABLE discover_lists (
    day           TEXT PRIMARY KEY,         -- local date, YYYY-MM-DD
    generated_at  INTEGER NOT NULL,
    as_of         INTEGER NOT NULL,         -- history up to this Unix time was used
    mode          TEXT NOT NULL,            -- 'learned' | 'cold start'
    blend         TEXT NOT NULL,            -- JSON of the blend's weights and what it was trained on
    candidates    INTEGER NOT NULL
);

-- The tracks of a day's list (position set), and other candidates of that day logged with their
-- model scores (position NULL), so tomorrow's blend learns from what was, and was not, played.
CREATE TABLE discover_items (
    day          TEXT NOT NULL REFERENCES discover_lists(day) ON DELETE CASCADE,
    track_id     INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    position     INTEGER,
    score        REAL NOT NULL,
    cf           REAL NOT NULL,
    session      REAL NOT NULL,
    artist       REAL NOT NULL,
    audio        REAL NOT NULL,
    text         REAL NOT NULL,
    popular      REAL NOT NULL,
    novelty      REAL NOT NULL,
    reason_kind  TEXT,                      -- played | sounds | scene | wildcard | popular | start
    reason       TEXT,
    reason_track INTEGER,                   -- the listener's track the reason names, if any
    PRIMARY KEY (day, track_id)
) WITHOUT ROWID;
CREATE INDEX discover_items_shown ON discover_items(day, position);

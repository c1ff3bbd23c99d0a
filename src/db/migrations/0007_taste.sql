-- Taste data brought in by importers (issue 6).
-- Songs and artists named by imported history, playlists and shared datasets, inside the library or
-- not. `key` is the match key ('t:' artist key, U+001F, title key for songs; 'a:' artist key for
-- artists), so the same song from two sources is one item. `track_id` is the matched library track.
CREATE TABLE ext_items (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('track', 'artist')),
    key       TEXT NOT NULL UNIQUE,
    artist    TEXT NOT NULL,
    title     TEXT,
    mbid      TEXT,
    track_id  INTEGER REFERENCES tracks(id) ON DELETE SET NULL
);
CREATE INDEX ext_items_track ON ext_items(track_id);

-- One row per imported file content: importing the same content again changes nothing.
CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,            -- 'history' | 'shared'
    format        TEXT NOT NULL,
    path          TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    imported_at   INTEGER NOT NULL,
    report        TEXT NOT NULL,            -- JSON of the import report
    UNIQUE (kind, format, content_hash)
);

-- The listener's imported plays, matched to the library or not (a later scan can match them).
CREATE TABLE history_events (
    source     TEXT NOT NULL,               -- spotify | listenbrainz | lastfm
    item_id    INTEGER NOT NULL REFERENCES ext_items(id),
    played_at  INTEGER NOT NULL,            -- Unix seconds
    ms_played  INTEGER,
    skipped    INTEGER,                     -- 1/0 when the source says, else NULL
    PRIMARY KEY (source, item_id, played_at)
) WITHOUT ROWID;
-- An imported play is stored once per source, track and time, however often it is imported.
CREATE UNIQUE INDEX plays_imported ON plays(source, track_id, started_at) WHERE source <> 'local';

-- The listener's own playlists (M3U, XSPF): every entry is a sign of taste.
CREATE TABLE playlist_entries (
    playlist   TEXT NOT NULL,               -- the playlist file's path
    position   INTEGER NOT NULL,
    item_id    INTEGER NOT NULL REFERENCES ext_items(id),
    PRIMARY KEY (playlist, position)
) WITHOUT ROWID;

-- Shared co-listening data: other listeners (or playlists) and how much they play each item.
CREATE TABLE shared_users (
    id      INTEGER PRIMARY KEY,
    source  TEXT NOT NULL,
    name    TEXT NOT NULL,
    UNIQUE (source, name)
);
CREATE TABLE shared_interactions (
    user_id  INTEGER NOT NULL REFERENCES shared_users(id) ON DELETE CASCADE,
    item_id  INTEGER NOT NULL REFERENCES ext_items(id),
    weight   REAL NOT NULL,
    PRIMARY KEY (user_id, item_id)
) WITHOUT ROWID;

-- Words people attach to items (Last.fm user tags and similar), summed over taggers.
CREATE TABLE item_tags (
    item_id  INTEGER NOT NULL REFERENCES ext_items(id),
    tag      TEXT NOT NULL,
    weight   REAL NOT NULL,
    PRIMARY KEY (item_id, tag)
) WITHOUT ROWID;

-- Item factors trained elsewhere (e.g. the Spark job) and imported: little-endian f32 vectors.
CREATE TABLE item_factors (
    item_id  INTEGER PRIMARY KEY REFERENCES ext_items(id),
    model    TEXT NOT NULL,                 -- model name + version from the factor file's header
    vector   BLOB NOT NULL
);
CREATE TABLE factor_models (
    model           TEXT PRIMARY KEY,
    rank            INTEGER NOT NULL,
    regularization  REAL NOT NULL,
    alpha           REAL NOT NULL,
    meta            TEXT NOT NULL,          -- the header line as imported
    imported_at     INTEGER NOT NULL
);

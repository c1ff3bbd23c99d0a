-- The listener's own places (issue 17).
-- Playlists made in the app or imported from a file (`source`: that file, so importing it again
-- updates the same playlist).
CREATE TABLE playlists (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    source      TEXT UNIQUE,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- Entries follow the track id, so they survive rescans and moves. An imported entry that names no
-- library track keeps what it names: the item (whose track is set when the song arrives), the file
-- location (matched when a file of that path is scanned), and the names to show meanwhile.
CREATE TABLE playlist_tracks (
    playlist_id  INTEGER NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    track_id     INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
    item_id      INTEGER REFERENCES ext_items(id),
    location     TEXT,
    artist       TEXT NOT NULL,
    title        TEXT NOT NULL,
    PRIMARY KEY (playlist_id, position)
) WITHOUT ROWID;
CREATE INDEX playlist_tracks_track ON playlist_tracks(track_id);

-- What the listener keeps out of generated lists (Discover Daily, For you, mixes): an artist (by
-- match key), a genre (folded) or a folder (path).
CREATE TABLE exclusions (
    id     INTEGER PRIMARY KEY,
    kind   TEXT NOT NULL CHECK (kind IN ('artist', 'genre', 'folder')),
    value  TEXT NOT NULL,
    label  TEXT NOT NULL,                 -- as the listener named it
    at     INTEGER NOT NULL,
    UNIQUE (kind, value)
);

-- Library: the folders a listener added, the tracks found in them, files that could not be read,
-- and the cover thumbnails shared between tracks.
CREATE TABLE folders (
    id        INTEGER PRIMARY KEY,
    path      TEXT NOT NULL UNIQUE,
    added_at  INTEGER NOT NULL
);

CREATE TABLE covers (
    id        INTEGER PRIMARY KEY,
    hash      TEXT NOT NULL UNIQUE,   -- xxh3-128 of the original image bytes
    width     INTEGER NOT NULL,
    height    INTEGER NOT NULL,
    file      TEXT NOT NULL           -- thumbnail file name inside <data>/covers/
);

CREATE TABLE tracks (
    id              INTEGER PRIMARY KEY,
    path            TEXT NOT NULL UNIQUE,
    folder_id       INTEGER REFERENCES folders(id) ON DELETE SET NULL,
    size            INTEGER NOT NULL,
    mtime_ns        INTEGER NOT NULL,
    fingerprint     TEXT NOT NULL,       -- content fingerprint used to follow moved files
    missing         INTEGER NOT NULL DEFAULT 0,
    title           TEXT NOT NULL,
    artist          TEXT NOT NULL,
    album           TEXT NOT NULL,
    album_artist    TEXT,
    track_no        INTEGER,
    track_total     INTEGER,
    disc_no         INTEGER,
    disc_total      INTEGER,
    year            INTEGER,
    genre           TEXT,
    composer        TEXT,
    comment         TEXT,
    duration_ms     INTEGER,
    codec           TEXT NOT NULL,
    sample_rate     INTEGER,
    channels        INTEGER,
    bitrate_kbps    INTEGER,
    mb_recording_id TEXT,
    mb_track_id     TEXT,
    mb_album_id     TEXT,
    mb_artist_id    TEXT,
    rg_track_gain   REAL,
    rg_track_peak   REAL,
    rg_album_gain   REAL,
    rg_album_peak   REAL,
    cover_id        INTEGER REFERENCES covers(id) ON DELETE SET NULL,
    search_text     TEXT NOT NULL,       -- folded title/artist/album for search-as-you-type
    added_at        INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX tracks_fingerprint ON tracks(fingerprint);
CREATE INDEX tracks_artist ON tracks(artist COLLATE NOCASE, album COLLATE NOCASE, disc_no, track_no);
CREATE INDEX tracks_album ON tracks(album COLLATE NOCASE, disc_no, track_no);
CREATE INDEX tracks_title ON tracks(title COLLATE NOCASE);

-- Files the last scan could not import, with the reason shown to the listener.
CREATE TABLE scan_failures (
    path      TEXT PRIMARY KEY,
    size      INTEGER NOT NULL,
    mtime_ns  INTEGER NOT NULL,
    error     TEXT NOT NULL,
    not_audio INTEGER NOT NULL DEFAULT 0, -- content is not audio at all: remembered so rescans skip it
    seen_at   INTEGER NOT NULL
);

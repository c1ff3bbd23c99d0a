-- Text about each track (issue 19): its lyrics, as the scan reads them from the file's tags or an
-- .lrc file beside it, and the sentence embedding of its text. The meaning of `source`, `timed` and
-- the vector's bytes belongs to the `library` and `text` modules, not to storage.
CREATE TABLE track_lyrics (
    track_id    INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
    source      TEXT NOT NULL,
    text        TEXT NOT NULL,
    timed       TEXT
);

CREATE TABLE text_embeddings (
    track_id    INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
    model       TEXT NOT NULL,
    text_hash   INTEGER NOT NULL,
    vector      BLOB NOT NULL,
    embedded_at INTEGER NOT NULL
);

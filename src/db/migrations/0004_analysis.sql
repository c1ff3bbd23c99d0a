-- Audio features per track. `version` names the analysis and model that made the row (e.g.
-- 'dsp1+musicnn_msd-989869d51042'), so an upgrade, or a model that became available, redoes only the
-- stale rows. tags/embedding are little-endian f32 arrays; NULL when the CNN was not available.
CREATE TABLE track_analysis (
    track_id          INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
    version           TEXT NOT NULL,
    analyzed_at       INTEGER NOT NULL,
    loudness_lufs     REAL,
    loudness_range_lu REAL,
    tempo_bpm         REAL,
    tempo_confidence  REAL,
    key               TEXT,                -- e.g. 'G major'
    key_confidence    REAL,
    tags              BLOB,
    embedding         BLOB,
    error             TEXT
);

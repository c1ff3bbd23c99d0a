-- Daily Mixes and Rediscover (issue 18): made once a local day and kept, so a day's mixes are stable
-- however often they are opened. `slot` orders a day's mixes; `kind` is "daily" or "rediscover".
CREATE TABLE mixes (
    day       TEXT NOT NULL,
    slot      INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    title     TEXT NOT NULL,
    subtitle  TEXT NOT NULL,
    made_at   INTEGER NOT NULL,
    PRIMARY KEY (day, slot)
) WITHOUT ROWID;

-- Entries name the track by id: a track that left the library is dropped when the mix is read.
CREATE TABLE mix_tracks (
    day           TEXT NOT NULL,
    slot          INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    track_id      INTEGER NOT NULL,
    reason_kind   TEXT NOT NULL,
    reason        TEXT NOT NULL,
    reason_track  INTEGER,
    PRIMARY KEY (day, slot, position),
    FOREIGN KEY (day, slot) REFERENCES mixes(day, slot) ON DELETE CASCADE
) WITHOUT ROWID;

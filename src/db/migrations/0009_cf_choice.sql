-- The co-listening model chosen by tuning on the shared data (issue 15): at most one row. `recipe`
-- and `report` are JSON written and read by the CF layer; storage only keeps them. `shared_version`
-- names the shared data the choice was made on, so a later import makes it stale.
CREATE TABLE cf_choice (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    shared_version  TEXT NOT NULL,
    recipe          TEXT NOT NULL,
    report          TEXT NOT NULL,
    tuned_at        INTEGER NOT NULL
);

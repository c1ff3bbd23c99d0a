-- The listener's settings (issue 21): one row per changed setting, the value as JSON. A setting with
-- no row has its default; the meaning of each key belongs to the `settings` module, not to storage.
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);

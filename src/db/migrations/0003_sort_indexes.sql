-- One index per sort order of the library view, limited to present tracks, so a page deep in a
-- 100k-track list is found by walking an index rather than reading and sorting the table.
DROP INDEX tracks_artist;
DROP INDEX tracks_album;
DROP INDEX tracks_title;
CREATE INDEX tracks_by_artist ON tracks(artist COLLATE NOCASE, album COLLATE NOCASE, disc_no, track_no) WHERE missing = 0;
CREATE INDEX tracks_by_album ON tracks(album COLLATE NOCASE, disc_no, track_no) WHERE missing = 0;
CREATE INDEX tracks_by_title ON tracks(title COLLATE NOCASE) WHERE missing = 0;
CREATE INDEX tracks_by_year ON tracks(year, artist COLLATE NOCASE, album COLLATE NOCASE, disc_no, track_no) WHERE missing = 0;
CREATE INDEX tracks_by_duration ON tracks(duration_ms) WHERE missing = 0;
CREATE INDEX tracks_by_added ON tracks(added_at) WHERE missing = 0;

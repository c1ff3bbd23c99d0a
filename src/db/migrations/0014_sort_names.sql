-- Sort names (issue 19): the library view sorts artists, albums and titles by these, where a leading
-- English article ("The", "A", "An") is set aside, so The Beatles sort under B. Hangul sorts in
-- 가나다 order by code point. Frozen copy of the rule in `library::sort_name`.
ALTER TABLE tracks ADD COLUMN artist_sort TEXT NOT NULL DEFAULT '';
ALTER TABLE tracks ADD COLUMN album_sort TEXT NOT NULL DEFAULT '';
ALTER TABLE tracks ADD COLUMN title_sort TEXT NOT NULL DEFAULT '';
UPDATE tracks SET
    artist_sort = CASE
        WHEN lower(substr(artist, 1, 4)) = 'the ' AND length(trim(substr(artist, 5))) > 0 THEN trim(substr(artist, 5))
        WHEN lower(substr(artist, 1, 3)) = 'an ' AND length(trim(substr(artist, 4))) > 0 THEN trim(substr(artist, 4))
        WHEN lower(substr(artist, 1, 2)) = 'a ' AND length(trim(substr(artist, 3))) > 0 THEN trim(substr(artist, 3))
        ELSE artist END,
    album_sort = CASE
        WHEN lower(substr(album, 1, 4)) = 'the ' AND length(trim(substr(album, 5))) > 0 THEN trim(substr(album, 5))
        WHEN lower(substr(album, 1, 3)) = 'an ' AND length(trim(substr(album, 4))) > 0 THEN trim(substr(album, 4))
        WHEN lower(substr(album, 1, 2)) = 'a ' AND length(trim(substr(album, 3))) > 0 THEN trim(substr(album, 3))
        ELSE album END,
    title_sort = CASE
        WHEN lower(substr(title, 1, 4)) = 'the ' AND length(trim(substr(title, 5))) > 0 THEN trim(substr(title, 5))
        WHEN lower(substr(title, 1, 3)) = 'an ' AND length(trim(substr(title, 4))) > 0 THEN trim(substr(title, 4))
        WHEN lower(substr(title, 1, 2)) = 'a ' AND length(trim(substr(title, 3))) > 0 THEN trim(substr(title, 3))
        ELSE title END;
DROP INDEX tracks_by_artist;
DROP INDEX tracks_by_album;
DROP INDEX tracks_by_title;
DROP INDEX tracks_by_year;
CREATE INDEX tracks_by_artist ON tracks(artist_sort COLLATE NOCASE, album_sort COLLATE NOCASE, disc_no, track_no) WHERE missing = 0;
CREATE INDEX tracks_by_album ON tracks(album_sort COLLATE NOCASE, disc_no, track_no) WHERE missing = 0;
CREATE INDEX tracks_by_title ON tracks(title_sort COLLATE NOCASE) WHERE missing = 0;
CREATE INDEX tracks_by_year ON tracks(year, artist_sort COLLATE NOCASE, album_sort COLLATE NOCASE, disc_no, track_no) WHERE missing = 0;

-- More per-track features from the streaming analysis (dsp3): metre where it can be told, the key's
-- place on the Camelot wheel (sorting by key puts harmonic neighbours together: 2·number + 1 for major,
-- so 1A, 1B, 2A, …), the sample peak (limits the analysed-loudness gain so it cannot clip), how much
-- audio was decoded and how many 3 s patches the CNN saw.
ALTER TABLE track_analysis ADD COLUMN metre TEXT;
ALTER TABLE track_analysis ADD COLUMN metre_confidence REAL;
ALTER TABLE track_analysis ADD COLUMN key_camelot INTEGER;
ALTER TABLE track_analysis ADD COLUMN sample_peak REAL;
ALTER TABLE track_analysis ADD COLUMN audio_seconds REAL;
ALTER TABLE track_analysis ADD COLUMN patches INTEGER;

#!/usr/bin/env python3
"""Builds each fuzz target's seed corpus (fuzz/corpus/<target>/, not committed) from the fixtures and
the committed regression corpus (fuzz/regressions/<target>/). An input's first byte picks what the
target does with the rest (the audio file's extension, the import format), as in fuzz/src/lib.rs and
the targets; the seeds are prefixed to match.

    python3 fuzz/make_corpus.py
"""
import hashlib
import shutil
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
REPO = FUZZ.parent
MINIMAL = REPO / "tests/fixtures/broken-tags/lofty-rs/lofty/tests/files/assets/minimal"
TASTE = REPO / "tests/fixtures/taste"
# The order of AUDIO_EXTENSIONS in fuzz/src/lib.rs.
AUDIO_EXTENSIONS = ["mp3", "flac", "m4a", "ogg", "opus", "wav", "aiff", "caf", "wv", "ape", "mpc",
                    "aac", "mka", "webm", "spx", "mp4"]
HISTORY = {"spotify_extended.json": 0, "listenbrainz.jsonl": 1, "scrobbles.csv": 2}
SHARED = {"hetrec/user_artists.dat": 0, "lastfm_1k.tsv": 1, "mpd_slice.json": 2}


def audio_seeds():
    for f in sorted(MINIMAL.iterdir()):
        ext = f.suffix[1:].lower()
        pick = AUDIO_EXTENSIONS.index(ext) if ext in AUDIO_EXTENSIONS else 0
        yield bytes([pick]) + f.read_bytes()
    for f in sorted((REPO / "tests/fixtures/hostile").iterdir()):
        yield bytes([AUDIO_EXTENSIONS.index(f.suffix[1:])]) + f.read_bytes()


def history_seeds():
    for name, pick in HISTORY.items():
        yield bytes([pick]) + (TASTE / name).read_bytes()
    yield bytes([3]) + (FUZZ / "seeds/playlist.m3u8").read_bytes()
    yield bytes([4]) + (FUZZ / "seeds/playlist.xspf").read_bytes()


def shared_seeds():
    for name, pick in SHARED.items():
        yield bytes([pick]) + (TASTE / name).read_bytes()


def factor_seeds():
    yield (FUZZ / "seeds/factors.jsonl").read_bytes()


TARGETS = {
    "tags": audio_seeds, "decode_play": audio_seeds, "decode_analysis": audio_seeds,
    "import_history": history_seeds, "import_shared": shared_seeds, "factors": factor_seeds,
}


def main():
    for target, seeds in TARGETS.items():
        corpus = FUZZ / "corpus" / target
        corpus.mkdir(parents=True, exist_ok=True)
        inputs = list(seeds())
        regressions = FUZZ / "regressions" / target
        if regressions.is_dir():
            inputs += [f.read_bytes() for f in sorted(regressions.iterdir())]
        for data in inputs:
            (corpus / hashlib.sha1(data).hexdigest()).write_bytes(data)
        print(f"{target}: {len(inputs)} seeds")


if __name__ == "__main__":
    main()

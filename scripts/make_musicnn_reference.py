#!/usr/bin/env python3
"""Writes the reference arrays the Rust front end and CNN are tested against (tests/fixtures/musicnn/):
musicnn's own preprocessing (librosa) of a 3 s excerpt of real music, and the ONNX model's outputs on it.

  audio_16k.f32    48,000 mono samples at 16 kHz (librosa.load, the resampling musicnn uses)
  logmel.f32       [187, 96] log10(10000 * mel + 1), as musicnn's batch_data computes it
                   (without its float16 rounding, which the Rust side does not copy either)
  tags.f32         [50]  the ONNX model's tag probabilities for that patch
  embedding.f32    [200] the ONNX model's embedding for that patch
All little-endian f32. Source: 3 s from 20 s into Wesnoth's "battle.ogg" (Debian wesnoth-1.16-music,
GPL-2+, by Aleksi Aubry-Carlson).

Run with the conversion venv plus librosa: .cache/convert-venv/bin/python scripts/make_musicnn_reference.py AUDIO
"""
import json
import os
import sys

import librosa
import numpy as np
import onnxruntime

REPO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(REPO, "tests", "fixtures", "musicnn")


def main() -> None:
    audio_path = sys.argv[1]
    audio, sr = librosa.load(audio_path, sr=16000, offset=20.0, duration=3.0)
    assert sr == 16000 and len(audio) == 48000, len(audio)
    mel = librosa.feature.melspectrogram(y=audio, sr=sr, hop_length=256, n_fft=512, n_mels=96).T
    logmel = np.log10(10000 * mel + 1).astype(np.float32)
    assert logmel.shape == (188, 96), logmel.shape
    patch = logmel[:187]
    session = onnxruntime.InferenceSession(os.path.join(REPO, "assets", "models", "musicnn_msd.onnx"),
                                           providers=["CPUExecutionProvider"])
    tags, embedding = session.run(["tags", "embedding"], {"melspec": patch[None]})
    os.makedirs(OUT, exist_ok=True)
    audio.astype("<f4").tofile(os.path.join(OUT, "audio_16k.f32"))
    logmel.astype("<f4").tofile(os.path.join(OUT, "logmel.f32"))
    tags[0].astype("<f4").tofile(os.path.join(OUT, "tags.f32"))
    embedding[0].astype("<f4").tofile(os.path.join(OUT, "embedding.f32"))
    labels = json.load(open(os.path.join(REPO, "assets", "models", "musicnn_msd.labels.json")))
    top = sorted(zip(tags[0].tolist(), labels), reverse=True)[:5]
    print(json.dumps({"frames": logmel.shape[0], "top_tags": top}, indent=1))


if __name__ == "__main__":
    main()

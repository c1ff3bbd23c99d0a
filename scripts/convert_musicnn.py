#!/usr/bin/env python3
"""Converts musicnn's pretrained TF1 checkpoints (PyPI `musicnn` 0.1.0, ISC licence) to ONNX.

Input  `melspec`   [batch, 187, 96] f32: 3 s patches of the 96-band log-mel spectrogram (16 kHz).
Output `tags`      [batch, 50] f32: sigmoid tag probabilities (labels written beside the model).
Output `embedding` [batch, 200] f32: the penultimate dense layer, for "sounds like" similarity.

Set-up (a throw-away venv; none of this is needed at run time):
    python3 -m venv .cache/convert-venv
    .cache/convert-venv/bin/pip install "tensorflow-cpu==2.15.1" "numpy<2" "onnx==1.16.2" tf2onnx \
        "onnxruntime==1.32.0"
    .cache/convert-venv/bin/pip install --no-deps "musicnn==0.1.0"
Run:
    .cache/convert-venv/bin/python scripts/convert_musicnn.py [MSD_musicnn|MTT_musicnn] [out_dir]
It checks the ONNX model against TensorFlow on random patches and prints the largest difference.
"""
import hashlib
import json
import os
import sys

import numpy as np
import tensorflow as tf

tf.compat.v1.disable_eager_execution()

import onnxruntime  # noqa: E402
import tf2onnx  # noqa: E402
from musicnn import configuration as config  # noqa: E402
from musicnn import models  # noqa: E402

N_FRAMES = 187  # 3 s at 16 kHz with a 256-sample hop (musicnn's input_length=3)


def main() -> None:
    model = sys.argv[1] if len(sys.argv) > 1 else "MSD_musicnn"
    out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "assets", "models")
    labels = config.MSD_LABELS if model.startswith("MSD") else config.MTT_LABELS
    checkpoint = os.path.join(os.path.dirname(models.__file__), model) + "/"

    tf.compat.v1.reset_default_graph()
    with tf.name_scope("model"):
        x = tf.compat.v1.placeholder(tf.float32, [None, N_FRAMES, config.N_MELS], name="melspec")
        # Inference graph: batch norm and dropout fixed in their inference mode.
        y, *_, penultimate = models.define_model(x, False, model, len(labels))
        tags = tf.identity(tf.nn.sigmoid(y), name="tags")
        embedding = tf.identity(penultimate, name="embedding")
    session = tf.compat.v1.Session()
    tf.compat.v1.train.Saver().restore(session, checkpoint)
    frozen = tf.compat.v1.graph_util.convert_variables_to_constants(
        session, session.graph.as_graph_def(), ["model/tags", "model/embedding"])

    os.makedirs(out_dir, exist_ok=True)
    onnx_path = os.path.join(out_dir, f"musicnn_{model.split('_')[0].lower()}.onnx")
    tf2onnx.convert.from_graph_def(
        frozen, input_names=["model/melspec:0"], output_names=["model/tags:0", "model/embedding:0"],
        opset=17, output_path=onnx_path)
    # Friendly tensor names for the Rust side.
    import onnx
    graph = onnx.load(onnx_path)
    renames = {"model/melspec:0": "melspec", "model/tags:0": "tags", "model/embedding:0": "embedding"}
    for node in graph.graph.node:
        node.input[:] = [renames.get(n, n) for n in node.input]
        node.output[:] = [renames.get(n, n) for n in node.output]
    for value in list(graph.graph.input) + list(graph.graph.output):
        value.name = renames.get(value.name, value.name)
    onnx.save(graph, onnx_path)

    rng = np.random.default_rng(7)
    patches = rng.uniform(0.0, 3.0, size=(4, N_FRAMES, config.N_MELS)).astype(np.float32)
    tf_tags, tf_emb = session.run([tags, embedding], feed_dict={x: patches})
    ort = onnxruntime.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    onnx_tags, onnx_emb = ort.run(["tags", "embedding"], {"melspec": patches})
    diff = max(float(np.abs(tf_tags - onnx_tags).max()), float(np.abs(tf_emb - onnx_emb).max()))
    with open(onnx_path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    labels_path = onnx_path.replace(".onnx", ".labels.json")
    with open(labels_path, "w") as f:
        json.dump(labels, f, indent=0, ensure_ascii=False)
    print(json.dumps({"model": onnx_path, "sha256": digest, "bytes": os.path.getsize(onnx_path),
                      "tags_shape": list(onnx_tags.shape), "embedding_shape": list(onnx_emb.shape),
                      "max_abs_diff_vs_tensorflow": diff}, indent=2))


if __name__ == "__main__":
    main()

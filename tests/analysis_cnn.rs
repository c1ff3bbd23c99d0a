//! The audio CNN run from Rust through ONNX Runtime (loaded dynamically from the PyPI wheel's
//! library) against the same model run by Python's onnxruntime on musicnn's own preprocessing.

mod common;

use sonare::analysis::cnn::{AudioCnn, CnnError};
use sonare::analysis::mel::{MelFrontEnd, N_MELS};

fn model() -> std::path::PathBuf {
    common::repo().join("assets/models/musicnn_msd.onnx")
}

#[test]
fn rust_front_end_plus_onnx_model_reproduce_the_python_outputs() {
    let mut cnn = AudioCnn::load(&common::onnxruntime(), &model()).unwrap();
    let frames = MelFrontEnd::new().log_mel(&common::musicnn_reference("audio_16k.f32"));
    let patches = MelFrontEnd::patches(&frames);
    let out = cnn.run(&patches).unwrap();
    assert_eq!(out.len(), 1);
    let (tags, embedding) = (
        common::musicnn_reference("tags.f32"),
        common::musicnn_reference("embedding.f32"),
    );
    let worst = |a: &[f32], b: &[f32]| {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0f32, f32::max)
    };
    let (tag_diff, emb_diff) = (
        worst(&out[0].tags, &tags),
        worst(&out[0].embedding, &embedding),
    );
    println!("largest difference: tags {tag_diff:e}, embedding {emb_diff:e}");
    assert!(
        tag_diff < 1e-4 && emb_diff < 1e-3,
        "tags {tag_diff}, embedding {emb_diff}"
    );
    // The excerpt is an orchestral battle theme: the model's top tags say so.
    let labels: Vec<String> = serde_json::from_str(
        &std::fs::read_to_string(common::repo().join("assets/models/musicnn_msd.labels.json"))
            .unwrap(),
    )
    .unwrap();
    let best = (0..50)
        .max_by(|&a, &b| out[0].tags[a].total_cmp(&out[0].tags[b]))
        .unwrap();
    assert_eq!(
        labels[best],
        labels[(0..50)
            .max_by(|&a, &b| tags[a].total_cmp(&tags[b]))
            .unwrap()]
    );
    // Several patches run as one batch give the same outputs as one by one.
    let batch = cnn
        .run(&[patches[0].clone(), vec![[0.5; N_MELS]; 187]])
        .unwrap();
    assert_eq!(batch.len(), 2);
    assert!(worst(&batch[0].tags, &out[0].tags) < 1e-6);
}

#[test]
fn a_missing_runtime_or_model_is_a_clear_error() {
    let err = AudioCnn::load(
        std::path::Path::new("/nonexistent/libonnxruntime.so"),
        &model(),
    )
    .err()
    .unwrap();
    assert!(matches!(err, CnnError::Runtime { .. }));
    assert!(err.to_string().contains("/nonexistent/libonnxruntime.so"));
    assert!(err.to_string().contains("fetch_onnxruntime"));

    // A damaged runtime library (not a shared object): an error naming it, and the good one still loads.
    let damaged = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(damaged.path(), b"\x7fELF but not really a library").unwrap();
    let err = AudioCnn::load(damaged.path(), &model()).err().unwrap();
    assert!(matches!(err, CnnError::Runtime { .. }), "{err}");
    assert!(
        err.to_string()
            .contains(&damaged.path().display().to_string()),
        "{err}"
    );
    assert!(AudioCnn::load(&common::onnxruntime(), &model()).is_ok());

    let bad_model = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(bad_model.path(), b"not an onnx model").unwrap();
    let err = AudioCnn::load(&common::onnxruntime(), bad_model.path())
        .err()
        .unwrap();
    assert!(matches!(err, CnnError::Model { .. }), "{err}");
    assert!(err
        .to_string()
        .contains(&bad_model.path().display().to_string()));
}

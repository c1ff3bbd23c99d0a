//! The multilingual sentence model in Rust against its references (`scripts/make_text_reference.py`):
//! the tokenizer's ids against Google's C++ SentencePiece on 1,300 strings in many scripts, and the
//! embeddings against the Python package's own forward pass.

mod common;

use sonare::text::embed::{SentenceModel, DIM};

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn model() -> SentenceModel {
    SentenceModel::load(&common::text_model()).expect("the sentence model loads")
}

#[test]
fn token_ids_equal_sentencepiece_on_every_reference_string() {
    let model = model();
    let reference = std::fs::read_to_string(common::fixtures().join("text/sp_ids.tsv")).unwrap();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for line in reference.lines() {
        let (text, ids) = line.rsplit_once('\t').expect("text<TAB>ids");
        let text = unescape(text);
        let expected: Vec<u32> = ids.split(' ').map(|id| id.parse().unwrap()).collect();
        let got = model.tokenizer().encode(&text);
        if got != expected {
            wrong.push(format!("{text:?}: got {got:?}, expected {expected:?}"));
        }
        checked += 1;
    }
    assert!(checked >= 1000, "only {checked} reference strings");
    assert!(
        wrong.is_empty(),
        "{} of {checked} differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn embeddings_match_the_python_reference() {
    let model = model();
    let dir = common::fixtures().join("text");
    let texts: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("use_texts.json")).unwrap())
            .unwrap();
    let reference: Vec<f32> = std::fs::read(dir.join("use_embeddings.f32"))
        .unwrap()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    assert_eq!(reference.len(), texts.len() * DIM);
    // All at once (one flat batch) and one at a time must both match.
    let together = model.embed(&texts);
    for (i, text) in texts.iter().enumerate() {
        let alone = model.embed(&[text]);
        let expected = &reference[i * DIM..(i + 1) * DIM];
        let stored = sonare::text::embed::store::from_blob(&sonare::text::embed::store::to_blob(
            together.row(i).as_slice().unwrap(),
        ))
        .unwrap();
        let stored_norm = stored.iter().map(|x| x * x).sum::<f32>().sqrt();
        for (how, row) in [("in the batch", together.row(i)), ("alone", alone.row(0))] {
            let cosine: f32 = row.iter().zip(expected).map(|(a, b)| a * b).sum();
            assert!(cosine >= 0.999, "{text:?} {how}: cosine {cosine}");
        }
        let cosine: f32 =
            stored.iter().zip(expected).map(|(a, b)| a * b).sum::<f32>() / stored_norm;
        assert!(
            cosine >= 0.999,
            "{text:?} as stored (8 bits): cosine {cosine}"
        );
    }
}

#[test]
fn a_korean_query_is_nearest_to_its_english_meaning() {
    let model = model();
    let texts = [
        "잔잔한 피아노",
        "calm piano",
        "heavy metal",
        "신나는 댄스 음악",
        "dance party",
    ];
    let v = model.embed(&texts);
    let cos = |a: usize, b: usize| v.row(a).dot(&v.row(b));
    assert!(
        cos(0, 1) > cos(0, 2),
        "calm piano {} vs heavy metal {}",
        cos(0, 1),
        cos(0, 2)
    );
    assert!(
        cos(3, 4) > cos(3, 1),
        "dance party {} vs calm piano {}",
        cos(3, 4),
        cos(3, 1)
    );
}

#[test]
fn a_missing_or_damaged_model_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = SentenceModel::load(dir.path()).err().unwrap().to_string();
    assert!(
        missing.contains("sp.model") && missing.contains("fetch_text_model.sh"),
        "{missing}"
    );
    std::fs::copy(
        common::text_model().join("sp.model"),
        dir.path().join("sp.model"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("use_m3.safetensors"),
        b"\x10\0\0\0\0\0\0\0{\"a\":",
    )
    .unwrap();
    let damaged = SentenceModel::load(dir.path()).err().unwrap().to_string();
    assert!(
        damaged.contains("use_m3.safetensors") && damaged.contains("damaged"),
        "{damaged}"
    );
}

//! A SentencePiece unigram tokenizer that gives the ids Google's `sentencepiece` library gives for the
//! multilingual sentence model's `sp.model`: the `nmt_nfkc` normaliser read from the model's
//! precompiled character map (a darts-clone double-array trie walked byte by byte, as
//! `Normalizer::NormalizePrefix` does), whitespace escaped to U+2581 with a dummy prefix, and the
//! Viterbi segmentation over the pieces' scores.
//!
//! Written here rather than taken from a crate: the `sentencepiece` crate builds the C++ library with
//! CMake, and the `tokenizers` crate's precompiled normaliser walks grapheme clusters rather than bytes,
//! which gives other ids on some inputs. `tests/text_embed.rs` checks the ids against the C++ library's
//! on more than a thousand strings in many scripts.

use std::collections::HashMap;

/// What can be wrong with a model file.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ModelError(String);

const UNK_ID: u32 = 0;
const BOS_ID: u32 = 1;
const EOS_ID: u32 = 2;
/// SentencePiece's penalty for an unknown character below the lowest piece score.
const UNK_PENALTY: f32 = 10.0;
const SPACE: &str = "\u{2581}";

/// Piece types of `ModelProto.SentencePiece.Type`.
const TYPE_NORMAL: u64 = 1;
const TYPE_USER_DEFINED: u64 = 4;

pub struct Tokenizer {
    scores: Vec<f32>,
    /// Every prefix of a piece that can be matched: the piece's id + 1, or 0 for a prefix that is not
    /// itself a piece (it only keeps the walk going).
    prefixes: HashMap<Box<str>, u32>,
    /// The longest piece, in characters.
    max_chars: usize,
    unk_score: f32,
    normaliser: Normaliser,
}

impl Tokenizer {
    /// Reads a serialized `ModelProto` (the `.model` file's bytes).
    pub fn from_bytes(data: &[u8]) -> Result<Tokenizer, ModelError> {
        let top =
            fields(data).map_err(|e| ModelError(format!("not a SentencePiece model: {e}")))?;
        let mut scores = Vec::new();
        let mut prefixes: HashMap<Box<str>, u32> = HashMap::new();
        let mut max_chars = 0;
        let mut normaliser_spec: Option<&[u8]> = None;
        for (field, value) in top {
            match (field, value) {
                (1, Value::Bytes(piece)) => {
                    let id = scores.len() as u32;
                    let (text, score, kind) = read_piece(piece)?;
                    scores.push(score);
                    if kind == TYPE_NORMAL || kind == TYPE_USER_DEFINED {
                        let text = std::str::from_utf8(text)
                            .map_err(|_| ModelError(format!("piece {id} is not UTF-8")))?;
                        max_chars = max_chars.max(text.chars().count());
                        for (end, _) in text.char_indices().skip(1) {
                            prefixes.entry(text[..end].into()).or_insert(0);
                        }
                        prefixes.insert(text.into(), id + 1);
                    }
                }
                (3, Value::Bytes(spec)) => normaliser_spec = Some(spec),
                _ => {}
            }
        }
        if scores.len() <= EOS_ID as usize {
            return Err(ModelError("the model has no pieces".into()));
        }
        let lowest = scores.iter().copied().fold(f32::INFINITY, f32::min);
        Ok(Tokenizer {
            scores,
            prefixes,
            max_chars,
            unk_score: lowest - UNK_PENALTY,
            normaliser: Normaliser::from_spec(normaliser_spec.unwrap_or(&[]))?,
        })
    }

    pub fn vocab_size(&self) -> usize {
        self.scores.len()
    }

    /// The ids of `text` between `<s>` and `</s>`, as the sentence model reads them.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let normalised = self.normaliser.normalise(text);
        let mut ids = Vec::with_capacity(normalised.len() / 3 + 2);
        ids.push(BOS_ID);
        self.viterbi(&normalised, &mut ids);
        ids.push(EOS_ID);
        ids
    }

    /// The best segmentation of `text` into pieces. Every node starting at a position shares the best
    /// path ending there, so a left-to-right pass over character positions is the lattice's Viterbi;
    /// ties keep the earlier candidate, as SentencePiece's strict comparison does.
    fn viterbi(&self, text: &str, ids: &mut Vec<u32>) {
        let mut bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        bounds.push(text.len());
        let chars = bounds.len() - 1;
        let mut best = vec![f32::NEG_INFINITY; chars + 1];
        let mut start_of = vec![0usize; chars + 1];
        let mut piece_of = vec![UNK_ID; chars + 1];
        best[0] = 0.0;
        for i in 0..chars {
            let base = best[i];
            let stop = (i + self.max_chars).min(chars);
            let mut has_single = false;
            for j in i + 1..=stop {
                let Some(&value) = self.prefixes.get(&text[bounds[i]..bounds[j]]) else {
                    break;
                };
                if value == 0 {
                    continue;
                }
                let score = base + self.scores[value as usize - 1];
                if score > best[j] {
                    best[j] = score;
                    start_of[j] = i;
                    piece_of[j] = value - 1;
                }
                has_single |= j == i + 1;
            }
            if !has_single {
                let score = base + self.unk_score;
                if score > best[i + 1] {
                    best[i + 1] = score;
                    start_of[i + 1] = i;
                    piece_of[i + 1] = UNK_ID;
                }
            }
        }
        let first = ids.len();
        let mut at = chars;
        while at > 0 {
            // A run of unknown characters is one unknown piece, as SentencePiece merges them.
            let unknown_run =
                piece_of[at] == UNK_ID && ids.len() > first && ids.last() == Some(&UNK_ID);
            if !unknown_run {
                ids.push(piece_of[at]);
            }
            at = start_of[at];
        }
        ids[first..].reverse();
    }
}

/// `NormalizerSpec`: the precompiled character map and the whitespace rules.
struct Normaliser {
    /// The double-array trie's units.
    units: Vec<u32>,
    /// NUL-terminated replacement strings the trie's values point into.
    replacements: Vec<u8>,
    add_dummy_prefix: bool,
    remove_extra_whitespaces: bool,
    escape_whitespaces: bool,
}

impl Normaliser {
    fn from_spec(spec: &[u8]) -> Result<Normaliser, ModelError> {
        let bad = |e: String| ModelError(format!("bad normaliser spec: {e}"));
        let mut charsmap: &[u8] = &[];
        let (mut add_dummy_prefix, mut remove_extra_whitespaces, mut escape_whitespaces) =
            (true, true, true);
        for (field, value) in fields(spec).map_err(bad)? {
            match (field, value) {
                (2, Value::Bytes(map)) => charsmap = map,
                (3, Value::Varint(v)) => add_dummy_prefix = v != 0,
                (4, Value::Varint(v)) => remove_extra_whitespaces = v != 0,
                (5, Value::Varint(v)) => escape_whitespaces = v != 0,
                _ => {}
            }
        }
        let (units, replacements) = if charsmap.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            let size = charsmap
                .get(..4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
                .filter(|&size| size % 4 == 0 && 4 + size <= charsmap.len())
                .ok_or_else(|| bad("the character map's trie is cut short".into()))?;
            let units = charsmap[4..4 + size]
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            (units, charsmap[4 + size..].to_vec())
        };
        Ok(Normaliser {
            units,
            replacements,
            add_dummy_prefix,
            remove_extra_whitespaces,
            escape_whitespaces,
        })
    }

    fn offset(unit: u32) -> usize {
        ((unit >> 10) << ((unit & 0x200) >> 6)) as usize
    }

    /// The longest key of the character map that `data` starts with: (bytes consumed, value).
    fn longest_match(&self, data: &[u8]) -> Option<(usize, usize)> {
        let mut node = Self::offset(*self.units.first()?);
        let mut found = None;
        for (i, &byte) in data.iter().enumerate() {
            node ^= byte as usize;
            let unit = *self.units.get(node)?;
            if unit & 0x8000_00FF != byte as u32 {
                break;
            }
            node ^= Self::offset(unit);
            if unit & 0x100 != 0 {
                let value = (*self.units.get(node)? & 0x7FFF_FFFF) as usize;
                found = Some((i + 1, value));
            }
        }
        found
    }

    /// What the start of `data` normalises to, and how many bytes that consumes.
    fn normalise_prefix<'a>(&'a self, data: &'a str) -> (&'a str, usize) {
        if let Some((len, value)) = self.longest_match(data.as_bytes()) {
            if let Some(rest) = self.replacements.get(value..) {
                let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
                if let Ok(replacement) = std::str::from_utf8(&rest[..end]) {
                    return (replacement, len);
                }
            }
        }
        let len = data.chars().next().map_or(0, char::len_utf8);
        (&data[..len], len)
    }

    fn normalise(&self, text: &str) -> String {
        let space = if self.escape_whitespaces { SPACE } else { " " };
        let mut rest = text;
        if self.remove_extra_whitespaces {
            loop {
                let (piece, len) = self.normalise_prefix(rest);
                if len == 0 || piece != " " {
                    break;
                }
                rest = &rest[len..];
            }
        }
        let mut out = String::with_capacity(text.len() + 8);
        if rest.is_empty() {
            return out;
        }
        if self.add_dummy_prefix {
            out.push_str(space);
        }
        let mut previous_was_space = self.remove_extra_whitespaces;
        while !rest.is_empty() {
            let (mut piece, len) = self.normalise_prefix(rest);
            rest = &rest[len..];
            if self.remove_extra_whitespaces && previous_was_space {
                piece = piece.trim_start_matches(' ');
            }
            if piece.is_empty() {
                continue;
            }
            for c in piece.chars() {
                if c == ' ' {
                    out.push_str(space);
                } else {
                    out.push(c);
                }
            }
            previous_was_space = piece.ends_with(' ');
        }
        if self.remove_extra_whitespaces {
            while out.ends_with(space) {
                out.truncate(out.len() - space.len());
            }
        }
        out
    }
}

enum Value<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed32(u32),
    Fixed64,
}

fn varint(data: &[u8], at: &mut usize) -> Result<u64, String> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *data.get(*at).ok_or("a varint is cut short")?;
        *at += 1;
        value |= u64::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err("a varint is too long".into())
}

/// The fields of one protobuf message, in order (a reader for the few fields the model needs).
fn fields(data: &[u8]) -> Result<Vec<(u64, Value<'_>)>, String> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < data.len() {
        let key = varint(data, &mut at)?;
        let value = match key & 7 {
            0 => Value::Varint(varint(data, &mut at)?),
            1 => {
                at = at
                    .checked_add(8)
                    .filter(|&end| end <= data.len())
                    .ok_or("cut short")?;
                Value::Fixed64
            }
            2 => {
                let len = varint(data, &mut at)? as usize;
                let end = at.checked_add(len).filter(|&end| end <= data.len());
                let end = end.ok_or("a field is longer than the message")?;
                let bytes = &data[at..end];
                at = end;
                Value::Bytes(bytes)
            }
            5 => {
                let b = data.get(at..at + 4).ok_or("cut short")?;
                at += 4;
                Value::Fixed32(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            }
            wire => return Err(format!("wire type {wire} is not supported")),
        };
        out.push((key >> 3, value));
    }
    Ok(out)
}

/// A `SentencePiece` message: (piece, score, type).
fn read_piece(data: &[u8]) -> Result<(&[u8], f32, u64), ModelError> {
    let (mut piece, mut score, mut kind): (&[u8], f32, u64) = (&[], 0.0, TYPE_NORMAL);
    for (field, value) in fields(data).map_err(ModelError)? {
        match (field, value) {
            (1, Value::Bytes(b)) => piece = b,
            (2, Value::Fixed32(bits)) => score = f32::from_bits(bits),
            (3, Value::Varint(v)) => kind = v,
            _ => {}
        }
    }
    Ok((piece, score, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(fields: &[(u64, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (field, bytes) in fields {
            out.push(((field << 3) | 2) as u8);
            out.push(bytes.len() as u8);
            out.extend_from_slice(bytes);
        }
        out
    }

    fn piece(text: &str, score: f32) -> Vec<u8> {
        let mut out = message(&[(1, text.as_bytes())]);
        out.push((2 << 3) | 5);
        out.extend_from_slice(&score.to_le_bytes());
        out
    }

    /// A tiny model with no character map: pieces ▁ab, ▁a, b, c and the three specials.
    fn tiny() -> Tokenizer {
        let pieces = [
            piece("<unk>", 0.0),
            piece("<s>", 0.0),
            piece("</s>", 0.0),
            piece("\u{2581}ab", -1.0),
            piece("\u{2581}a", -2.0),
            piece("b", -2.0),
            piece("c", -3.0),
        ];
        let fields: Vec<(u64, &[u8])> = pieces.iter().map(|p| (1, p.as_slice())).collect();
        Tokenizer::from_bytes(&message(&fields)).unwrap()
    }

    #[test]
    fn the_best_path_wins_and_unknown_characters_become_unk() {
        let t = tiny();
        assert_eq!(t.encode("ab"), vec![1, 3, 2]);
        assert_eq!(
            t.encode("  ab   c "),
            vec![1, 3, 0, 6, 2],
            "▁ab ▁ c: ▁ alone is unknown"
        );
        assert_eq!(t.encode("abz"), vec![1, 3, 0, 2]);
        assert_eq!(t.encode(""), vec![1, 2]);
    }

    #[test]
    fn a_broken_model_is_an_error_not_a_panic() {
        assert!(Tokenizer::from_bytes(&[0x0A, 0xFF]).is_err());
        assert!(Tokenizer::from_bytes(&[]).is_err());
        let spec = message(&[(2, &[0xFF, 0, 0, 0])]);
        let bad = [piece("<unk>", 0.0), piece("<s>", 0.0), piece("</s>", 0.0)];
        let mut fields: Vec<(u64, &[u8])> = bad.iter().map(|p| (1, p.as_slice())).collect();
        fields.push((3, spec.as_slice()));
        assert!(Tokenizer::from_bytes(&message(&fields)).is_err());
    }
}

//! Tokens for term vectors and search, from folded text, in any script. Words are runs of letters and
//! digits. Chinese and Japanese are written without spaces, so runs of Han, Hiragana and Katakana become
//! overlapping character bigrams (the usual choice of search engines without a dictionary: "坂本龍一" →
//! 坂本, 本龍, 龍一); a lone character is its own token. Korean separates words with spaces and keeps
//! whole words.

use super::fold::fold;

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x309F   // Hiragana
        | 0x30A0..=0x30FF // Katakana
        | 0x31F0..=0x31FF // Katakana phonetic extensions
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0x20000..=0x2FFFF)
}

fn push_bigrams(run: &[char], out: &mut Vec<String>) {
    match run.len() {
        0 => {}
        1 => out.push(run[0].to_string()),
        _ => out.extend(run.windows(2).map(|w| w.iter().collect())),
    }
}

/// Tokens of `text` (folded first).
pub fn tokenize(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out = Vec::new();
    let mut word = String::new();
    let mut cjk: Vec<char> = Vec::new();
    for c in folded.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            cjk.push(c);
        } else {
            push_bigrams(&cjk, &mut out);
            cjk.clear();
            if c.is_alphanumeric() {
                word.push(c);
            } else if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
        }
    }
    push_bigrams(&cjk, &mut out);
    if !word.is_empty() {
        out.push(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::tokenize;

    #[test]
    fn latin_cyrillic_and_korean_split_into_folded_words() {
        assert_eq!(
            tokenize("Björk — Jóga (Live, 1997)"),
            ["bjork", "joga", "live", "1997"]
        );
        assert_eq!(tokenize("Кино: Группа крови"), ["кино", "группа", "крови"]);
        assert_eq!(
            tokenize("소녀시대 - 다시 만난 세계"),
            ["소녀시대", "다시", "만난", "세계"]
        );
    }

    #[test]
    fn chinese_and_japanese_become_character_bigrams() {
        assert_eq!(tokenize("坂本龍一"), ["坂本", "本龍", "龍一"]);
        assert_eq!(
            tokenize("宇多田ヒカル First Love"),
            ["宇多", "多田", "田ヒ", "ヒカ", "カル", "first", "love"]
        );
        assert_eq!(tokenize("愛"), ["愛"]);
        assert!(tokenize("  -- ").is_empty());
    }
}

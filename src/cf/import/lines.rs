//! Lines of a text import, each held to [`MAX_LINE`] bytes: a file of one 50 MB line (a hostile or
//! broken export) costs a megabyte of memory, not the line, and the line is skipped with its length.
//! Whether the last line ended with a newline is kept, so a tab-separated file cut off mid-line can be
//! told from one that merely lacks a final newline.

use std::collections::BTreeSet;
use std::io::{BufRead, Read};
use std::sync::{Arc, Mutex};

/// The longest line kept. Real lines are far shorter: a scrobble is ~200 bytes, a ListenBrainz
/// listen with all its extra fields a few kB, a factor row of rank 256 ~5 kB.
pub const MAX_LINE: usize = 1 << 20;

/// One line of the file.
#[derive(Debug, PartialEq)]
pub enum Line {
    /// The line's text (without `\r\n`), and whether a newline ended it (only the last may lack one).
    Text { text: String, ended: bool },
    /// A line longer than [`MAX_LINE`]: its length in bytes; its text was not kept.
    TooLong { bytes: u64 },
}

impl Line {
    /// Why a line too long to hold is skipped, when its length was not measured.
    pub fn too_long_unmeasured() -> String {
        format!("a line longer than the {MAX_LINE} bytes a line may hold")
    }

    /// Why a too-long line is skipped.
    pub fn too_long_reason(bytes: u64) -> String {
        format!("a line of {bytes} bytes, longer than the {MAX_LINE} bytes a line may hold")
    }
}

/// The lines of `reader`, numbered from 1, blank lines left out.
pub struct Lines<R> {
    reader: R,
    number: usize,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines { reader, number: 0 }
    }

    /// The next line: reads up to the newline, keeping at most `MAX_LINE` bytes of it.
    fn read_line(&mut self) -> std::io::Result<Option<Line>> {
        let mut kept = Vec::new();
        let mut total = 0u64;
        let mut ended = false;
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let (chunk, found) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (&buf[..i], true),
                None => (buf, false),
            };
            total += chunk.len() as u64;
            if total <= MAX_LINE as u64 {
                kept.extend_from_slice(chunk);
            } else if !kept.is_empty() {
                kept = Vec::new();
            }
            let used = chunk.len() + usize::from(found);
            self.reader.consume(used);
            if found {
                ended = true;
                break;
            }
        }
        if total == 0 && !ended {
            return Ok(None);
        }
        if total > MAX_LINE as u64 {
            return Ok(Some(Line::TooLong { bytes: total }));
        }
        if kept.last() == Some(&b'\r') {
            kept.pop();
        }
        let text = String::from_utf8(kept)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Ok(Some(Line::Text { text, ended }))
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = (usize, std::io::Result<Line>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.number += 1;
            match self.read_line() {
                Ok(None) => return None,
                Ok(Some(Line::Text { text, .. })) if text.trim().is_empty() => continue,
                other => return Some((self.number, other.map(|l| l.expect("a line")))),
            }
        }
    }
}

/// A reader that passes at most [`MAX_LINE`] bytes of each line on (for parsers that buffer a whole
/// record, as the CSV reader does) and notes which lines it cut, numbered from 1.
pub struct CappedLines<R> {
    inner: R,
    line: u64,
    in_line: usize,
    cut: Arc<Mutex<BTreeSet<u64>>>,
}

impl<R: Read> CappedLines<R> {
    pub fn new(inner: R) -> Self {
        CappedLines {
            inner,
            line: 1,
            in_line: 0,
            cut: Arc::default(),
        }
    }

    /// The numbers of the lines cut so far, shared with whoever reads through this.
    pub fn cut_lines(&self) -> Arc<Mutex<BTreeSet<u64>>> {
        self.cut.clone()
    }
}

impl<R: Read> Read for CappedLines<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let mut chunk = vec![0u8; out.len()];
        loop {
            let n = self.inner.read(&mut chunk)?;
            if n == 0 {
                return Ok(0);
            }
            let mut kept = 0;
            for &byte in &chunk[..n] {
                if byte == b'\n' {
                    self.line += 1;
                    self.in_line = 0;
                } else {
                    self.in_line += 1;
                    if self.in_line > MAX_LINE {
                        if self.in_line == MAX_LINE + 1 {
                            let mut cut = self.cut.lock().unwrap_or_else(|e| e.into_inner());
                            cut.insert(self.line);
                        }
                        continue;
                    }
                }
                out[kept] = byte;
                kept += 1;
            }
            // A read that was all dropped bytes returns nothing: read on rather than signal the end.
            if kept > 0 {
                return Ok(kept);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<(usize, Line)> {
        // A small buffer, so lines cross buffer boundaries.
        let reader = std::io::BufReader::with_capacity(7, input);
        Lines::new(reader).map(|(n, l)| (n, l.unwrap())).collect()
    }

    fn text(text: &str, ended: bool) -> Line {
        Line::Text {
            text: text.into(),
            ended,
        }
    }

    #[test]
    fn lines_are_numbered_blank_ones_skipped_and_the_last_newline_noted() {
        assert_eq!(
            lines(b"a\tb\r\n\n  \nthird line here\nlast"),
            vec![
                (1, text("a\tb", true)),
                (4, text("third line here", true)),
                (5, text("last", false)),
            ]
        );
        assert_eq!(lines(b"one\n"), vec![(1, text("one", true))]);
        assert!(lines(b"").is_empty());
    }

    #[test]
    fn a_line_past_the_limit_is_measured_not_kept() {
        let mut input = vec![b'x'; MAX_LINE + 10];
        input.extend_from_slice(b"\nafter\n");
        let got = lines(&input);
        assert_eq!(
            got,
            vec![
                (
                    1,
                    Line::TooLong {
                        bytes: MAX_LINE as u64 + 10
                    }
                ),
                (2, text("after", true)),
            ]
        );
    }

    #[test]
    fn capped_lines_pass_short_lines_and_cut_long_ones() {
        let mut input = b"short\n".to_vec();
        input.extend(vec![b'x'; MAX_LINE * 2]);
        input.extend(b"\nlast\n");
        let mut capped = CappedLines::new(&input[..]);
        let cut = capped.cut_lines();
        let mut out = Vec::new();
        capped.read_to_end(&mut out).unwrap();
        assert_eq!(out.len(), 6 + MAX_LINE + 1 + 5);
        assert!(out.starts_with(b"short\nxxx") && out.ends_with(b"x\nlast\n"));
        assert_eq!(*cut.lock().unwrap(), BTreeSet::from([2]));
    }

    #[test]
    fn invalid_utf8_is_replaced_not_refused() {
        assert_eq!(lines(b"caf\xe9\n"), vec![(1, text("caf\u{fffd}", true))]);
    }
}

//! Refuses containers whose headers claim more than the file can hold, before symphonia reads them.
//!
//! symphonia 0.5's MP4 and CAF demuxers allocate what sample-table headers say (`stsc`, `stsz`,
//! `stco`… entry counts, a sample's size, CAF's packet count): a 3 KB file claiming 2³¹ entries asks
//! for gigabytes, and an allocation failure aborts the process, which no `catch_unwind` can stop.
//! Every count here is checked against the bytes that could hold it, so such a file is a clean
//! "broken" error. This bounds the allocations we can see; decoding for the analysis also runs in a
//! worker process for what no check can foresee.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Atoms that hold other atoms (`meta` holds them after 4 bytes of version and flags).
const CONTAINERS: &[&[u8; 4]] = &[
    b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"mvex", b"moof", b"traf", b"udta",
    b"dinf", b"meta",
];

/// Deepest nesting looked into (real files nest 6–8 deep).
const MAX_DEPTH: usize = 16;

/// Why a file's container headers cannot be true.
pub type BoundsError = String;

/// Checks MP4/M4A (ISO base media) and CAF files; other files pass unread.
pub fn check(path: &Path) -> Result<(), BoundsError> {
    // A file that cannot be opened is the decoder's to report, with its own error.
    let Ok(mut file) = File::open(path) else {
        return Ok(());
    };
    let Ok(len) = file.metadata().map(|m| m.len()) else {
        return Ok(());
    };
    let mut magic = [0u8; 8];
    if file.read_exact(&mut magic).is_err() {
        return Ok(());
    }
    file.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
    if &magic[4..8] == b"ftyp" {
        check_atoms(&mut file, 0, len, len, 0)
    } else if &magic[0..4] == b"caff" {
        check_caf(&mut file, len)
    } else {
        Ok(())
    }
}

fn read_array<const N: usize>(file: &mut File) -> Option<[u8; N]> {
    let mut buf = [0u8; N];
    file.read_exact(&mut buf).ok().map(|_| buf)
}

fn be_u32(b: &[u8]) -> u64 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as u64
}

/// Walks the atoms in `start..end`, checking each size and the sample tables.
fn check_atoms(
    file: &mut File,
    start: u64,
    end: u64,
    file_len: u64,
    depth: usize,
) -> Result<(), BoundsError> {
    if depth > MAX_DEPTH {
        return Err("atoms nested too deep".into());
    }
    let mut at = start;
    while at + 8 <= end {
        file.seek(SeekFrom::Start(at)).map_err(|e| e.to_string())?;
        let Some(header) = read_array::<8>(file) else {
            return Ok(());
        };
        let kind: [u8; 4] = [header[4], header[5], header[6], header[7]];
        let name = String::from_utf8_lossy(&kind).into_owned();
        let (size, header_len) = match be_u32(&header) {
            0 => (end - at, 8),
            1 => {
                let large = read_array::<8>(file).map(u64::from_be_bytes).unwrap_or(0);
                (large, 16)
            }
            n => (n, 8),
        };
        if size < header_len || at + size > end {
            // A truncated last atom (a cut download) is left for the demuxer to report; one that
            // claims more than its parent can hold is not.
            if at + size > end && end == file_len && depth == 0 && &kind == b"mdat" {
                return Ok(());
            }
            return Err(format!(
                "atom '{name}' at byte {at} claims {size} bytes, more than the {} its container holds",
                end - at
            ));
        }
        let body = at + header_len;
        let body_len = size - header_len;
        if CONTAINERS.contains(&&kind) {
            let skip = if &kind == b"meta" { 4 } else { 0 };
            check_atoms(
                file,
                body + skip.min(body_len),
                at + size,
                file_len,
                depth + 1,
            )?;
        } else {
            check_table(file, &kind, body, body_len, file_len)
                .map_err(|why| format!("atom '{name}' at byte {at}: {why}"))?;
        }
        at += size;
    }
    Ok(())
}

/// A sample table's entry count against its body size, and each sample's size against the file.
fn check_table(
    file: &mut File,
    kind: &[u8; 4],
    body: u64,
    body_len: u64,
    file_len: u64,
) -> Result<(), BoundsError> {
    let entry_size: u64 = match kind {
        b"stsc" | b"elst" => 12,
        b"stts" | b"ctts" | b"co64" => 8,
        b"stco" | b"stss" => 4,
        b"stsz" => 0,
        _ => return Ok(()),
    };
    file.seek(SeekFrom::Start(body))
        .map_err(|e| e.to_string())?;
    let Some(head) = read_array::<12>(file) else {
        return Err("table header cut short".into());
    };
    let version = head[0];
    if kind == b"stsz" {
        let (sample_size, count) = (be_u32(&head[4..8]), be_u32(&head[8..12]));
        if sample_size > file_len {
            return Err(format!(
                "claims samples of {sample_size} bytes in a {file_len}-byte file"
            ));
        }
        if sample_size == 0 {
            if 12 + 4 * count > body_len {
                return Err(format!("claims {count} sample sizes in {body_len} bytes"));
            }
            // Every size is read (a packet of that size is allocated when it is reached).
            let mut sizes = vec![0u8; 4 * count as usize];
            file.read_exact(&mut sizes).map_err(|e| e.to_string())?;
            if let Some(big) = sizes.chunks_exact(4).map(be_u32).find(|&s| s > file_len) {
                return Err(format!(
                    "claims a sample of {big} bytes in a {file_len}-byte file"
                ));
            }
        } else if count > file_len {
            return Err(format!("claims {count} samples in a {file_len}-byte file"));
        }
        return Ok(());
    }
    let count = be_u32(&head[4..8]);
    // An edit list of version 1 has 64-bit times: 20 bytes an entry.
    let entry_size = if kind == b"elst" && version == 1 {
        20
    } else {
        entry_size
    };
    if 8 + count * entry_size > body_len {
        return Err(format!(
            "claims {count} entries of {entry_size} bytes in {body_len} bytes"
        ));
    }
    Ok(())
}

/// CAF: every chunk fits the file, and the packet table's count fits its chunk (a packet takes at
/// least one byte there when its size varies, and none when it does not).
fn check_caf(file: &mut File, file_len: u64) -> Result<(), BoundsError> {
    let mut at = 8;
    while at + 12 <= file_len {
        file.seek(SeekFrom::Start(at)).map_err(|e| e.to_string())?;
        let Some(header) = read_array::<12>(file) else {
            return Ok(());
        };
        let kind = String::from_utf8_lossy(&header[0..4]).into_owned();
        let size = i64::from_be_bytes(header[4..12].try_into().expect("8 bytes"));
        let body = at + 12;
        // The audio data may say -1: "to the end of the file".
        if size == -1 && kind == "data" {
            return Ok(());
        }
        if size < 0 || body + size as u64 > file_len {
            return Err(format!(
                "chunk '{kind}' at byte {at} claims {size} bytes, more than the {} left in the file",
                file_len - body
            ));
        }
        if kind == "pakt" {
            let Some(table) = read_array::<24>(file) else {
                return Err("packet table cut short".into());
            };
            let packets = i64::from_be_bytes(table[0..8].try_into().expect("8 bytes"));
            if packets < 0 || packets as u64 > size as u64 {
                return Err(format!(
                    "packet table claims {packets} packets in {size} bytes"
                ));
            }
        }
        at = body + size as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    fn atom(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut out = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(body);
        out
    }

    fn mp4(stbl_children: &[u8]) -> Vec<u8> {
        let stbl = atom(b"stbl", stbl_children);
        let moov = atom(
            b"moov",
            &atom(b"trak", &atom(b"mdia", &atom(b"minf", &stbl))),
        );
        let mut file = atom(b"ftyp", b"M4A \0\0\0\0");
        file.extend(moov);
        file.extend(atom(b"mdat", &[0u8; 64]));
        file
    }

    fn table(count: u32, entries: &[u8]) -> Vec<u8> {
        let mut body = vec![0u8; 4];
        body.extend_from_slice(&count.to_be_bytes());
        body.extend_from_slice(entries);
        body
    }

    fn checked(bytes: &[u8]) -> Result<(), String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.m4a");
        std::fs::write(&path, bytes).unwrap();
        check(&path)
    }

    #[test]
    fn tables_that_fit_pass_and_counts_beyond_the_file_are_refused() {
        let good = mp4(&atom(b"stsc", &table(1, &[0u8; 12])));
        assert_eq!(checked(&good), Ok(()));
        let lying = mp4(&atom(b"stsc", &table(0x8000_0000, &[0u8; 12])));
        let why = checked(&lying).unwrap_err();
        assert!(
            why.contains("'stsc'") && why.contains("2147483648 entries"),
            "{why}"
        );
        let mut sizes = table(0, &1u32.to_be_bytes());
        sizes.extend_from_slice(&0xFFFF_FFF0u32.to_be_bytes());
        let huge_sample = mp4(&atom(b"stsz", &sizes));
        assert!(checked(&huge_sample).unwrap_err().contains("sample of"));
    }

    #[test]
    fn an_atom_larger_than_its_parent_is_refused_but_a_cut_mdat_is_left_to_the_demuxer() {
        let mut inflated = mp4(&atom(b"stco", &table(0, &[])));
        // The innermost `stco` atom claims a gigabyte.
        let at = inflated.windows(4).position(|w| w == b"stco").unwrap() - 4;
        inflated[at..at + 4].copy_from_slice(&0x4000_0000u32.to_be_bytes());
        assert!(checked(&inflated).unwrap_err().contains("'stco'"));
        let mut cut = mp4(&[]);
        cut.truncate(cut.len() - 10);
        assert_eq!(checked(&cut), Ok(()));
    }

    #[test]
    fn a_caf_packet_table_beyond_its_chunk_is_refused() {
        let caf = |packets: i64| {
            let mut out = b"caff\0\x01\0\0".to_vec();
            let mut pakt = packets.to_be_bytes().to_vec();
            pakt.extend_from_slice(&[0u8; 16]);
            pakt.extend_from_slice(&[1u8; 8]);
            out.extend_from_slice(b"pakt");
            out.extend_from_slice(&(pakt.len() as i64).to_be_bytes());
            out.extend(pakt);
            out
        };
        assert_eq!(checked(&caf(8)), Ok(()));
        assert!(checked(&caf(1 << 40)).unwrap_err().contains("packet table"));
    }
}

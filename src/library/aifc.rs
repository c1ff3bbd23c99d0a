//! The length of an IMA-ADPCM AIFF-C file (`ima4`, as Audacity and Apple write them). Its COMM
//! chunk counts packets of 64 frames, not frames, so a reader that divides that count by the rate
//! (lofty does) finds 1/64 of the length; no decoder here reads `ima4` to count frames instead.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Frames in one `ima4` packet; a packet takes 34 bytes per channel.
const FRAMES_PER_PACKET: u64 = 64;
const PACKET_BYTES: u64 = 34;
/// Chunks looked at before giving up (a real file has a handful).
const MAX_CHUNKS: usize = 64;

/// The length in ms, if `path` is an AIFF-C file holding `ima4` audio; from the size of its sound
/// data, which the file cannot misstate without being cut short.
pub fn ima4_duration_ms(path: &Path) -> Option<u64> {
    let mut file = File::open(path).ok()?;
    let file_len = file.metadata().ok()?.len();
    let mut head = [0u8; 12];
    file.read_exact(&mut head).ok()?;
    if &head[..4] != b"FORM" || &head[8..12] != b"AIFC" {
        return None;
    }
    let (mut channels, mut rate, mut sound_bytes) = (None, None, None);
    let mut at = 12u64;
    for _ in 0..MAX_CHUNKS {
        let mut chunk = [0u8; 8];
        file.seek(SeekFrom::Start(at)).ok()?;
        if file.read_exact(&mut chunk).is_err() {
            break;
        }
        let len = u64::from(u32::from_be_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]));
        match &chunk[..4] {
            b"COMM" => {
                let mut comm = [0u8; 22];
                file.read_exact(&mut comm).ok()?;
                if &comm[18..22] != b"ima4" {
                    return None;
                }
                channels = Some(u64::from(u16::from_be_bytes([comm[0], comm[1]])));
                rate = extended_to_f64(comm[8..18].try_into().ok()?);
            }
            // Offset and block size (8 bytes), then the packets; what the file holds of them.
            b"SSND" => {
                sound_bytes = Some(len.min(file_len.saturating_sub(at + 8)).saturating_sub(8))
            }
            _ => {}
        }
        at += 8 + len + (len & 1);
    }
    let (channels, rate, bytes) = (channels?, rate?, sound_bytes?);
    if channels == 0 || !(1.0..=1_000_000.0).contains(&rate) {
        return None;
    }
    let frames = bytes / (PACKET_BYTES * channels) * FRAMES_PER_PACKET;
    Some((frames as f64 * 1000.0 / rate).round() as u64)
}

/// An 80-bit IEEE 754 extended float (AIFF's sample rate), big-endian.
fn extended_to_f64(bytes: [u8; 10]) -> Option<f64> {
    let exponent = i32::from(u16::from_be_bytes([bytes[0], bytes[1]]) & 0x7FFF);
    let mantissa = u64::from_be_bytes(bytes[2..10].try_into().ok()?);
    if mantissa == 0 {
        return Some(0.0);
    }
    let value = mantissa as f64 * 2f64.powi(exponent - 16383 - 63);
    Some(if bytes[0] & 0x80 != 0 { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_floats_of_the_usual_rates() {
        // 44100 and 48000 as AIFF writes them.
        let r44 = [0x40, 0x0E, 0xAC, 0x44, 0, 0, 0, 0, 0, 0];
        let r48 = [0x40, 0x0E, 0xBB, 0x80, 0, 0, 0, 0, 0, 0];
        assert_eq!(extended_to_f64(r44), Some(44_100.0));
        assert_eq!(extended_to_f64(r48), Some(48_000.0));
    }

    #[test]
    fn an_ima4_file_is_measured_by_its_packets() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.aiff");
        let packets = 1000u32;
        let mut data = b"FORM\0\0\0\0AIFC".to_vec();
        data.extend(b"COMM");
        data.extend(24u32.to_be_bytes());
        data.extend(2u16.to_be_bytes()); // channels
        data.extend(packets.to_be_bytes());
        data.extend(16u16.to_be_bytes());
        data.extend([0x40, 0x0E, 0xAC, 0x44, 0, 0, 0, 0, 0, 0]);
        data.extend(b"ima4\0\0");
        let sound = 8 + packets * 34 * 2;
        data.extend(b"SSND");
        data.extend(sound.to_be_bytes());
        data.extend(vec![0u8; sound as usize]);
        std::fs::write(&path, &data).unwrap();
        let ms = |packets: f64| (packets * 64.0 * 1000.0 / 44_100.0_f64).round() as u64;
        assert_eq!(ima4_duration_ms(&path), Some(ms(1000.0)));
        // Cut short: only what is there counts.
        std::fs::write(&path, &data[..data.len() - 34 * 2 * 500]).unwrap();
        assert_eq!(ima4_duration_ms(&path), Some(ms(500.0)));
        // Plain AIFF is left to lofty.
        std::fs::write(&path, b"FORM\0\0\0\0AIFF").unwrap();
        assert_eq!(ima4_duration_ms(&path), None);
    }
}

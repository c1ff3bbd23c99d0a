//! Reads one audio file: the format is decided by probing its content (lofty's magic-byte probe, then
//! symphonia's), never by its extension. Tags come from lofty; files lofty cannot parse (CAF, WebM, …)
//! fall back to symphonia's metadata. Both readers can panic on malformed input, so callers run
//! [`read_track`] behind [`crate::library::isolate`].

use std::fs::File;
use std::path::Path;

use lofty::config::{ParseOptions, ParsingMode};
use lofty::file::{AudioFile, FileType, TaggedFile, TaggedFileExt};
use lofty::picture::{Picture, PictureType};
use lofty::probe::Probe;
use lofty::tag::{Accessor, ItemKey, Tag};
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::{MetadataOptions, StandardTagKey, Value};
use symphonia::core::probe::Hint;

use super::meta::{clean_text, TrackMeta};
use super::ScanError;
use crate::sandbox::WorkerCommand;

/// A successfully read file: its metadata and the bytes of its embedded front cover, if any.
pub struct ReadTrack {
    pub meta: TrackMeta,
    pub embedded_cover: Option<Vec<u8>>,
}

/// Reads tags and stream properties of `path`. Text fields left empty by the tags are filled later from
/// the path (see [`super::path_guess`]).
pub fn read_track(path: &Path) -> Result<ReadTrack, ScanError> {
    read_track_with(path, None)
}

/// As [`read_track`], with symphonia's probe run by `probe_worker` when there is one (see
/// [`super::probe_worker`]).
pub fn read_track_with(
    path: &Path,
    probe_worker: Option<&WorkerCommand>,
) -> Result<ReadTrack, ScanError> {
    let read_with_symphonia = |path: &Path| match probe_worker {
        Some(command) => super::probe_worker::probe(path, command),
        None => read_with_symphonia(path),
    };
    match read_with_lofty(path) {
        Ok(track) => Ok(track),
        // lofty took the file for a format it could then not parse (a CAF read as MPEG, for one):
        // symphonia's probe gets its turn. Its demuxers are safe to ask since the container bounds
        // check (`audio::bounds`) refuses headers that claim more than the file holds. If neither
        // reads it, lofty's reason is the one shown.
        Err(LoftyFailure::Parse(reason)) => read_with_symphonia(path).map_err(|err| match err {
            crashed @ ScanError::Panicked { .. } => crashed,
            _ => ScanError::Unreadable {
                path: path.to_owned(),
                reason,
            },
        }),
        // Formats lofty does not know (CAF, WebM/Matroska, …): symphonia's probe decides. Content
        // neither recognises is not audio, whatever its extension says.
        Err(LoftyFailure::Unrecognised) => read_with_symphonia(path).map_err(|err| match err {
            ScanError::Unreadable { .. } => ScanError::NotAudio {
                path: path.to_owned(),
            },
            other => other,
        }),
    }
}

enum LoftyFailure {
    /// lofty did not recognise the content as any format it knows.
    Unrecognised,
    /// lofty recognised the format but could not parse the file.
    Parse(String),
}

fn read_with_lofty(path: &Path) -> Result<ReadTrack, LoftyFailure> {
    let options = ParseOptions::new().parsing_mode(ParsingMode::Relaxed);
    let probe = Probe::open(path)
        .map_err(|e| LoftyFailure::Parse(e.to_string()))?
        .options(options)
        .guess_file_type()
        .map_err(|e| LoftyFailure::Parse(e.to_string()))?;
    let Some(file_type) = probe.file_type() else {
        return Err(LoftyFailure::Unrecognised);
    };
    let tagged = probe
        .read()
        .map_err(|e| LoftyFailure::Parse(format!("{file_type:?}: {e}")))?;
    let mut track = from_lofty(&tagged, file_type);
    if file_type == FileType::Mpeg {
        // Timed lyrics (SYLT) are not in lofty's generic tag: read from the ID3v2 tag itself.
        if let Some(timed) = super::lyrics::from_sylt(path) {
            track.meta.lyrics = Some(timed);
        }
    }
    if file_type == FileType::Aiff {
        if let Some(ms) = super::aifc::ima4_duration_ms(path) {
            track.meta.duration_ms = Some(ms);
        }
    }
    Ok(track)
}

fn from_lofty(tagged: &TaggedFile, file_type: FileType) -> ReadTrack {
    let props = tagged.properties();
    let mut meta = TrackMeta {
        codec: codec_name(file_type).to_owned(),
        duration_ms: Some(props.duration().as_millis() as u64).filter(|&ms| ms > 0),
        sample_rate: props.sample_rate().filter(|&r| r > 0),
        channels: props.channels().filter(|&c| c > 0),
        bitrate_kbps: props
            .audio_bitrate()
            .or(props.overall_bitrate())
            .filter(|&b| b > 0),
        ..Default::default()
    };
    let mut embedded_cover = None;
    // The primary tag first, then any other tag fills what it lacks.
    let mut tags: Vec<&Tag> = tagged.primary_tag().into_iter().collect();
    tags.extend(
        tagged
            .tags()
            .iter()
            .filter(|t| Some(t.tag_type()) != tagged.primary_tag().map(|p| p.tag_type())),
    );
    for tag in tags {
        fill_from_tag(&mut meta, tag);
        if meta.lyrics.is_none() {
            meta.lyrics = super::lyrics::from_tag(tag);
        }
        if embedded_cover.is_none() {
            embedded_cover = front_cover(tag.pictures()).map(|p| p.data().to_vec());
        }
    }
    ReadTrack {
        meta,
        embedded_cover,
    }
}

fn set_text(slot: &mut String, value: Option<std::borrow::Cow<'_, str>>) {
    if slot.is_empty() {
        if let Some(v) = value.and_then(|v| clean_text(&v)) {
            *slot = v;
        }
    }
}

fn set_opt(slot: &mut Option<String>, value: Option<&str>) {
    if slot.is_none() {
        *slot = value.and_then(clean_text);
    }
}

fn fill_from_tag(meta: &mut TrackMeta, tag: &Tag) {
    set_text(&mut meta.title, tag.title());
    set_text(&mut meta.artist, tag.artist());
    set_text(&mut meta.album, tag.album());
    set_opt(&mut meta.album_artist, tag.get_string(ItemKey::AlbumArtist));
    set_opt(&mut meta.genre, tag.genre().as_deref());
    set_opt(&mut meta.composer, tag.get_string(ItemKey::Composer));
    set_opt(&mut meta.comment, tag.comment().as_deref());
    meta.track_no = meta.track_no.or(tag.track());
    meta.track_total = meta.track_total.or(tag.track_total());
    meta.disc_no = meta.disc_no.or(tag.disk());
    meta.disc_total = meta.disc_total.or(tag.disk_total());
    if meta.year.is_none() {
        meta.year = [
            ItemKey::Year,
            ItemKey::RecordingDate,
            ItemKey::OriginalReleaseDate,
        ]
        .into_iter()
        .find_map(|key| tag.get_string(key).and_then(parse_year));
    }
    set_opt(
        &mut meta.mb_recording_id,
        tag.get_string(ItemKey::MusicBrainzRecordingId),
    );
    set_opt(
        &mut meta.mb_track_id,
        tag.get_string(ItemKey::MusicBrainzTrackId),
    );
    set_opt(
        &mut meta.mb_album_id,
        tag.get_string(ItemKey::MusicBrainzReleaseId),
    );
    set_opt(
        &mut meta.mb_artist_id,
        tag.get_string(ItemKey::MusicBrainzArtistId),
    );
    let gain = |key| tag.get_string(key).and_then(parse_gain);
    meta.rg_track_gain = meta.rg_track_gain.or(gain(ItemKey::ReplayGainTrackGain));
    meta.rg_track_peak = meta.rg_track_peak.or(gain(ItemKey::ReplayGainTrackPeak));
    meta.rg_album_gain = meta.rg_album_gain.or(gain(ItemKey::ReplayGainAlbumGain));
    meta.rg_album_peak = meta.rg_album_peak.or(gain(ItemKey::ReplayGainAlbumPeak));
}

fn front_cover(pictures: &[Picture]) -> Option<&Picture> {
    pictures
        .iter()
        .find(|p| p.pic_type() == PictureType::CoverFront)
        .or_else(|| pictures.first())
}

/// The first run of four digits in a date string: "2011", "2011-03-04", "03/2011".
pub fn parse_year(text: &str) -> Option<i32> {
    let bytes = text.as_bytes();
    bytes
        .windows(4)
        .position(|w| w.iter().all(u8::is_ascii_digit))
        .and_then(|at| text[at..at + 4].parse().ok())
        .filter(|y| (1000..=2999).contains(y))
}

/// "-6.5 dB", "+1.20 dB", "0.988" → number.
pub fn parse_gain(text: &str) -> Option<f64> {
    let trimmed = text.trim();
    let number = trimmed
        .strip_suffix("dB")
        .or_else(|| trimmed.strip_suffix("db"))
        .unwrap_or(trimmed)
        .trim();
    number.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn codec_name(file_type: FileType) -> &'static str {
    match file_type {
        FileType::Aac => "aac",
        FileType::Aiff => "aiff",
        FileType::Ape => "ape",
        FileType::Flac => "flac",
        FileType::Mpeg => "mp3",
        FileType::Mp4 => "mp4",
        FileType::Mpc => "mpc",
        FileType::Opus => "opus",
        FileType::Vorbis => "vorbis",
        FileType::Speex => "speex",
        FileType::Wav => "wav",
        FileType::WavPack => "wavpack",
        _ => "other",
    }
}

pub(super) fn read_with_symphonia(path: &Path) -> Result<ReadTrack, ScanError> {
    let unreadable = |reason: String| ScanError::Unreadable {
        path: path.to_owned(),
        reason,
    };
    crate::audio::bounds::check(path).map_err(unreadable)?;
    let file = File::open(path).map_err(|source| ScanError::Io {
        path: path.to_owned(),
        source,
    })?;
    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let mut probed = symphonia::default::get_probe()
        .format(
            &Hint::new(),
            stream,
            &FormatOptions::default(),
            &MetadataOptions::default(),
        )
        .map_err(|e| match e {
            symphonia::core::errors::Error::Unsupported(_) => ScanError::NotAudio {
                path: path.to_owned(),
            },
            other => unreadable(other.to_string()),
        })?;
    let track = probed
        .format
        .default_track()
        .ok_or_else(|| unreadable("no audio track".into()))?;
    let params = &track.codec_params;
    let codec = crate::audio::codecs()
        .get_codec(params.codec)
        .map(|d| d.short_name.to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    let duration_ms = match (params.n_frames, params.sample_rate) {
        (Some(frames), Some(rate)) if rate > 0 => Some(frames * 1000 / rate as u64),
        _ => None,
    };
    let mut meta = TrackMeta {
        codec,
        duration_ms,
        sample_rate: params.sample_rate,
        channels: params.channels.map(|c| c.count() as u8),
        ..Default::default()
    };
    let mut embedded_cover = None;
    let mut revisions = Vec::new();
    if let Some(rev) = probed.metadata.get().as_ref().and_then(|m| m.current()) {
        revisions.push(rev.clone());
    }
    if let Some(rev) = probed.format.metadata().current() {
        revisions.push(rev.clone());
    }
    for rev in &revisions {
        for tag in rev.tags() {
            let text = match &tag.value {
                Value::String(s) => clean_text(s),
                Value::Binary(b) => super::meta::clean_bytes(b),
                other => clean_text(&other.to_string()),
            };
            let Some(text) = text else { continue };
            let fill = |slot: &mut Option<String>| {
                if slot.is_none() {
                    *slot = Some(text.clone());
                }
            };
            match tag.std_key {
                Some(StandardTagKey::TrackTitle) if meta.title.is_empty() => meta.title = text,
                Some(StandardTagKey::Artist) if meta.artist.is_empty() => meta.artist = text,
                Some(StandardTagKey::Album) if meta.album.is_empty() => meta.album = text,
                Some(StandardTagKey::AlbumArtist) => fill(&mut meta.album_artist),
                Some(StandardTagKey::Genre) => fill(&mut meta.genre),
                Some(StandardTagKey::Composer) => fill(&mut meta.composer),
                Some(StandardTagKey::Comment) => fill(&mut meta.comment),
                Some(StandardTagKey::Date) if meta.year.is_none() => meta.year = parse_year(&text),
                Some(StandardTagKey::TrackNumber) if meta.track_no.is_none() => {
                    meta.track_no = leading_number(&text)
                }
                Some(StandardTagKey::DiscNumber) if meta.disc_no.is_none() => {
                    meta.disc_no = leading_number(&text)
                }
                _ => {}
            }
        }
        if embedded_cover.is_none() {
            embedded_cover = rev.visuals().first().map(|v| v.data.to_vec());
        }
    }
    Ok(ReadTrack {
        meta,
        embedded_cover,
    })
}

/// "3/12" → 3.
fn leading_number(text: &str) -> Option<u32> {
    let digits: String = text
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_from_dates() {
        assert_eq!(parse_year("2011-03-04"), Some(2011));
        assert_eq!(parse_year("03/1999"), Some(1999));
        assert_eq!(parse_year("n/a"), None);
        assert_eq!(parse_year("0000"), None);
    }

    #[test]
    fn replaygain_values() {
        assert_eq!(parse_gain("-6.50 dB"), Some(-6.5));
        assert_eq!(parse_gain("+1.2 dB"), Some(1.2));
        assert_eq!(parse_gain("0.988"), Some(0.988));
        assert_eq!(parse_gain("loud"), None);
    }

    #[test]
    fn track_numbers() {
        assert_eq!(leading_number("3/12"), Some(3));
        assert_eq!(leading_number("x"), None);
    }
}

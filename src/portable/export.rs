//! Writing what was learned into a folder (see the module above for the files).

use std::collections::HashMap;
use std::path::Path;

use rusqlite::Connection;
use serde::Serialize;

use super::*;
use crate::feedback::{self, Verdict as Kind};
use crate::library::browse::{tracks_by_ids, TrackRow};
use crate::playback::history;
use crate::playlists::{self, export::Format};

/// What an export wrote.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExportSummary {
    pub folder: String,
    pub plays: usize,
    pub likes: usize,
    pub hides: usize,
    pub exclusions: usize,
    pub playlists: usize,
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> PortableError + '_ {
    move |source| PortableError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Writes `text` to `path` whole or not at all.
fn write_whole(path: &Path, text: &[u8]) -> Result<(), PortableError> {
    let part = path.with_extension("partial");
    std::fs::write(&part, text).map_err(io_err(&part))?;
    std::fs::rename(&part, path).map_err(io_err(path))
}

fn track_ref(t: &TrackRow) -> TrackRef {
    TrackRef {
        path: t.path.clone(),
        artist: t.artist.clone(),
        title: t.title.clone(),
        album: t.album.clone(),
    }
}

/// A file name for a playlist that any file system takes.
fn file_name(id: i64, name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    format!("{id}-{safe}.xspf")
}

/// Writes the history, verdicts, exclusions, settings and playlists into `folder` (created if
/// needed; files of an earlier export there are replaced).
pub fn export(conn: &Connection, folder: &Path) -> Result<ExportSummary, PortableError> {
    let lists_dir = folder.join(PLAYLISTS_DIR);
    std::fs::create_dir_all(&lists_dir).map_err(io_err(&lists_dir))?;

    let plays = history::all_plays(conn)?;
    let verdicts = feedback::verdicts(conn)?;
    let mut ids: Vec<i64> = plays.iter().map(|p| p.track_id).collect();
    ids.extend(verdicts.iter().map(|v| v.0));
    ids.sort_unstable();
    ids.dedup();
    let tracks: HashMap<i64, TrackRow> = tracks_by_ids(conn, &ids)?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();

    let mut listens = String::new();
    let mut written_plays = 0;
    for play in &plays {
        let Some(track) = tracks.get(&play.track_id) else {
            continue;
        };
        let listen = Listen {
            listened_at: play.started_at,
            track_metadata: ListenMetadata {
                artist_name: track.artist.clone(),
                track_name: track.title.clone(),
                release_name: track.album.clone(),
                additional_info: ListenInfo {
                    duration_ms: play.duration_ms,
                    submission_client: "Sonare".into(),
                    sonare: PlayFacts {
                        path: track.path.clone(),
                        ended_at: play.ended_at,
                        position_ms: play.position_ms,
                        heard_ms: play.heard_ms,
                        end_reason: play.end_reason.clone(),
                        context: play.context.clone(),
                        source: play.source.clone(),
                        error: play.error.clone(),
                    },
                },
            },
        };
        listens.push_str(&serde_json::to_string(&listen).expect("a listen serialises"));
        listens.push('\n');
        written_plays += 1;
    }
    write_whole(&folder.join(LISTENS_FILE), listens.as_bytes())?;

    let verdicts: Vec<Verdict> = verdicts
        .iter()
        .filter_map(|&(id, kind, at)| {
            Some(Verdict {
                kind: match kind {
                    Kind::Like => "like",
                    Kind::Hide => "hide",
                }
                .into(),
                at,
                track: track_ref(tracks.get(&id)?),
            })
        })
        .collect();

    let mut saved = Vec::new();
    for summary in playlists::list(conn)? {
        let playlist = playlists::show(conn, summary.id)?;
        let path = lists_dir.join(file_name(summary.id, &summary.name));
        playlists::export::write(&playlist, &path, Format::Xspf).map_err(|e| {
            PortableError::Io {
                path: e.path,
                source: e.source,
            }
        })?;
        saved.push(SavedPlaylist {
            id: summary.id,
            name: summary.name.clone(),
            entries: playlist
                .entries
                .iter()
                .map(|e| PlaylistEntry {
                    path: e
                        .track
                        .as_ref()
                        .map(|t| t.path.clone())
                        .or(e.location.clone()),
                    artist: e.artist.clone(),
                    title: e.title.clone(),
                })
                .collect(),
        });
    }

    let settings = match serde_json::to_value(crate::settings::load(conn)?) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let exclusions: Vec<ExcludedName> = crate::exclusions::list(conn)?
        .into_iter()
        .map(|e| ExcludedName {
            kind: e.kind,
            label: e.label,
        })
        .collect();
    let learned = Learned {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: crate::db::now_unix(),
        verdicts,
        exclusions,
        settings,
        playlists: saved,
    };
    let summary = ExportSummary {
        folder: folder.display().to_string(),
        plays: written_plays,
        likes: learned.verdicts.iter().filter(|v| v.kind == "like").count(),
        hides: learned.verdicts.iter().filter(|v| v.kind == "hide").count(),
        exclusions: learned.exclusions.len(),
        playlists: learned.playlists.len(),
    };
    let text = serde_json::to_vec_pretty(&learned).expect("what was learned serialises");
    write_whole(&folder.join(LEARNED_FILE), &text)?;
    Ok(summary)
}

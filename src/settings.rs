//! The listener's settings: what the Settings view and `sonare settings` change, stored in the
//! database (one row per changed key, the value as JSON) so the app and the command line read the
//! same. A key with no row has its default; a stored value this build cannot read (an older or newer
//! build wrote it, or it was edited by hand) falls back to the default with a warning instead of
//! breaking the start.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::db::now_unix;

/// How loud each track plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalisation {
    /// As the file is.
    Off,
    /// Every track at the same loudness: its ReplayGain track gain, else its analysed loudness.
    Track,
    /// Every album at the same loudness, its tracks keeping their levels relative to one another
    /// (a quiet intro stays quiet): the album gain, else the album's analysed loudness.
    Album,
}

/// When the background analysis steps aside for playback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnalysisPause {
    /// It runs whatever plays (at the lowest CPU priority).
    Never,
    /// It pauses while music plays and the machine runs on battery.
    OnBattery,
    /// It pauses whenever music plays.
    WhilePlaying,
}

impl AnalysisPause {
    /// Whether the analysis should wait now.
    pub fn holds(self, playing: bool, on_battery: bool) -> bool {
        match self {
            AnalysisPause::Never => false,
            AnalysisPause::OnBattery => playing && on_battery,
            AnalysisPause::WhilePlaying => playing,
        }
    }
}

/// Every setting, with its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Pick up new, changed and deleted files in the library folders while the app runs.
    pub watch_folders: bool,
    /// Volume normalisation.
    pub normalisation: Normalisation,
    /// Seconds the end of a track and the start of the next overlap (0: off, they join gaplessly;
    /// tracks of one album always join gaplessly).
    pub crossfade_seconds: u32,
    /// The output device by name (`None`: the system's default).
    pub output_device: Option<String>,
    /// Threads the background analysis may use (0: one per core).
    pub analysis_threads: usize,
    pub analysis_pause: AnalysisPause,
    /// Tracks played in the last this many days are not offered again by Discover Daily.
    pub fresh_days: u32,
    /// Tracks in a Discover Daily list.
    pub discover_size: usize,
    /// The language of the window, as a language tag (`ko`, `en`); `None`: the system's.
    pub language: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        let discover = crate::discover::engine::Options::default();
        Settings {
            watch_folders: true,
            normalisation: Normalisation::Track,
            crossfade_seconds: 0,
            output_device: None,
            analysis_threads: 0,
            analysis_pause: AnalysisPause::Never,
            fresh_days: discover.fresh_days,
            discover_size: discover.size,
            language: None,
        }
    }
}

/// Longest freshness window (a year): longer would leave a small library nothing to offer.
pub const MAX_FRESH_DAYS: u32 = 365;
/// Longest Discover Daily list the settings allow.
pub const MAX_DISCOVER_SIZE: usize = 200;
/// Longest crossfade the settings allow.
pub const MAX_CROSSFADE_SECONDS: u32 = 12;
/// Most analysis threads the settings allow.
pub const MAX_ANALYSIS_THREADS: usize = 64;

/// One setting as `sonare settings` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Described {
    pub key: String,
    pub value: Value,
    pub default: Value,
    pub about: &'static str,
}

/// What each key means (the CLI's help and `settings list`).
const ABOUT: &[(&str, &str)] = &[
    (
        "watch_folders",
        "true | false: pick up changes in the library folders while the app runs",
    ),
    ("normalisation", "off | track | album: volume normalisation"),
    (
        "crossfade_seconds",
        "0-12: seconds the next track fades in over the end of the last, 0 = off (gapless)",
    ),
    (
        "output_device",
        "a device name from `sonare devices`, or null for the system's default",
    ),
    (
        "analysis_threads",
        "threads for the background analysis, 0 = one per core",
    ),
    (
        "analysis_pause",
        "never | on_battery | while_playing: when the analysis waits for playback",
    ),
    (
        "fresh_days",
        "days a played track stays out of Discover Daily (0-365)",
    ),
    ("discover_size", "tracks in a Discover Daily list (1-200)"),
    (
        "language",
        "a language tag (en, ko) for the window, or null for the system's language",
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("no setting {key:?}; the settings are: {}", keys().join(", "))]
    UnknownKey { key: String },
    #[error("setting {key}: {reason}")]
    BadValue { key: String, reason: String },
    #[error("settings: {0}")]
    Sql(#[from] rusqlite::Error),
}

/// Every key, in the order the settings are listed.
pub fn keys() -> Vec<&'static str> {
    ABOUT.iter().map(|(key, _)| *key).collect()
}

fn defaults_object() -> Map<String, Value> {
    match serde_json::to_value(Settings::default()) {
        Ok(Value::Object(map)) => map,
        _ => unreachable!("Settings serialises as an object"),
    }
}

impl Settings {
    /// Checks the ranges serde cannot.
    fn validate(&self) -> Result<(), SettingsError> {
        let bad = |key: &str, reason: String| {
            Err(SettingsError::BadValue {
                key: key.into(),
                reason,
            })
        };
        if self.fresh_days > MAX_FRESH_DAYS {
            return bad("fresh_days", format!("at most {MAX_FRESH_DAYS} days"));
        }
        if !(1..=MAX_DISCOVER_SIZE).contains(&self.discover_size) {
            return bad("discover_size", format!("from 1 to {MAX_DISCOVER_SIZE}"));
        }
        if self.crossfade_seconds > MAX_CROSSFADE_SECONDS {
            return bad(
                "crossfade_seconds",
                format!("at most {MAX_CROSSFADE_SECONDS} seconds"),
            );
        }
        if self.analysis_threads > MAX_ANALYSIS_THREADS {
            return bad(
                "analysis_threads",
                format!("at most {MAX_ANALYSIS_THREADS}"),
            );
        }
        if self
            .output_device
            .as_deref()
            .is_some_and(|d| d.trim().is_empty() || d.len() > 512)
        {
            return bad("output_device", "a device name, or null".into());
        }
        let is_tag = |t: &str| {
            (2..=35).contains(&t.len())
                && t.split('-').all(|part| {
                    !part.is_empty()
                        && part.len() <= 8
                        && part.chars().all(|c| c.is_ascii_alphanumeric())
                })
        };
        if self.language.as_deref().is_some_and(|t| !is_tag(t)) {
            return bad(
                "language",
                "a language tag such as en or ko, or null".into(),
            );
        }
        Ok(())
    }

    /// Threads the analysis runs on.
    pub fn analysis_threads(&self) -> usize {
        match self.analysis_threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }
}

/// The settings as stored (defaults for what is not).
pub fn load(conn: &Connection) -> rusqlite::Result<Settings> {
    let mut object = defaults_object();
    let mut stmt = conn.prepare("SELECT key, value FROM settings")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (key, text) = row?;
        let Some(default) = object.get(&key).cloned() else {
            log::warn!("settings: ignoring unknown stored key {key:?}");
            continue;
        };
        let value = serde_json::from_str::<Value>(&text).unwrap_or(Value::Null);
        object.insert(key.clone(), value);
        if parse(&object).is_err() {
            log::warn!("settings: stored {key} = {text} is not valid here; using the default");
            object.insert(key, default);
        }
    }
    Ok(parse(&object).unwrap_or_default())
}

fn parse(object: &Map<String, Value>) -> Result<Settings, String> {
    let settings: Settings =
        serde_json::from_value(Value::Object(object.clone())).map_err(|e| e.to_string())?;
    settings.validate().map_err(|e| e.to_string())?;
    Ok(settings)
}

/// Sets `key` to `value` (checked against the setting's type and range) and returns the settings.
pub fn set(conn: &Connection, key: &str, value: Value) -> Result<Settings, SettingsError> {
    let mut object = defaults_object();
    if !object.contains_key(key) {
        return Err(SettingsError::UnknownKey { key: key.into() });
    }
    let current = serde_json::to_value(load(conn)?).unwrap_or(Value::Null);
    if let Value::Object(current) = current {
        object = current;
    }
    object.insert(key.into(), value.clone());
    let settings: Settings =
        serde_json::from_value(Value::Object(object)).map_err(|e| SettingsError::BadValue {
            key: key.into(),
            reason: e.to_string(),
        })?;
    settings.validate()?;
    conn.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        params![key, value.to_string(), now_unix()],
    )?;
    Ok(settings)
}

/// Sets `key` from text as typed on a command line: JSON when it reads as JSON (`true`, `4`,
/// `null`), else the text itself (`album`, a device name).
pub fn set_text(conn: &Connection, key: &str, text: &str) -> Result<Settings, SettingsError> {
    set(conn, key, value_from_text(text))
}

/// A value as typed on a command line: JSON when it reads as JSON, else the text as a string.
pub fn value_from_text(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.into()))
}

/// Puts `key` back to its default.
pub fn reset(conn: &Connection, key: &str) -> Result<Settings, SettingsError> {
    if !defaults_object().contains_key(key) {
        return Err(SettingsError::UnknownKey { key: key.into() });
    }
    conn.execute("DELETE FROM settings WHERE key = ?1", [key])?;
    Ok(load(conn)?)
}

/// Every setting with its value, default and meaning.
pub fn describe(settings: &Settings) -> Vec<Described> {
    let values = match serde_json::to_value(settings) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let defaults = defaults_object();
    ABOUT
        .iter()
        .map(|(key, about)| Described {
            key: (*key).into(),
            value: values.get(*key).cloned().unwrap_or(Value::Null),
            default: defaults.get(*key).cloned().unwrap_or(Value::Null),
            about,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open(&dir.path().join("s.sqlite3")).unwrap();
        (dir, conn)
    }

    #[test]
    fn every_key_is_described_and_defaults_hold_without_rows() {
        let described: Vec<String> = describe(&Settings::default())
            .into_iter()
            .map(|d| d.key)
            .collect();
        let mut object_keys: Vec<String> = defaults_object().keys().cloned().collect();
        object_keys.sort();
        let mut sorted = described.clone();
        sorted.sort();
        assert_eq!(sorted, object_keys);
        let (_dir, conn) = db();
        assert_eq!(load(&conn).unwrap(), Settings::default());
    }

    #[test]
    fn values_are_checked_kept_and_reset() {
        let (_dir, conn) = db();
        let s = set_text(&conn, "normalisation", "album").unwrap();
        assert_eq!(s.normalisation, Normalisation::Album);
        set_text(&conn, "discover_size", "50").unwrap();
        set_text(&conn, "output_device", "USB DAC").unwrap();
        let s = load(&conn).unwrap();
        assert_eq!(
            (s.normalisation, s.discover_size),
            (Normalisation::Album, 50)
        );
        assert_eq!(s.output_device.as_deref(), Some("USB DAC"));

        let err = set_text(&conn, "discover_size", "0").unwrap_err();
        assert!(err.to_string().contains("discover_size"), "{err}");
        let err = set_text(&conn, "normalisation", "loud").unwrap_err();
        assert!(err.to_string().contains("normalisation"), "{err}");
        let err = set_text(&conn, "volume_boost", "1").unwrap_err();
        assert!(err.to_string().contains("watch_folders"), "{err}");
        // A refused value leaves what was stored.
        assert_eq!(load(&conn).unwrap().discover_size, 50);

        let s = reset(&conn, "discover_size").unwrap();
        assert_eq!(s.discover_size, Settings::default().discover_size);
        assert_eq!(s.normalisation, Normalisation::Album);
    }

    #[test]
    fn a_stored_value_this_build_cannot_read_falls_back_to_its_default() {
        let (_dir, conn) = db();
        set_text(&conn, "fresh_days", "7").unwrap();
        conn.execute_batch(
            "INSERT INTO settings VALUES ('normalisation', '\"loudest\"', 0);
             INSERT INTO settings VALUES ('from_the_future', '1', 0);",
        )
        .unwrap();
        let s = load(&conn).unwrap();
        assert_eq!(s.normalisation, Normalisation::Track);
        assert_eq!(s.fresh_days, 7);
    }

    #[test]
    fn the_analysis_waits_only_when_asked_to() {
        use AnalysisPause::*;
        assert!(!Never.holds(true, true));
        assert!(OnBattery.holds(true, true));
        assert!(!OnBattery.holds(true, false));
        assert!(!OnBattery.holds(false, true));
        assert!(WhilePlaying.holds(true, false));
        assert!(!WhilePlaying.holds(false, false));
    }
}

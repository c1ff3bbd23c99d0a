//! `sonare settings`, `sonare backup`, `sonare export` and `sonare restore`: the settings the app's
//! Settings view changes (the same rows), a consistent copy of the database, and what was learned
//! written out to move to another machine and read back there.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use clap::Subcommand;
use sonare::app::Sonare;

#[derive(Subcommand)]
pub enum SettingsCommand {
    /// Every setting with its value, default and meaning.
    List {
        #[arg(long)]
        json: bool,
    },
    /// One setting's value (as JSON).
    Get { key: String },
    /// Change a setting: VALUE is JSON (true, 4, null) or plain text (album, a device name).
    Set { key: String, value: String },
    /// Put a setting back to its default.
    Reset { key: String },
}

pub fn settings(
    app: &Sonare,
    command: Option<SettingsCommand>,
    out: &mut impl Write,
) -> Result<()> {
    let command = command.unwrap_or(SettingsCommand::List { json: false });
    match command {
        SettingsCommand::List { json } => {
            let all = sonare::settings::describe(&app.settings()?);
            if json {
                writeln!(out, "{}", serde_json::to_string(&all)?)?;
            } else {
                for d in all {
                    writeln!(out, "{} = {}\t({})", d.key, d.value, d.about)?;
                }
            }
        }
        SettingsCommand::Get { key } => {
            let all = sonare::settings::describe(&app.settings()?);
            let found = all
                .iter()
                .find(|d| d.key == key)
                .ok_or(sonare::settings::SettingsError::UnknownKey { key })?;
            writeln!(out, "{}", found.value)?;
        }
        SettingsCommand::Set { key, value } => {
            app.set_setting(&key, sonare::settings::value_from_text(&value))?;
        }
        SettingsCommand::Reset { key } => {
            app.reset_setting(&key)?;
        }
    }
    Ok(())
}

pub fn backup(app: &Sonare, file: &Path, json: bool, out: &mut impl Write) -> Result<()> {
    let report = app.backup(file)?;
    if json {
        writeln!(out, "{}", serde_json::to_string(&report)?)?;
    } else {
        writeln!(
            out,
            "Backed up the library to {} ({} bytes, {:.1} s)",
            report.path, report.bytes, report.seconds
        )?;
    }
    Ok(())
}

pub fn export(app: &Sonare, folder: &Path, json: bool, out: &mut impl Write) -> Result<()> {
    let s = app.export_learned(folder)?;
    if json {
        writeln!(out, "{}", serde_json::to_string(&s)?)?;
    } else {
        writeln!(
            out,
            "Exported {} plays, {} likes, {} hides, {} exclusions and {} playlists to {}",
            s.plays, s.likes, s.hides, s.exclusions, s.playlists, s.folder
        )?;
    }
    Ok(())
}

pub fn restore(app: &Sonare, folder: &Path, json: bool, out: &mut impl Write) -> Result<()> {
    let r = app.restore_learned(folder)?;
    if json {
        writeln!(out, "{}", serde_json::to_string(&r)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "Restored {} plays ({} already here, {} of songs not in this library), {} likes and hides \
         ({} not found), {} exclusions, {} settings, {} playlists ({} already here)",
        r.plays_added,
        r.plays_already_there,
        r.plays_unmatched,
        r.verdicts,
        r.verdicts_unmatched,
        r.exclusions,
        r.settings,
        r.playlists_added,
        r.playlists_already_there
    )?;
    for refused in &r.settings_refused {
        writeln!(out, "  setting not restored: {refused}")?;
    }
    for skipped in &r.skipped_lines {
        writeln!(
            out,
            "  {}:{}: {}",
            folder.join(sonare::portable::LISTENS_FILE).display(),
            skipped.line,
            skipped.reason
        )?;
    }
    Ok(())
}

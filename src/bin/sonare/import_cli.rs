//! `sonare import history|shared FILE... --format F`: the importers, one report per file.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Subcommand;
use sonare::cf::import::{self, HistoryFormat, ImportReport, SharedFormat};

#[derive(Subcommand)]
pub enum ImportCommand {
    /// The listener's own past: streaming-service exports, scrobble logs, playlists.
    History {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum)]
        format: HistoryFormat,
        /// One JSON report per file, one per line.
        #[arg(long)]
        json: bool,
    },
    /// Other listeners' co-listening data, or item factors trained elsewhere.
    Shared {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum)]
        format: SharedFormat,
        #[arg(long)]
        json: bool,
    },
}

fn print(report: &ImportReport, json: bool, out: &mut impl Write) -> Result<()> {
    if json {
        writeln!(out, "{}", serde_json::to_string(report)?)?;
        return Ok(());
    }
    if report.already_imported {
        writeln!(out, "{}: already imported, nothing changed", report.path)?;
        return Ok(());
    }
    writeln!(
        out,
        "{}: {} read, {} imported, {} skipped; {} of {} items in the library ({:.1} %) in {:.1} s",
        report.path,
        report.read,
        report.imported,
        report.skipped,
        report.matched,
        report.items,
        report.match_rate * 100.0,
        report.seconds
    )?;
    for s in &report.skipped_lines {
        writeln!(out, "  skipped {}: {}", s.at, s.reason)?;
    }
    if report.skipped > report.skipped_lines.len() as u64 {
        writeln!(
            out,
            "  … and {} more",
            report.skipped - report.skipped_lines.len() as u64
        )?;
    }
    Ok(())
}

pub fn run(
    command: ImportCommand,
    conn: &mut rusqlite::Connection,
    out: &mut impl Write,
) -> Result<()> {
    let (files, json) = match &command {
        ImportCommand::History { files, json, .. } | ImportCommand::Shared { files, json, .. } => {
            (files.clone(), *json)
        }
    };
    let mut failed = 0;
    for file in &files {
        let result = match &command {
            ImportCommand::History { format, .. } => import::import_history(conn, file, *format),
            ImportCommand::Shared { format, .. } => import::import_shared(conn, file, *format),
        };
        match result {
            Ok(report) => print(&report, json, out)?,
            Err(e) => {
                eprintln!("sonare: {e}");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        bail!("{failed} of {} files could not be imported", files.len());
    }
    Ok(())
}

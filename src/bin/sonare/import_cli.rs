//! `sonare import history|shared FILE... --format F`: the importers, one report per file.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Subcommand;
use std::sync::Arc;

use sonare::app::{ImportKind, ImportRequest, Sonare};
use sonare::cf::import::{HistoryFormat, ImportReport, SharedFormat};
use sonare::jobs::JobControl;

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

pub fn run(app: &Sonare, command: ImportCommand, out: &mut impl Write) -> Result<()> {
    let (files, kind, json) = match command {
        ImportCommand::History {
            files,
            format,
            json,
        } => (files, ImportKind::History(format), json),
        ImportCommand::Shared {
            files,
            format,
            json,
        } => (files, ImportKind::Shared(format), json),
    };
    let request = ImportRequest { files, kind };
    let outcome = app.import_and_model(
        &request,
        &Arc::new(JobControl::default()),
        |_| {},
        |p| {
            if let (false, Some(current)) = (json, &p.current) {
                eprintln!("choosing the model [{}/{}]: {current}", p.done + 1, p.total);
            }
        },
    )?;
    for report in &outcome.reports {
        print(report, json, out)?;
    }
    match &outcome.tuning {
        Some(tuning) if json => writeln!(out, "{}", serde_json::to_string(tuning)?)?,
        Some(sonare::app::TuneOutcome::Tuned(t)) => crate::cf_cli::print_tuned(t, false, out)?,
        Some(sonare::app::TuneOutcome::Default { model, reason }) => {
            writeln!(out, "{reason}: using {model}")?
        }
        _ => {}
    }
    for error in &outcome.errors {
        eprintln!("sonare: {error}");
    }
    if !outcome.errors.is_empty() {
        bail!(
            "{} of {} files could not be imported",
            outcome.errors.len(),
            request.files.len()
        );
    }
    Ok(())
}

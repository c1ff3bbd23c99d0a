//! Finding by words, artists alike by text, and recommendations by co-listening ("for you"), and
//! the text/co-listening agreement check.

use std::io::Write;

use anyhow::Result;
use clap::Subcommand;
use sonare::app::Sonare;

#[derive(Subcommand)]
pub enum TasteCommand {
    /// Library tracks the listener has not played, by co-listening evidence, with the reason.
    ForMe {
        #[arg(long, default_value_t = 20)]
        k: usize,
        #[arg(long)]
        json: bool,
    },
    /// How far text similarity of the shared data's artists agrees with co-listening similarity.
    TextAgreement {
        #[arg(long, default_value_t = 10)]
        k: usize,
    },
}

/// `sonare embed`: the library's texts through the sentence model.
pub fn embed(app: &Sonare, json: bool, out: &mut impl Write) -> Result<()> {
    let control = sonare::jobs::JobControl::default();
    let summary = app.embed_texts(&control, |_| {})?;
    if json {
        writeln!(out, "{}", serde_json::to_string(&summary)?)?;
        return Ok(());
    }
    if let Some(why) = &summary.unavailable {
        anyhow::bail!("{why}");
    }
    writeln!(
        out,
        "embedded {} track texts in {:.1} s ({} already current)",
        summary.embedded, summary.seconds, summary.current
    )?;
    Ok(())
}

/// `sonare find QUERY`: tracks ranked by words and meaning together.
pub fn find(app: &Sonare, query: &str, k: usize, json: bool, out: &mut impl Write) -> Result<()> {
    for hit in app.find(query, k)? {
        let (row, score) = (&hit.track, hit.score);
        if json {
            let line = serde_json::json!({"id": row.id, "score": score, "title": row.title, "artist": row.artist, "album": row.album, "path": row.path});
            writeln!(out, "{line}")?;
        } else {
            writeln!(
                out,
                "{}\t{score:.3}\t{} — {}",
                row.id, row.artist, row.title
            )?;
        }
    }
    Ok(())
}

/// `sonare artists-like NAME`: artists of the library closest by text profile.
pub fn artists_like(
    app: &Sonare,
    name: &str,
    k: usize,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    for (artist, score) in app.artists_like(name, k)? {
        if json {
            let line = serde_json::json!({"artist": artist, "similarity": score});
            writeln!(out, "{line}")?;
        } else {
            writeln!(out, "{score:.3}\t{artist}")?;
        }
    }
    Ok(())
}

pub fn taste(app: &Sonare, command: TasteCommand, out: &mut impl Write) -> Result<()> {
    match command {
        TasteCommand::ForMe { k, json } => for_me(app, k, json, out),
        TasteCommand::TextAgreement { k } => {
            let a = sonare::text::agreement::artist_agreement(&app.db(), k)?;
            writeln!(out, "{}", serde_json::to_string(&a)?)?;
            Ok(())
        }
    }
}

/// `sonare taste for-me`: library tracks the listener has not played, by co-listening evidence.
fn for_me(app: &Sonare, k: usize, json: bool, out: &mut impl Write) -> Result<()> {
    if !json {
        let conn = app.connection()?;
        match app.shared_model(&conn)? {
            Some(m) => writeln!(out, "# model: {}", m.name)?,
            None => writeln!(out, "# no shared data imported: session co-occurrence only")?,
        }
    }
    for s in app.for_you(k)? {
        if json {
            let value = serde_json::json!({
                "track_id": s.track.id, "cf": s.cf, "session": s.session, "because": s.because,
                "title": s.track.title, "artist": s.track.artist,
            });
            writeln!(out, "{value}")?;
        } else {
            writeln!(
                out,
                "{}\tcf {:.3}\tsession {:.3}\t{} — {}\tbecause you played {}",
                s.track.id,
                s.cf,
                s.session,
                s.track.artist,
                s.track.title,
                s.because.as_deref().unwrap_or("—")
            )?;
        }
    }
    Ok(())
}

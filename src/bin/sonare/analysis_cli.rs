//! The analysis commands: analyse the library, show a track's analysis, tracks that sound alike.

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result};
use sonare::analysis::job::JobOptions;
use sonare::app::Sonare;
use sonare::jobs::JobControl;
use sonare::library::browse;

/// Analyses pending tracks one by one, storing each result as it goes (an interrupted run resumes).
pub fn analyze(app: &Sonare, json: bool, options: &JobOptions, out: &mut impl Write) -> Result<()> {
    let show_progress = !json && std::io::stderr().is_terminal();
    let summary = app.analyse(options, &JobControl::default(), |p| {
        if show_progress {
            let (done, total) = (p.progress.done, p.progress.total);
            eprint!("\ranalysed {done}/{total} ({} failed)   ", p.failed);
        }
    })?;
    if show_progress {
        eprintln!();
    }
    if let Some(why) = &summary.cnn_unavailable {
        eprintln!(
            "sonare: audio CNN unavailable, analysed tempo, metre, key and loudness only: {why} \
             (fix: scripts/fetch_onnxruntime.sh {})",
            app.data().runtime().display()
        );
    }
    for failure in &summary.failed {
        eprintln!("sonare: track {}: {}", failure.track_id, failure.reason);
    }
    if json {
        writeln!(out, "{}", serde_json::to_string(&summary)?)?;
    } else {
        writeln!(
            out,
            "analysed {}, up to date {}, failed {}, remaining {} in {:.1} s ({:.0} s of audio, version {})",
            summary.analysed,
            summary.up_to_date,
            summary.failed.len(),
            summary.remaining,
            summary.seconds,
            summary.audio_seconds,
            summary.version
        )?;
    }
    Ok(())
}
pub fn show_track(app: &Sonare, track_id: i64, json: bool, out: &mut impl Write) -> Result<()> {
    let conn = app.db();
    let track = browse::track_by_id(&conn, track_id)?
        .with_context(|| format!("no track with id {track_id}"))?;
    let analysis = sonare::analysis::store::get(&conn, track_id)?;
    let labels = sonare::analysis::cnn::tag_labels();
    let top_tags = analysis
        .as_ref()
        .map(|a| sonare::analysis::cnn::top_tags(&a.tags, 5))
        .unwrap_or_default();
    let mode = |a: &sonare::analysis::store::StoredAnalysis| {
        a.key
            .as_deref()
            .and_then(|k| k.split_once(' '))
            .map(|(_, m)| m.to_owned())
    };
    if json {
        let value = serde_json::json!({
            "track": track,
            "analysis": analysis.as_ref().map(|a| serde_json::json!({
                "version": a.version,
                "model": a.version.split_once('+').map(|(_, m)| m),
                "error": a.error,
                "tempo_bpm": a.tempo_bpm,
                "tempo_confidence": a.tempo_confidence,
                "key": a.key,
                "mode": mode(a),
                "camelot": a.camelot,
                "key_confidence": a.key_confidence,
                "metre": a.metre,
                "metre_confidence": a.metre_confidence,
                "metre_confident": a.metre_confident,
                "loudness_lufs": a.loudness_lufs,
                "loudness_range_lu": a.loudness_range_lu,
                "sample_peak": a.sample_peak,
                "tags": labels.iter().zip(&a.tags).map(|(l, p)| (l.clone(), serde_json::json!(p))).collect::<serde_json::Map<_, _>>(),
                "top_tags": top_tags,
                "embedding_dim": a.embedding.len(),
                "patches": a.patches,
            })),
        });
        writeln!(out, "{value}")?;
        return Ok(());
    }
    writeln!(out, "{} — {} ({})", track.artist, track.title, track.album)?;
    writeln!(out, "{}", track.path)?;
    match &analysis {
        None => writeln!(out, "not analysed yet (run `sonare analyze`)")?,
        Some(a) if a.error.is_some() => writeln!(
            out,
            "analysis failed: {}",
            a.error.as_deref().unwrap_or_default()
        )?,
        Some(a) => {
            let opt = |v: Option<f64>, unit: &str| {
                v.map(|v| format!("{v:.1} {unit}"))
                    .unwrap_or_else(|| "?".into())
            };
            writeln!(out, "tempo     {}", opt(a.tempo_bpm, "BPM"))?;
            writeln!(
                out,
                "key       {} {}",
                a.key.as_deref().unwrap_or("?"),
                a.camelot.as_deref().unwrap_or("")
            )?;
            let metre = match (&a.metre, a.metre_confident) {
                (Some(m), true) => m.clone(),
                (Some(m), false) => format!("not clear (perhaps {m})"),
                (None, _) => "not clear".to_owned(),
            };
            writeln!(out, "metre     {metre}")?;
            writeln!(
                out,
                "loudness  {}, range {}",
                opt(a.loudness_lufs, "LUFS"),
                opt(a.loudness_range_lu, "LU")
            )?;
            let tags: Vec<String> = top_tags
                .iter()
                .map(|(t, p)| format!("{t} {:.0}%", p * 100.0))
                .collect();
            writeln!(out, "tags      {}", tags.join(", "))?;
            writeln!(out, "analysis  {}", a.version)?;
        }
    }
    Ok(())
}
/// `sonare similar TRACK_ID`: "more like this sound".
pub fn similar(
    app: &Sonare,
    track_id: i64,
    k: usize,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    for s in app.similar(track_id, k)? {
        let row = &s.track;
        if json {
            let line = serde_json::json!({"id": row.id, "similarity": s.similarity, "title": row.title, "artist": row.artist, "path": row.path});
            writeln!(out, "{line}")?;
        } else {
            writeln!(
                out,
                "{}\t{:.3}\t{} — {}",
                row.id, s.similarity, row.artist, row.title
            )?;
        }
    }
    Ok(())
}

/// `sonare decode FILE…`: each file through the player's decoder to its end.
pub fn decode(files: &[std::path::PathBuf], out: &mut impl Write) -> Result<()> {
    for file in files {
        let mut frames = 0u64;
        let result = sonare::audio::TrackDecoder::open(file).and_then(|mut decoder| {
            let channels = decoder.channels().max(1) as u64;
            let mut buffer = Vec::new();
            while decoder.next_chunk(&mut buffer)? {
                frames += buffer.len() as u64 / channels;
                buffer.clear();
            }
            Ok(())
        });
        let error = result.err().map(|e| e.to_string());
        let line = serde_json::json!({"path": file, "frames": frames, "error": error});
        writeln!(out, "{line}")?;
    }
    Ok(())
}

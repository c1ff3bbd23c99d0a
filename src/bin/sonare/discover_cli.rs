//! The Discover Daily commands: the day's list (with per-model scores, reasons and the blend's
//! weights), feedback, and the offline evaluation that replays a listening log.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use sonare::app::{DiscoverRequest, Sonare};
use sonare::discover::{self, blend::Blend, blend::FEATURES, engine::Options, replay, DailyList};

#[derive(Args)]
pub struct DiscoverArgs {
    /// The local day (YYYY-MM-DD); default today.
    #[arg(long)]
    date: Option<String>,
    /// Tracks in the list (a stored list of another size is regenerated).
    #[arg(long)]
    size: Option<usize>,
    /// Leave out tracks played in the last N days (default 30).
    #[arg(long)]
    fresh_days: Option<u32>,
    /// Generate the day's list again, from the current history and feedback.
    #[arg(long)]
    refresh: bool,
    /// Also print the blend: its weights against the priors, and what it learned from.
    #[arg(long)]
    explain: bool,
    /// List the stored days instead.
    #[arg(long)]
    days: bool,
    /// Print the day's list of every evaluation variant (the app's blend, unshaped, each model
    /// alone, popularity) as one JSON object, nothing stored (the real-data replay uses it).
    #[arg(long)]
    ablation: bool,
    /// One JSON object.
    #[arg(long)]
    json: bool,
}

pub fn discover(app: &Sonare, args: DiscoverArgs, out: &mut impl Write) -> Result<()> {
    if args.days {
        for d in app.discover_days()? {
            if args.json {
                writeln!(out, "{}", serde_json::to_string(&d)?)?;
            } else {
                writeln!(out, "{}\t{} tracks", d.day, d.tracks)?;
            }
        }
        return Ok(());
    }
    let day = match &args.date {
        Some(text) => discover::parse_day(text)?,
        None => discover::today(),
    };
    let request = DiscoverRequest {
        day: Some(day),
        size: args.size,
        fresh_days: args.fresh_days,
        refresh: args.refresh,
    };
    if args.ablation {
        let lists = app.discover_ablation(&request)?;
        writeln!(out, "{}", serde_json::to_string(&lists)?)?;
        return Ok(());
    }
    let list = app
        .discover_daily(&request)
        .with_context(|| format!("making the Discover Daily of {day}"))?;
    if args.json {
        let mut value = serde_json::to_value(&list)?;
        if args.explain {
            value["explain"] = explain_json(&list);
            value["explain"]["taste_model"] = serde_json::to_value(app.taste_model()?)?;
        }
        writeln!(out, "{value}")?;
        return Ok(());
    }
    writeln!(
        out,
        "Discover Daily {} ({}, {} candidates, {} tracks)",
        list.header.day,
        list.header.mode,
        list.header.candidates,
        list.tracks.len()
    )?;
    for t in &list.tracks {
        let scores: Vec<String> = FEATURES
            .iter()
            .map(|f| format!("{f} {:.2}", t.scores[f]))
            .collect();
        writeln!(
            out,
            "{:>2}. {}\t{} – {}\t{}\tscore {:.2}\t{}",
            t.position + 1,
            t.track.id,
            t.track.artist,
            t.track.title,
            t.reason,
            t.score,
            scores.join(" ")
        )?;
    }
    if args.explain {
        write_explain(&list, out)?;
        write_taste_model(app.taste_model()?.as_ref(), out)?;
    }
    Ok(())
}

/// Which co-listening model scored the list, and how it won.
fn write_taste_model(model: Option<&sonare::app::TasteModel>, out: &mut impl Write) -> Result<()> {
    let Some(model) = model else {
        writeln!(out, "\nCo-listening model: none (no shared data imported)")?;
        return Ok(());
    };
    writeln!(out, "\nCo-listening model: {}", model.model)?;
    let Some(tuning) = &model.tuning else {
        writeln!(
            out,
            "not tuned (the default model; `sonare cf tune` chooses one)"
        )?;
        return Ok(());
    };
    let metric = tuning["metric"].as_str().unwrap_or("score");
    for (label, key) in [("winner", "winner"), ("runner-up", "runner_up")] {
        let t = &tuning[key];
        if let (Some(params), Some(score), Some(se)) =
            (t["params"].as_str(), t["score"].as_f64(), t["se"].as_f64())
        {
            writeln!(
                out,
                "{label}: {params} ({metric} {score:.4} ± {se:.4} on validation)"
            )?;
        }
    }
    Ok(())
}

fn mean_contributions(list: &DailyList) -> Vec<f32> {
    let blend = &list.header.blend;
    FEATURES
        .iter()
        .enumerate()
        .map(|(f, name)| {
            let sum: f32 = list
                .tracks
                .iter()
                .map(|t| blend.weights[f] * t.scores[name])
                .sum();
            sum / list.tracks.len().max(1) as f32
        })
        .collect()
}

fn explain_json(list: &DailyList) -> serde_json::Value {
    let prior = Blend::prior();
    let means = mean_contributions(list);
    let features: Vec<serde_json::Value> = FEATURES
        .iter()
        .enumerate()
        .map(|(f, name)| {
            serde_json::json!({"feature": name, "prior": prior.weights[f],
                "weight": list.header.blend.weights[f], "mean_contribution": means[f]})
        })
        .collect();
    serde_json::json!({"features": features, "bias": list.header.blend.bias,
        "prior_bias": prior.bias, "samples": list.header.blend.samples,
        "positives": list.header.blend.positives})
}

fn write_explain(list: &DailyList, out: &mut impl Write) -> Result<()> {
    let blend = &list.header.blend;
    let prior = Blend::prior();
    writeln!(
        out,
        "\nBlend (logistic regression over the models' scores): learned from {} outcomes ({} positive), pulled towards the priors",
        blend.samples, blend.positives
    )?;
    writeln!(
        out,
        "feature\tprior\tweight\tmean contribution in this list"
    )?;
    for (f, (name, mean)) in FEATURES.iter().zip(mean_contributions(list)).enumerate() {
        writeln!(
            out,
            "{name}\t{:.2}\t{:.2}\t{mean:.2}",
            prior.weights[f], blend.weights[f]
        )?;
    }
    writeln!(out, "bias\t{:.2}\t{:.2}", prior.bias, blend.bias)?;
    Ok(())
}

/// `sonare feedback TRACK_ID like|hide|unhide`.
pub fn feedback(app: &Sonare, track_id: i64, verdict: &str) -> Result<()> {
    let verdict = discover::Feedback::from_name(verdict)
        .with_context(|| format!("unknown feedback {verdict:?}: use like, hide or unhide"))?;
    app.feedback(track_id, verdict)?;
    Ok(())
}

#[derive(Args)]
pub struct EvalArgs {
    /// A world folder: tracks.tsv, embeddings.tsv, shared.tsv, log.tsv (see `discover::replay`).
    world: PathBuf,
    /// Generate a list every N days.
    #[arg(long, default_value_t = 1)]
    step: i64,
    /// Days of log before the first list.
    #[arg(long, default_value_t = 28)]
    warmup: i64,
    #[arg(long, default_value_t = 30)]
    size: usize,
    /// One JSON object per variant.
    #[arg(long)]
    json: bool,
}

/// `sonare discover-eval WORLD`: replays the log day by day and scores every variant.
pub fn eval(args: EvalArgs, out: &mut impl Write) -> Result<()> {
    let started = std::time::Instant::now();
    let world = replay::World::load(&args.world)?;
    let options = replay::ReplayOptions {
        list: Options {
            size: args.size,
            ..Options::default()
        },
        warmup_days: args.warmup,
        step_days: args.step,
    };
    let scores = replay::replay(&world, &options)?;
    if args.json {
        for s in &scores {
            writeln!(out, "{}", serde_json::to_string(s)?)?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "| variant | lists | hit rate | hits per list | NDCG@{} | coverage |\n|---|---|---|---|---|---|",
        args.size
    )?;
    for s in &scores {
        writeln!(
            out,
            "| {} | {} | {:.3} | {:.3} | {:.4} | {:.3} |",
            s.variant, s.lists, s.hit_rate, s.hits_per_list, s.ndcg, s.coverage
        )?;
    }
    if let Some(w) = scores.first().and_then(|s| s.final_weights.as_ref()) {
        let weights: Vec<String> = FEATURES
            .iter()
            .zip(w.weights)
            .map(|(f, v)| format!("{f} {v:.2}"))
            .collect();
        writeln!(
            out,
            "\nlearned blend at the end: {} (bias {:.2}; {} outcomes)",
            weights.join(", "),
            w.bias,
            w.samples
        )?;
    }
    writeln!(out, "({:.1} s)", started.elapsed().as_secs_f64())?;
    Ok(())
}

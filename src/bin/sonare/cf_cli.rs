//! `sonare cf …`: the generic offline evaluation commands (no library needed).

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use sonare::cf::als::AlsParams;
use sonare::cf::eval::{self, Choice, Interactions};
use sonare::cf::model::{ModelSpec, Weighting};
use sonare::cf::rp3::Rp3Params;
use sonare::cf::tune::{Recipe, TuneOptions, Tuned};

#[derive(Subcommand)]
pub enum CfCommand {
    /// Train on TRAIN (user<TAB>item<TAB>weight) and write the top K items of each user in USERS
    /// (one per line) to OUT as user<TAB>item<TAB>rank, train items excluded.
    Recommend {
        #[arg(long)]
        train: PathBuf,
        #[arg(long)]
        users: PathBuf,
        #[arg(long, default_value_t = 10)]
        k: usize,
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Choose the model and hyper-parameters on a validation slice of TRAIN (what the app does with
    /// shared data) and print the winner, its score and the runner-up. Without --train: tune on the
    /// library's shared data, store the choice and train the model the app uses.
    Tune {
        #[arg(long)]
        train: Option<PathBuf>,
        /// With --train: the items' tags (item<TAB>tag[<TAB>count]), side information for the
        /// models that weigh tags.
        #[arg(long)]
        item_tags: Option<PathBuf>,
        /// Seconds the search may take (default 90).
        #[arg(long)]
        budget: Option<f64>,
        /// Do not try a blend of the best models.
        #[arg(long)]
        no_blend: bool,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Train on TRAIN only and print how long training took (benchmarks).
    Fit {
        #[arg(long)]
        train: PathBuf,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Train on TRAIN, recommend K items to every user of TEST and print Recall@K, NDCG@K and HR@K.
    Eval {
        #[arg(long)]
        train: PathBuf,
        #[arg(long)]
        test: PathBuf,
        #[arg(long, default_value_t = 10)]
        k: usize,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        model: ModelArgs,
    },
}

#[derive(Args)]
pub struct ModelArgs {
    /// auto | als | ease | rp3beta | item-knn | popular. `auto` (the default) is what the app
    /// does: tune on a validation slice of TRAIN (a blend of the best models included), then
    /// train the winner on all of it.
    #[arg(long, default_value = "auto")]
    model: String,
    /// auto: choose among single models only.
    #[arg(long)]
    no_blend: bool,
    /// The items' tags (item<TAB>tag[<TAB>count]): each tag joins the training data as a
    /// pseudo-listener of its items, for models with a tag weight (--tags, or tuned).
    #[arg(long)]
    item_tags: Option<PathBuf>,
    /// ALS, EASE, item-kNN: the weight of a tag's pseudo-listener row (0 = tags unused).
    #[arg(long)]
    tags: Option<f32>,
    /// Train this recipe (JSON, as `cf tune --json` prints a winner's) instead of --model.
    #[arg(long)]
    recipe: Option<String>,
    /// auto/blend: seconds the search may take (default: the app's budget).
    #[arg(long)]
    budget: Option<f64>,
    /// ALS: latent factors.
    #[arg(long)]
    factors: Option<usize>,
    /// ALS: sweeps.
    #[arg(long)]
    iterations: Option<usize>,
    /// ALS: L2 regularisation.
    #[arg(long)]
    regularization: Option<f32>,
    /// ALS: confidence scale (confidence = 1 + alpha · weight).
    #[arg(long)]
    alpha: Option<f32>,
    /// ALS: how counts become confidence weights: log (ln(1 + count)), bm25 or raw.
    #[arg(long)]
    weighting: Option<String>,
    /// EASE: L2 regularisation λ.
    #[arg(long)]
    lambda: Option<f64>,
    /// EASE: input dropout p of the denoising variant (0 = plain EASE).
    #[arg(long)]
    dropout: Option<f64>,
    /// RP3beta: exponent α of the transition probabilities.
    #[arg(long)]
    rp3_alpha: Option<f32>,
    /// RP3beta: popularity penalty β.
    #[arg(long)]
    beta: Option<f32>,
    /// RP3beta, item-kNN: neighbours kept per item.
    #[arg(long)]
    neighbours: Option<usize>,
    /// Item-kNN: shrinkage of the cosine.
    #[arg(long)]
    shrink: Option<f32>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
}

impl ModelArgs {
    /// The model to run (a fixed one or tuned), with the worker pool sized as asked.
    fn choice(&self) -> Result<Choice> {
        if let Some(recipe) = &self.recipe {
            self.threads();
            let recipe: Recipe = serde_json::from_str(recipe).context("--recipe")?;
            return Ok(Choice::Fixed(recipe));
        }
        if self.model == "auto" {
            self.threads();
            return Ok(Choice::Tuned(tune_options(self.budget, self.no_blend)));
        }
        Ok(Choice::Fixed(Recipe::Single(self.setup()?)))
    }

    fn threads(&self) {
        if let Some(n) = self.threads {
            // Only the first call in a process can size the pool; the CLI makes exactly one.
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build_global();
        }
    }

    /// The fixed model to run, with the worker pool sized as asked (once per process).
    fn setup(&self) -> Result<ModelSpec> {
        let Some(mut spec) = ModelSpec::by_name(&self.model) else {
            bail!(
                "unknown model {:?}; choose auto or one of {}",
                self.model,
                ModelSpec::NAMES.join(", ")
            );
        };
        match &mut spec {
            ModelSpec::Als {
                params,
                weighting,
                tags,
            } => {
                *tags = self.tags.unwrap_or(0.0);
                let d = AlsParams::default();
                params.factors = self.factors.unwrap_or(d.factors);
                params.iterations = self.iterations.unwrap_or(d.iterations);
                params.regularization = self.regularization.unwrap_or(d.regularization);
                params.alpha = self.alpha.unwrap_or(d.alpha);
                if let Some(name) = &self.weighting {
                    *weighting = Weighting::by_name(name).with_context(|| {
                        format!("unknown weighting {name:?}; choose log, bm25 or raw")
                    })?;
                }
            }
            ModelSpec::Ease {
                lambda,
                dropout,
                tags,
            } => {
                *tags = self.tags.unwrap_or(0.0);
                *lambda = self.lambda.unwrap_or(*lambda);
                *dropout = self.dropout.unwrap_or(*dropout);
            }
            ModelSpec::Rp3 { params } => {
                let d = Rp3Params::default();
                params.alpha = self.rp3_alpha.unwrap_or(d.alpha);
                params.beta = self.beta.unwrap_or(d.beta);
                params.neighbours = self.neighbours.unwrap_or(d.neighbours);
            }
            ModelSpec::Knn { params, tags } => {
                *tags = self.tags.unwrap_or(0.0);
                params.neighbours = self.neighbours.unwrap_or(params.neighbours);
                params.shrink = self.shrink.unwrap_or(params.shrink);
            }
            ModelSpec::Popular => {}
        }
        self.threads();
        Ok(spec)
    }
}

/// TRAIN's interactions, with the tags of --item-tags when given.
fn read_training(train: &Path, item_tags: Option<&Path>) -> Result<Interactions> {
    let mut data = Interactions::default();
    eval::read_triples(train, &mut data)?;
    if let Some(tags) = item_tags {
        eval::read_item_tags(tags, &mut data)?;
    }
    Ok(data)
}

impl CfCommand {
    /// `cf tune` without a file tunes the library's shared data.
    pub fn needs_library(&self) -> bool {
        matches!(self, CfCommand::Tune { train: None, .. })
    }
}

/// `sonare cf tune`: choose, store and train the model of the library's shared data.
pub fn tune_library(
    app: &sonare::app::Sonare,
    budget: Option<f64>,
    no_blend: bool,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let options = tune_options(budget, no_blend);
    let control = sonare::jobs::JobControl::default();
    let outcome = app.tune_shared(&options, &control, |p| {
        if !json {
            if let Some(current) = &p.current {
                eprintln!("[{}/{}] {current}", p.done + 1, p.total);
            }
        }
    })?;
    match outcome {
        sonare::app::TuneOutcome::Tuned(tuned) => print_tuned(&tuned, json, out)?,
        other if json => writeln!(out, "{}", serde_json::to_string(&other)?)?,
        sonare::app::TuneOutcome::Default { model, reason } => {
            writeln!(out, "{reason}: using {model}")?
        }
        sonare::app::TuneOutcome::NothingToTune => writeln!(
            out,
            "no shared co-listening data to tune on (import some first)"
        )?,
        sonare::app::TuneOutcome::Cancelled => writeln!(out, "cancelled")?,
    }
    Ok(())
}

pub fn run(command: CfCommand, out: &mut impl Write) -> Result<()> {
    match command {
        CfCommand::Recommend {
            train,
            users,
            k,
            out: out_path,
            model,
        } => {
            let choice = model.choice()?;
            let data = read_training(&train, model.item_tags.as_deref())?;
            let file = std::fs::File::open(&users)
                .with_context(|| format!("cannot read {}", users.display()))?;
            let names: Vec<String> = std::io::BufReader::new(file)
                .lines()
                .collect::<std::io::Result<Vec<_>>>()
                .with_context(|| format!("cannot read {}", users.display()))?
                .into_iter()
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect();
            let (recs, tuned) = eval::recommend(&data, &names, k, &choice)?;
            if let Some(tuned) = tuned {
                writeln!(out, "{}", serde_json::to_string(&tuned)?)?;
            }
            let file = std::fs::File::create(&out_path)
                .with_context(|| format!("cannot write {}", out_path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            for (user, items) in recs {
                for (rank, item) in items.iter().enumerate() {
                    writeln!(w, "{user}\t{item}\t{}", rank + 1)?;
                }
            }
            w.flush()
                .with_context(|| format!("cannot write {}", out_path.display()))?;
        }
        CfCommand::Tune {
            train: Some(train),
            item_tags,
            budget,
            no_blend,
            json,
        } => {
            let data = read_training(&train, item_tags.as_deref())?;
            let options = tune_options(budget, no_blend);
            let tuned = sonare::cf::tune::tune(
                &data.matrix(),
                data.tags().as_ref(),
                &options,
                &sonare::jobs::JobControl::default(),
                |_| {},
            )?;
            print_tuned(&tuned, json, out)?;
        }
        CfCommand::Tune { train: None, .. } => {
            unreachable!("tuning the library's shared data opens the library first")
        }
        CfCommand::Fit { train, model } => {
            let spec = model.setup()?;
            let data = read_training(&train, model.item_tags.as_deref())?;
            let (matrix, tags) = (data.matrix(), data.tags());
            let input = sonare::cf::model::prepare(&spec, &matrix, tags.as_ref());
            let started = std::time::Instant::now();
            let iterations = match spec {
                ModelSpec::Als { params, .. } => {
                    sonare::cf::als::AlsModel::fit(&input, params);
                    params.iterations
                }
                _ => {
                    sonare::cf::model::Trained::fit_with_tags(&spec, &matrix, tags.as_ref())?;
                    1
                }
            };
            let seconds = started.elapsed().as_secs_f64();
            let value = serde_json::json!({
                "model": spec.name(),
                "users": matrix.rows,
                "items": matrix.cols,
                "interactions": matrix.nnz(),
                "threads": rayon::current_num_threads(),
                "seconds": seconds,
                "seconds_per_iteration": seconds / iterations as f64,
            });
            writeln!(out, "{value}")?;
        }
        CfCommand::Eval {
            train,
            test,
            k,
            json,
            model,
        } => {
            let choice = model.choice()?;
            let m = eval::evaluate(&train, model.item_tags.as_deref(), &test, k, &choice)?;
            let name = match &choice {
                Choice::Fixed(recipe) => recipe.name(),
                Choice::Tuned(_) => model.model.as_str(),
            };
            if json {
                let mut value = serde_json::to_value(m)?;
                value["model"] = name.into();
                writeln!(out, "{value}")?;
            } else {
                writeln!(out, "model {name}")?;
                writeln!(out, "Recall@{k} {:.4}", m.recall)?;
                writeln!(out, "NDCG@{k} {:.4}", m.ndcg)?;
                writeln!(out, "HR@{k} {:.4}", m.hit_rate)?;
                writeln!(
                    out,
                    "users {} (cold, not scored: {})",
                    m.users, m.cold_users
                )?;
            }
        }
    }
    Ok(())
}

/// Tuning options from the command line.
pub fn tune_options(budget: Option<f64>, no_blend: bool) -> TuneOptions {
    let mut options = TuneOptions {
        blend: !no_blend,
        ..TuneOptions::default()
    };
    if let Some(b) = budget {
        options.budget = std::time::Duration::from_secs_f64(b.max(0.0));
    }
    options
}

/// The winner, its validation score and the runner-up (and every trial, in JSON).
pub fn print_tuned(tuned: &Tuned, json: bool, out: &mut impl Write) -> Result<()> {
    if json {
        writeln!(out, "{}", serde_json::to_string(tuned)?)?;
        return Ok(());
    }
    let line = |t: &sonare::cf::tune::Trial| {
        format!(
            "{} ({} {:.4} ± {:.4})",
            t.params, tuned.metric, t.score, t.se
        )
    };
    writeln!(out, "winner {}", line(&tuned.winner))?;
    if let Some(r) = &tuned.runner_up {
        writeln!(out, "runner-up {}", line(r))?;
    }
    writeln!(
        out,
        "{} candidates on {} validation listeners in {:.1} s",
        tuned.trials.len(),
        tuned.validation_users,
        tuned.seconds
    )?;
    Ok(())
}

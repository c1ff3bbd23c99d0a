//! `sonare cf …`: the generic offline evaluation commands (no library needed).

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use sonare::cf::als::AlsParams;
use sonare::cf::eval::{self, Interactions};
use sonare::cf::model::ModelSpec;
use sonare::cf::rp3::Rp3Params;

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
    /// als | ease | rp3beta | popular (default: the app's model, ease).
    #[arg(long, default_value = "ease")]
    model: String,
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
    /// ALS: train on raw weights instead of BM25-weighted ones.
    #[arg(long)]
    no_bm25: bool,
    /// EASE: L2 regularisation λ.
    #[arg(long)]
    lambda: Option<f64>,
    /// EASE: input dropout p of the denoising variant (0 = plain EASE).
    #[arg(long)]
    dropout: Option<f64>,
    /// RP3beta: popularity penalty β.
    #[arg(long)]
    beta: Option<f32>,
    /// RP3beta: neighbours kept per item.
    #[arg(long)]
    neighbours: Option<usize>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
}

impl ModelArgs {
    /// The model to run, with the worker pool sized as asked (once per process).
    fn setup(&self) -> Result<ModelSpec> {
        let Some(mut spec) = ModelSpec::by_name(&self.model) else {
            bail!(
                "unknown model {:?}; choose one of {}",
                self.model,
                ModelSpec::NAMES.join(", ")
            );
        };
        match &mut spec {
            ModelSpec::Als { params, bm25 } => {
                let d = AlsParams::default();
                params.factors = self.factors.unwrap_or(d.factors);
                params.iterations = self.iterations.unwrap_or(d.iterations);
                params.regularization = self.regularization.unwrap_or(d.regularization);
                params.alpha = self.alpha.unwrap_or(d.alpha);
                *bm25 = !self.no_bm25;
            }
            ModelSpec::Ease { lambda, dropout } => {
                *lambda = self.lambda.unwrap_or(*lambda);
                *dropout = self.dropout.unwrap_or(*dropout);
            }
            ModelSpec::Rp3 { params } => {
                let d = Rp3Params::default();
                params.beta = self.beta.unwrap_or(d.beta);
                params.neighbours = self.neighbours.unwrap_or(d.neighbours);
            }
            ModelSpec::Popular => {}
        }
        if let Some(n) = self.threads {
            // Only the first call in a process can size the pool; the CLI makes exactly one.
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build_global();
        }
        Ok(spec)
    }
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
            let spec = model.setup()?;
            let mut data = Interactions::default();
            eval::read_triples(&train, &mut data)?;
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
            let recs = eval::recommend(&data, &names, k, &spec)?;
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
        CfCommand::Fit { train, model } => {
            let spec = model.setup()?;
            let mut data = Interactions::default();
            eval::read_triples(&train, &mut data)?;
            let matrix = data.matrix();
            let input = sonare::cf::model::prepare(&spec, &matrix);
            let started = std::time::Instant::now();
            let iterations = match spec {
                ModelSpec::Als { params, .. } => {
                    sonare::cf::als::AlsModel::fit(&input, params);
                    params.iterations
                }
                _ => {
                    sonare::cf::model::Trained::fit(&spec, &matrix)?;
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
            let spec = model.setup()?;
            let m = eval::evaluate(&train, &test, k, &spec)?;
            if json {
                let mut value = serde_json::to_value(m)?;
                value["model"] = spec.name().into();
                writeln!(out, "{value}")?;
            } else {
                writeln!(out, "model {}", spec.name())?;
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

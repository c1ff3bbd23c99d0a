//! The audio CNN (musicnn, ONNX) run with ONNX Runtime through `ort`, loaded dynamically: the
//! runtime library comes from the PyPI `onnxruntime` wheel (see `scripts/fetch_onnxruntime.sh`), so a
//! missing or wrong library is an error the caller reports, never a crash.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ort::environment::Environment;
use ort::session::Session;
use ort::value::TensorRef;

use super::mel::{N_MELS, PATCH_FRAMES};

/// Outputs of the model for one 3 s patch.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchOutput {
    /// Sigmoid probabilities of the 50 tags, in the order of the labels file.
    pub tags: Vec<f32>,
    /// The 200-dimensional penultimate layer, for "sounds like" similarity.
    pub embedding: Vec<f32>,
}

#[derive(Debug, thiserror::Error)]
pub enum CnnError {
    #[error("ONNX Runtime library {path} cannot be loaded ({reason}); run scripts/fetch_onnxruntime.sh or set ORT_DYLIB_PATH")]
    Runtime { path: PathBuf, reason: String },
    #[error("audio model {path}: {reason}")]
    Model { path: PathBuf, reason: String },
    #[error("running the audio model: {0}")]
    Run(String),
}

pub struct AudioCnn {
    session: Session,
}

/// The bundled model (assets/models/musicnn_msd.onnx, see MODELS.md), built into the binary.
pub const MUSICNN_MSD: &[u8] = include_bytes!("../../assets/models/musicnn_msd.onnx");
/// Names the bundled model in stored results: its name and the start of its sha256.
pub const MUSICNN_MSD_ID: &str = "musicnn_msd-989869d51042";

/// The ONNX Runtime library's file name (the version the `ort` crate's API level expects).
pub const RUNTIME_FILE: &str = "libonnxruntime.so.1.32.0";

/// Where the ONNX Runtime library is looked for: `$ORT_DYLIB_PATH`, else `<data>/runtime/`, else
/// beside an installed binary (`/usr/bin/sonare` → `/usr/lib/sonare/`, as the Debian package puts it).
pub fn runtime_path(data: &crate::data_dir::DataDir) -> PathBuf {
    if let Some(path) = std::env::var_os("ORT_DYLIB_PATH").filter(|v| !v.is_empty()) {
        return PathBuf::from(path);
    }
    let in_data = data.runtime().join(RUNTIME_FILE);
    let installed = std::env::current_exe().ok().and_then(|exe| {
        let lib = exe
            .parent()?
            .parent()?
            .join("lib/sonare")
            .join(RUNTIME_FILE);
        lib.exists().then_some(lib)
    });
    match installed {
        Some(lib) if !in_data.exists() => lib,
        _ => in_data,
    }
}

/// ONNX Runtime allows one environment per process: it is made once, from the first library that
/// loads. A library that fails to load is not remembered, so a later call with a good one still works.
fn environment(runtime: &Path) -> Result<&'static Environment, CnnError> {
    static ENVIRONMENT: OnceLock<(PathBuf, Environment)> = OnceLock::new();
    static INIT: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let runtime_err = |reason: String| CnnError::Runtime {
        path: runtime.to_owned(),
        reason,
    };
    if ENVIRONMENT.get().is_none() {
        let _init = INIT.lock().unwrap_or_else(|e| e.into_inner());
        if ENVIRONMENT.get().is_none() {
            let env = ort::init_from(runtime)
                .map_err(|e| runtime_err(e.to_string()))?
                .with_name("sonare")
                .build()
                .map_err(|e| runtime_err(e.to_string()))?;
            let _ = ENVIRONMENT.set((runtime.to_owned(), env));
        }
    }
    match ENVIRONMENT.get() {
        Some((loaded, env)) if loaded == runtime => Ok(env),
        Some((loaded, _)) => Err(runtime_err(format!(
            "this process already loaded {}",
            loaded.display()
        ))),
        None => Err(runtime_err("not initialised".into())),
    }
}

impl AudioCnn {
    /// Loads the runtime library at `runtime` and the bundled model.
    pub fn load_bundled(runtime: &Path) -> Result<Self, CnnError> {
        Self::load_from(
            runtime,
            Path::new("<bundled musicnn_msd.onnx>"),
            |builder| builder.commit_from_memory(MUSICNN_MSD),
        )
    }

    /// Loads the runtime library at `runtime` and the model at `model`, and checks that the model has
    /// the expected input and outputs.
    pub fn load(runtime: &Path, model: &Path) -> Result<Self, CnnError> {
        Self::load_from(runtime, model, |builder| builder.commit_from_file(model))
    }

    fn load_from(
        runtime: &Path,
        model: &Path,
        commit: impl FnOnce(&mut ort::session::builder::SessionBuilder) -> ort::Result<Session>,
    ) -> Result<Self, CnnError> {
        if !runtime.is_file() {
            return Err(CnnError::Runtime {
                path: runtime.to_owned(),
                reason: "no such file".into(),
            });
        }
        let environment = environment(runtime)?;
        let model_err = |reason: String| CnnError::Model {
            path: model.to_owned(),
            reason,
        };
        let mut builder = Session::builder(environment)
            .map_err(|e| model_err(e.to_string()))?
            .with_intra_threads(1)
            .map_err(|e| model_err(e.to_string()))?;
        let session = commit(&mut builder).map_err(|e| model_err(e.to_string()))?;
        let inputs: Vec<&str> = session.inputs().iter().map(|o| o.name()).collect();
        let outputs: Vec<&str> = session.outputs().iter().map(|o| o.name()).collect();
        if inputs != ["melspec"] || !outputs.contains(&"tags") || !outputs.contains(&"embedding") {
            return Err(model_err(format!(
                "expected input melspec and outputs tags, embedding; found {inputs:?} -> {outputs:?}"
            )));
        }
        Ok(Self { session })
    }

    /// Runs the model on `patches` (each 187 frames of 96 mel values).
    pub fn run(&mut self, patches: &[Vec<[f32; N_MELS]>]) -> Result<Vec<PatchOutput>, CnnError> {
        if patches.is_empty() {
            return Ok(Vec::new());
        }
        let mut input: Vec<f32> = Vec::with_capacity(patches.len() * PATCH_FRAMES * N_MELS);
        for patch in patches {
            if patch.len() != PATCH_FRAMES {
                return Err(CnnError::Run(format!(
                    "a patch has {} frames, not {PATCH_FRAMES}",
                    patch.len()
                )));
            }
            input.extend(patch.iter().flatten());
        }
        let shape = [patches.len(), PATCH_FRAMES, N_MELS];
        let tensor = TensorRef::from_array_view((shape, input.as_slice()))
            .map_err(|e| CnnError::Run(e.to_string()))?;
        let outputs = self
            .session
            .run(ort::inputs!["melspec" => tensor])
            .map_err(|e| CnnError::Run(e.to_string()))?;
        let extract = |name: &str, width: usize| -> Result<Vec<Vec<f32>>, CnnError> {
            let (_, values) = outputs[name]
                .try_extract_tensor::<f32>()
                .map_err(|e| CnnError::Run(e.to_string()))?;
            if values.len() != patches.len() * width {
                return Err(CnnError::Run(format!("{name} has {} values", values.len())));
            }
            Ok(values.chunks_exact(width).map(<[f32]>::to_vec).collect())
        };
        let tags = extract("tags", 50)?;
        let embeddings = extract("embedding", 200)?;
        Ok(tags
            .into_iter()
            .zip(embeddings)
            .map(|(tags, embedding)| PatchOutput { tags, embedding })
            .collect())
    }
}

/// The bundled model's 50 tag words, in its output order.
pub fn tag_labels() -> &'static [String] {
    static LABELS: OnceLock<Vec<String>> = OnceLock::new();
    LABELS.get_or_init(|| {
        serde_json::from_str(include_str!("../../assets/models/musicnn_msd.labels.json"))
            .expect("the bundled labels file is a JSON list of strings")
    })
}

/// The `n` most probable tags of `tags` (the model's outputs), most probable first.
pub fn top_tags(tags: &[f32], n: usize) -> Vec<(String, f32)> {
    let mut ranked: Vec<(String, f32)> = tag_labels()
        .iter()
        .cloned()
        .zip(tags.iter().copied())
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked.truncate(n);
    ranked
}

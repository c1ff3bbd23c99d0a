//! The demo library: freely licensed music from Debian's archive, fetched with `apt-get download` and
//! unpacked with `dpkg-deb` into the data folder, for a listener who has no music yet.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Debian packages of freely licensed music (licences: GPL-2+, CC BY-SA 3.0, Expat, GPL-2+).
pub const DEMO_PACKAGES: &[&str] = &[
    "asc-music",
    "fretsonfire-songs-muldjord",
    "fretsonfire-songs-sectoid",
    "wesnoth-1.16-music",
];

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot run {program} (the demo library needs Debian's apt tools): {source}")]
    Spawn {
        program: &'static str,
        source: std::io::Error,
    },
    #[error("`{command}` failed for package {package}: {stderr}")]
    Failed {
        command: String,
        package: String,
        stderr: String,
    },
    #[error("demo folder {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Fetches and unpacks every demo package not yet present under `target` (one sub-folder per package,
/// its Debian copyright file included). Calls `progress(done, total, package)` before each package.
/// Returns `target`.
pub fn fetch_demo(
    target: &Path,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<PathBuf, DemoError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| DemoError::Io { path, source }
    };
    std::fs::create_dir_all(target).map_err(io(target))?;
    let downloads = target.join(".downloads");
    std::fs::create_dir_all(&downloads).map_err(io(&downloads))?;
    for (done, package) in DEMO_PACKAGES.iter().enumerate() {
        progress(done, DEMO_PACKAGES.len(), package);
        let unpacked = target.join(package);
        if unpacked.join(".complete").exists() {
            continue;
        }
        run(
            Command::new("apt-get")
                .arg("download")
                .arg(package)
                .current_dir(&downloads),
            "apt-get",
            package,
        )?;
        let deb = find_deb(&downloads, package).map_err(io(&downloads))?;
        let staging = target.join(format!(".{package}.partial"));
        let _ = std::fs::remove_dir_all(&staging);
        run(
            Command::new("dpkg-deb").arg("-x").arg(&deb).arg(&staging),
            "dpkg-deb",
            package,
        )?;
        let _ = std::fs::remove_dir_all(&unpacked);
        std::fs::rename(&staging, &unpacked).map_err(io(&unpacked))?;
        std::fs::write(unpacked.join(".complete"), b"").map_err(io(&unpacked))?;
        let _ = std::fs::remove_file(&deb);
    }
    progress(DEMO_PACKAGES.len(), DEMO_PACKAGES.len(), "");
    let _ = std::fs::remove_dir_all(&downloads);
    Ok(target.to_owned())
}

fn run(command: &mut Command, program: &'static str, package: &str) -> Result<(), DemoError> {
    let output = command
        .output()
        .map_err(|source| DemoError::Spawn { program, source })?;
    if output.status.success() {
        return Ok(());
    }
    Err(DemoError::Failed {
        command: format!("{command:?}"),
        package: package.to_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
    })
}

fn find_deb(dir: &Path, package: &str) -> std::io::Result<PathBuf> {
    let prefix = format!("{package}_");
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with(&prefix) && name.ends_with(".deb") {
            return Ok(path);
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::NotFound,
        format!("apt-get download left no {prefix}*.deb"),
    ))
}

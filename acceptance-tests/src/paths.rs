//! Where things live on disk: the Cargo workspace root, the target directory and the profile
//! directory the running test binary was built into. Owns path arithmetic only; imports nothing
//! from the rest of the harness.

use std::path::{Path, PathBuf};

/// The Cargo workspace root (the parent of this crate's manifest directory).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The profile directory (`target/debug`, `target/release`, …) of the running test binary.
///
/// Derived from the test executable's own path (`<target>/<profile>/deps/<test>-<hash>`), so it
/// follows `CARGO_TARGET_DIR`, `--release` and `--profile` without re-implementing Cargo's rules.
/// Falls back to `$CARGO_TARGET_DIR/debug` or `<workspace>/target/debug`.
pub fn profile_dir() -> PathBuf {
    if let Ok(exe) = std::env::current_exe() {
        let deps = exe.parent();
        if let Some(deps) = deps.filter(|d| d.file_name().is_some_and(|n| n == "deps")) {
            if let Some(profile) = deps.parent() {
                return profile.to_path_buf();
            }
        }
        // A binary target (e.g. `paasform-bench`) runs from `<target>/<profile>/` itself.
        let dir = exe.parent();
        if let Some(profile) = dir.filter(|d| d.join(".fingerprint").is_dir()) {
            return profile.to_path_buf();
        }
    }
    fallback_target_dir().join("debug")
}

/// The profile name Cargo needs to rebuild into [`profile_dir`] (`dev` for `debug`).
pub fn profile_name() -> String {
    match profile_dir().file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => "dev".to_string(),
        Some(other) => other.to_string(),
    }
}

/// The target directory: the parent of the test binary's profile directory.
pub fn target_dir() -> PathBuf {
    let profile = profile_dir();
    profile
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(fallback_target_dir)
}

fn fallback_target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => workspace_root().join(dir),
        _ => workspace_root().join("target"),
    }
}

/// The first executable called `name` on `PATH`, if any.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

/// True for a regular file with an execute bit (any file on non-Unix platforms).
pub fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

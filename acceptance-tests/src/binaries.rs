//! Locating the provider and emulator binaries: builds each once per test process with
//! `cargo build -p <crate>` (into the same target and profile directory as the running test)
//! unless `PAASFORM_SKIP_BUILD=1`. No build script: a test that needs them calls
//! [`binaries`]. Imports only `paths` and `process`.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use crate::paths;
use crate::process;

/// Paths of the two binaries the Terraform tier runs.
#[derive(Clone, Debug)]
pub struct Binaries {
    /// `terraform-provider-paasform`; serves the identity named by the file name it runs under.
    pub provider: PathBuf,
    /// `paasform-emulator`.
    pub emulator: PathBuf,
}

/// Both binaries, built on first use (see [`provider_binary`] and [`emulator_binary`]).
pub fn binaries() -> Binaries {
    Binaries {
        provider: provider_binary().clone(),
        emulator: emulator_binary().clone(),
    }
}

/// `terraform-provider-paasform`, built on first use in this process (later calls reuse it);
/// panics with Cargo's output when the build fails or the binary is missing.
pub fn provider_binary() -> &'static PathBuf {
    static PROVIDER: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    unwrap_or_panic(PROVIDER.get_or_init(|| locate("paasform", "terraform-provider-paasform")))
}

/// `paasform-emulator`, built on first use; built separately from the provider so emulator-only
/// tests do not wait for (or fail with) the provider crate.
pub fn emulator_binary() -> &'static PathBuf {
    static EMULATOR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    unwrap_or_panic(EMULATOR.get_or_init(|| locate("paasform-emulator", "paasform-emulator")))
}

fn unwrap_or_panic(found: &'static Result<PathBuf, String>) -> &'static PathBuf {
    match found {
        Ok(path) => path,
        Err(message) => panic!("{message}"),
    }
}

fn locate(package: &str, binary: &str) -> Result<PathBuf, String> {
    if std::env::var("PAASFORM_SKIP_BUILD").as_deref() != Ok("1") {
        build(package)?;
    }
    let path = paths::profile_dir().join(format!("{binary}{}", std::env::consts::EXE_SUFFIX));
    if paths::is_executable(&path) {
        Ok(path)
    } else {
        Err(format!(
            "{} is missing; build it with `cargo build -p {package}` (or unset PAASFORM_SKIP_BUILD)",
            path.display()
        ))
    }
}

/// `cargo build -p <package>` into the test binary's own target dir and profile. Cargo's output
/// is captured and shown only on failure, so test logs stay readable.
fn build(package: &str) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let profile = paths::profile_name();
    let mut cmd = Command::new(&cargo);
    cmd.current_dir(paths::workspace_root())
        .env("CARGO_TARGET_DIR", paths::target_dir())
        .args(["build", "-p", package, "--profile", &profile]);
    let label = format!(
        "{} build -p {package} --profile {profile}",
        cargo.to_string_lossy()
    );
    let output = process::run(&mut cmd, label, process::command_time_limit())?;
    if output.success() {
        Ok(())
    } else {
        Err(format!("building {package} failed\n{output}"))
    }
}

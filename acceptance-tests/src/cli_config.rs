//! The Terraform CLI configuration a workspace runs under, and the provider layout it points at:
//! either `dev_overrides` (no `init`, no lock file) or a filesystem mirror (for `init` and lock-file
//! tests). Both expose the one provider binary under every identity. Imports nothing from the
//! rest of the harness except `paths` (and the provider's list of identities).

use std::fs;
use std::path::Path;

/// The provider identities; the binary serves the one named by the file it runs as.
pub const IDENTITIES: &[&str] = paasform::clouds::IDENTITIES;
/// Registry hostnames a source address may resolve to: `paasform/render` means
/// registry.terraform.io in Terraform and registry.opentofu.org in OpenTofu.
pub const HOSTNAMES: [&str; 2] = ["registry.terraform.io", "registry.opentofu.org"];

/// The hostnames to configure for a CLI: OpenTofu needs both (its default plus explicit
/// `registry.terraform.io/…` sources); Terraform only its own, which keeps its
/// "development overrides are in effect" warning short in failure messages.
pub fn hostnames(is_tofu: bool) -> &'static [&'static str] {
    if is_tofu {
        &HOSTNAMES
    } else {
        &HOSTNAMES[..1]
    }
}
/// Provider namespace in source addresses.
pub const NAMESPACE: &str = "paasform";
/// Version the mirror offers (the workspace version, as the provider's own `install` uses).
pub const PROVIDER_VERSION: &str = env!("CARGO_PKG_VERSION");

/// How Terraform finds the provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderMode {
    /// `dev_overrides`: plan/apply/import work without `init`.
    DevOverrides,
    /// `filesystem_mirror`: run `init` first; writes `.terraform.lock.hcl`.
    Mirror,
}

/// Lays out `plugins_dir` for `mode` and writes the CLI config to `config_file`.
pub fn write(
    mode: ProviderMode,
    hosts: &[&str],
    provider: &Path,
    plugins_dir: &Path,
    config_file: &Path,
) -> Result<(), String> {
    let config = match mode {
        ProviderMode::DevOverrides => {
            for identity in IDENTITIES {
                link_or_copy(
                    provider,
                    &plugins_dir.join(format!("terraform-provider-{identity}")),
                )?;
            }
            dev_overrides_config(hosts, plugins_dir)
        }
        ProviderMode::Mirror => {
            for host in hosts {
                for identity in IDENTITIES {
                    let dir = plugins_dir
                        .join(host)
                        .join(NAMESPACE)
                        .join(identity)
                        .join(PROVIDER_VERSION)
                        .join(platform());
                    let file = format!("terraform-provider-{identity}_v{PROVIDER_VERSION}");
                    hard_link_or_copy(provider, &dir.join(file))?;
                }
            }
            mirror_config(hosts, plugins_dir)
        }
    };
    fs::write(config_file, config).map_err(|e| format!("{}: {e}", config_file.display()))
}

fn dev_overrides_config(hosts: &[&str], plugins_dir: &Path) -> String {
    let mut lines = String::new();
    for host in hosts {
        for identity in IDENTITIES {
            lines.push_str(&format!(
                "    \"{host}/{NAMESPACE}/{identity}\" = {}\n",
                hcl_string(plugins_dir)
            ));
        }
    }
    format!("provider_installation {{\n  dev_overrides {{\n{lines}  }}\n  direct {{}}\n}}\n")
}

fn mirror_config(hosts: &[&str], mirror: &Path) -> String {
    let ours = hosts
        .iter()
        .map(|host| format!("\"{host}/{NAMESPACE}/*\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "provider_installation {{\n  filesystem_mirror {{\n    path    = {}\n    include = [{ours}]\n  }}\n  \
         direct {{\n    exclude = [{ours}]\n  }}\n}}\n",
        hcl_string(mirror)
    )
}

/// Terraform's platform name for this machine, e.g. `linux_amd64`.
pub fn platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        other => other,
    };
    format!("{}_{arch}", std::env::consts::OS)
}

/// A path as an HCL string literal.
fn hcl_string(path: &Path) -> String {
    serde_json::Value::String(path.display().to_string()).to_string()
}

/// A symlink keeps the file name Terraform execs (the identity) while sharing the binary.
fn link_or_copy(from: &Path, to: &Path) -> Result<(), String> {
    ensure_parent(to)?;
    #[cfg(unix)]
    if std::os::unix::fs::symlink(from, to).is_ok() {
        return Ok(());
    }
    copy(from, to)
}

/// The mirror holds real files (Terraform hashes them for the lock file): a hard link when the
/// filesystem allows it, else a copy.
fn hard_link_or_copy(from: &Path, to: &Path) -> Result<(), String> {
    ensure_parent(to)?;
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    copy(from, to)
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

fn ensure_parent(path: &Path) -> Result<(), String> {
    match path.parent() {
        Some(parent) => {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))
        }
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_overrides_cover_every_identity_on_both_registries() {
        let config = dev_overrides_config(hostnames(true), Path::new("/p"));
        for identity in IDENTITIES {
            assert!(config.contains(&format!(
                "\"registry.terraform.io/paasform/{identity}\" = \"/p\""
            )));
            assert!(config.contains(&format!(
                "\"registry.opentofu.org/paasform/{identity}\" = \"/p\""
            )));
        }
    }

    #[test]
    fn mirror_config_excludes_our_namespace_from_direct() {
        let config = mirror_config(hostnames(false), Path::new("/m"));
        assert!(config.contains("path    = \"/m\""));
        assert!(config.contains("exclude = [\"registry.terraform.io/paasform/*\"]"));
    }
}

//! `terraform-provider-paasform blueprint`: converts a Render Blueprint (`render.yaml`) into an
//! HCL module of `render_project`, `render_env_group`, `render_service`, `render_database` and
//! `render_env_group_link` resources (main.tf, variables.tf, outputs.tf, versions.tf,
//! terraform.tfvars.example), with a warning naming the YAML path of everything it cannot
//! express. `convert` is pure text → text (no I/O, never panics on input); `command` is the CLI
//! around it. Submodules: `model` (serde structs), `mapping` (resources + attribute table),
//! `projects` (projects and environments), `groups` (env groups and their links), `env_vars`
//! (a service's env var wiring), `hcl` (the writer). Must not import `protocol` or `framework`;
//! from `clouds` only the render_service schema's rule tables.

pub mod command;
mod env_vars;
mod groups;
pub mod hcl;
pub mod mapping;
pub mod model;
mod projects;

use std::fmt;

use hcl::{render_file, Block, Expr};
use mapping::{Ctx, Kind};

/// The provider's registry address and version constraint written into versions.tf.
pub const PROVIDER_SOURCE: &str = "paasform/render";
pub const PROVIDER_VERSION: &str = "~> 0.1";

/// Something in the Blueprint the module does not express, and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    /// YAML path, e.g. `services[2].previews`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Why a Blueprint cannot be converted.
#[derive(Clone, Debug, PartialEq)]
pub struct BlueprintError {
    pub path: Option<String>,
    pub message: String,
}

impl fmt::Display for BlueprintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "invalid Blueprint: {p}: {}", self.message),
            None => write!(f, "invalid Blueprint: {}", self.message),
        }
    }
}

impl std::error::Error for BlueprintError {}

/// Why a module input exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VariableKind {
    /// An env var the Blueprint leaves to the user (`sync: false`): sensitive.
    Secret,
    /// An env var whose source could not be wired (see the warnings): sensitive.
    Unresolved,
    /// The repository the Blueprint lives in (services without `repo`).
    Repo,
    /// The id of a registry credential the Blueprint names.
    RegistryCredential,
}

/// One input variable of the generated module.
#[derive(Clone, Debug, PartialEq)]
pub struct Variable {
    pub name: String,
    pub kind: VariableKind,
    /// The env var key, or the credential's name.
    pub subject: String,
    /// Names of the Blueprint services that use it.
    pub used_by: Vec<String>,
}

impl Variable {
    pub fn sensitive(&self) -> bool {
        matches!(self.kind, VariableKind::Secret | VariableKind::Unresolved)
    }

    pub fn description(&self) -> String {
        let users = self.used_by.join(", ");
        match self.kind {
            VariableKind::Secret => format!("{} of {users} (Blueprint `sync: false`: a value you provide).", self.subject),
            VariableKind::Unresolved => format!("{} of {users} (the Blueprint's source for it could not be wired; see the converter's warnings).", self.subject),
            VariableKind::Repo => format!("Git repository the Blueprint lives in, deployed by {users} (e.g. https://github.com/org/app)."),
            VariableKind::RegistryCredential => format!("Id (rgc-…) of the Render registry credential {:?}, used by {users}.", self.subject),
        }
    }

    /// A placeholder value for `terraform.tfvars.example` (and demos against the emulator).
    pub fn example(&self) -> String {
        match self.kind {
            VariableKind::Repo => "https://github.com/example/app".into(),
            VariableKind::RegistryCredential => format!("rgc-{}", self.name.replace('_', "-")),
            _ => format!("change-me-{}", self.name.replace('_', "-")),
        }
    }
}

/// The generated module.
#[derive(Clone, Debug)]
pub struct Conversion {
    /// (file name, content), in a fixed order.
    pub files: Vec<(String, String)>,
    pub warnings: Vec<Warning>,
    pub variables: Vec<Variable>,
}

impl Conversion {
    pub fn file(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.as_str())
    }
}

/// Convert a Blueprint's text into a module.
pub fn convert(yaml: &str) -> Result<Conversion, BlueprintError> {
    check_top_level(yaml)?;
    let bp = model::parse(yaml).map_err(yaml_error)?;
    let mut warnings: Vec<Warning> = model::unknown_keys(yaml)
        .into_iter()
        .map(|k| Warning {
            message: match &k.suggestion {
                Some(known) => format!("unknown key; ignored (did you mean `{known}`?)"),
                None => "unknown key; ignored".into(),
            },
            path: k.path,
        })
        .collect();
    let entries = mapping::entries(&bp, &mut warnings)?;
    let mut ctx = Ctx::new(warnings);
    let targets = mapping::targets(&entries, &mut ctx)?;
    let group_order: Vec<String> = entries.groups.iter().map(|(p, _, _)| p.clone()).collect();
    let mut resources = entries.projects.clone();
    resources.extend(groups::group_blocks(&mut ctx, &group_order)?);
    for (t, (_, s, _)) in targets.iter().zip(&entries.services) {
        resources.push(mapping::service_block(&mut ctx, t, s)?);
    }
    for (t, (_, d, _)) in targets[entries.services.len()..]
        .iter()
        .zip(&entries.databases)
    {
        resources.push(mapping::database_block(&mut ctx, t, d));
    }
    resources.extend(groups::link_blocks(&ctx, &group_order));
    let kinds: Vec<Kind> = targets.iter().map(|t| t.kind.clone()).collect();
    let outputs = mapping::output_blocks(&targets);
    let files = vec![
        ("versions.tf".to_string(), versions_tf()),
        ("main.tf".to_string(), main_tf(&resources, &kinds)),
        ("variables.tf".to_string(), variables_tf(&ctx.variables)),
        ("outputs.tf".to_string(), render_file(&[], &outputs)),
        (
            "terraform.tfvars.example".to_string(),
            tfvars_example(&ctx.variables),
        ),
    ];
    let mut warnings: Vec<Warning> = Vec::new();
    for w in ctx.warnings {
        // A group inlined into several services reports the same thing once.
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }
    Ok(Conversion {
        files,
        warnings,
        variables: ctx.variables,
    })
}

/// A Blueprint is a mapping; say so plainly rather than "expected struct Blueprint".
fn check_top_level(yaml: &str) -> Result<(), BlueprintError> {
    match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
        Ok(serde_yaml::Value::Mapping(_) | serde_yaml::Value::Null) => Ok(()),
        Ok(_) => Err(BlueprintError {
            path: None,
            message:
                "the top level must be a mapping with `services`, `databases`, `envVarGroups` and/or `projects`"
                    .into(),
        }),
        Err(e) => Err(yaml_error(e)),
    }
}

fn yaml_error(e: serde_yaml::Error) -> BlueprintError {
    let mut message = e.to_string();
    if let (Some(loc), false) = (e.location(), message.contains(" line ")) {
        message.push_str(&format!(" at line {} column {}", loc.line(), loc.column()));
    }
    BlueprintError {
        path: None,
        message,
    }
}

fn versions_tf() -> String {
    let mut t = Block::new("terraform", &[]);
    let mut rp = Block::new("required_providers", &[]);
    rp.attr(
        "render",
        Expr::object([
            ("source", Expr::str(PROVIDER_SOURCE)),
            ("version", Expr::str(PROVIDER_VERSION)),
        ]),
    );
    t.block(rp);
    render_file(&[], &[t])
}

fn main_tf(resources: &[Block], kinds: &[Kind]) -> String {
    let services = kinds
        .iter()
        .filter(|k| matches!(k, Kind::Service(_)))
        .count();
    let count = |ty: &str| {
        resources
            .iter()
            .filter(|b| b.labels.first().is_some_and(|l| l == ty))
            .count()
    };
    let mut extra = String::new();
    for (ty, what) in [
        (mapping::PROJECT_RESOURCE, "project(s)"),
        (mapping::ENV_GROUP_RESOURCE, "env group(s)"),
    ] {
        let n = count(ty);
        if n > 0 {
            extra.push_str(&format!(", {n} {what}"));
        }
    }
    let header = format!(
        "Generated from a Render Blueprint by `terraform-provider-paasform blueprint`: {services} service(s), {} database(s){extra}.",
        kinds.len() - services
    );
    render_file(&[&header, "Review the converter's warnings: they name what the Blueprint says that this module does not."], resources)
}

fn variables_tf(vars: &[Variable]) -> String {
    if vars.is_empty() {
        return "# This module needs no input variables.\n".into();
    }
    let blocks: Vec<Block> = vars
        .iter()
        .map(|v| {
            let mut b = Block::new("variable", &[&v.name]);
            b.attr("description", Expr::str(v.description()))
                .attr("type", Expr::raw("string"));
            if v.sensitive() {
                b.attr("sensitive", Expr::Bool(true));
            }
            b
        })
        .collect();
    render_file(&[], &blocks)
}

fn tfvars_example(vars: &[Variable]) -> String {
    let mut out =
        String::from("# Example inputs: copy to terraform.tfvars and replace every value.\n");
    let width = vars.iter().map(|v| v.name.len()).max().unwrap_or(0);
    for v in vars {
        out.push_str(&format!(
            "{:width$} = {}\n",
            v.name,
            hcl::quote(&v.example())
        ));
    }
    out
}

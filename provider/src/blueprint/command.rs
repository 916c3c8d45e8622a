//! The `blueprint FILE [--out DIR [--force]]` subcommand: reads the Blueprint, prints the
//! warnings to stderr, and writes the module's files into DIR (or main.tf to stdout), refusing to
//! replace files already there unless `--force`. The only part of `blueprint` that does I/O;
//! argument parsing and files only, the conversion is `convert`.

use std::path::PathBuf;

/// Parsed arguments.
#[derive(Debug, PartialEq)]
pub struct Args {
    pub file: PathBuf,
    pub out: Option<PathBuf>,
    /// Replace files of an existing module in `out`.
    pub force: bool,
    /// `--help`: print the usage and convert nothing.
    pub help: bool,
}

pub const USAGE: &str = "Usage: terraform-provider-paasform blueprint FILE [--out DIR [--force]]";

const HELP: &str =
    "Convert a Render Blueprint (render.yaml; `-` reads stdin) into an HCL module of \
render_project, render_env_group, render_service, render_database and render_env_group_link
resources.

  --out DIR   write main.tf, variables.tf, outputs.tf, versions.tf and terraform.tfvars.example
              into DIR (without it, main.tf goes to stdout)
  --force     replace those files when DIR already holds them (otherwise the command refuses)

Warnings on stderr name, by YAML path, what the module does not express. A Blueprint Render would
refuse (for example a native-runtime service without buildCommand or startCommand) is an error.

Example:
  terraform-provider-paasform blueprint render.yaml --out infra
  cd infra && cp terraform.tfvars.example terraform.tfvars && terraform init && terraform plan
";

pub fn parse(args: &[String]) -> Result<Args, String> {
    let mut file = None;
    let mut out = None;
    let mut force = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--help" | "-h" => {
                return Ok(Args {
                    file: PathBuf::new(),
                    out: None,
                    force: false,
                    help: true,
                })
            }
            "--force" | "-f" => force = true,
            "--out" | "-o" => {
                let dir = it
                    .next()
                    .ok_or_else(|| format!("--out needs a directory\n{USAGE}"))?;
                out = Some(PathBuf::from(dir));
            }
            s if s.starts_with("--out=") => out = Some(PathBuf::from(&s["--out=".len()..])),
            s if s.starts_with('-') && s != "-" => {
                return Err(format!("unknown blueprint option {s:?}\n{USAGE}"))
            }
            s if file.is_none() => file = Some(PathBuf::from(s)),
            s => {
                return Err(format!(
                    "unexpected argument {s:?}: one Blueprint file at a time\n{USAGE}"
                ))
            }
        }
    }
    let file = file.ok_or_else(|| format!("missing the Blueprint file (render.yaml)\n{USAGE}"))?;
    if force && out.is_none() {
        return Err(format!("--force only applies with --out\n{USAGE}"));
    }
    Ok(Args {
        file,
        out,
        force,
        help: false,
    })
}

/// Run the subcommand (`-` reads the Blueprint from stdin).
pub fn run(args: &[String]) -> Result<(), String> {
    let args = parse(args)?;
    if args.help {
        print!("{USAGE}\n\n{HELP}");
        return Ok(());
    }
    let text = if args.file.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        s
    } else {
        std::fs::read_to_string(&args.file)
            .map_err(|e| format!("cannot read {}: {e}", args.file.display()))?
    };
    let conversion = super::convert(&text).map_err(|e| format!("{}: {e}", args.file.display()))?;
    for w in &conversion.warnings {
        eprintln!("warning: {w}");
    }
    match &args.out {
        None => {
            print!("{}", conversion.file("main.tf").unwrap_or_default());
            Ok(())
        }
        Some(dir) => {
            // Checked before anything is written: a refused run leaves the directory as it was.
            let existing: Vec<String> = conversion
                .files
                .iter()
                .map(|(name, _)| dir.join(name))
                .filter(|p| p.exists())
                .map(|p| p.display().to_string())
                .collect();
            if !existing.is_empty() && !args.force {
                return Err(format!(
                    "{} already holds a module ({}); pass --force to replace these files",
                    dir.display(),
                    existing.join(", ")
                ));
            }
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            for (name, content) in &conversion.files {
                let path = dir.join(name);
                std::fs::write(&path, content)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                eprintln!("wrote {}", path.display());
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_file_and_out() {
        assert_eq!(
            parse(&args(&["render.yaml", "--out", "mod"])),
            Ok(Args {
                file: "render.yaml".into(),
                out: Some("mod".into()),
                force: false,
                help: false,
            })
        );
        assert_eq!(
            parse(&args(&["--out=m", "r.yaml", "--force"])),
            Ok(Args {
                file: "r.yaml".into(),
                out: Some("m".into()),
                force: true,
                help: false,
            })
        );
        assert_eq!(parse(&args(&["r.yaml"])).map(|a| a.out), Ok(None));
        assert_eq!(parse(&args(&["--help"])).map(|a| a.help), Ok(true));
        for bad in [
            &[][..],
            &["--out"],
            &["a", "b"],
            &["a", "--frobnicate"],
            &["a", "--force"],
        ] {
            assert!(parse(&args(bad)).is_err(), "{bad:?}");
        }
    }
}

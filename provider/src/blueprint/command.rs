//! The `blueprint FILE [--out DIR]` subcommand: reads the Blueprint, prints the warnings to
//! stderr, and writes the module's files into DIR (or main.tf to stdout). The only part of
//! `blueprint` that does I/O; argument parsing and files only, the conversion is `convert`.

use std::path::PathBuf;

/// Parsed arguments.
#[derive(Debug, PartialEq)]
pub struct Args {
    pub file: PathBuf,
    pub out: Option<PathBuf>,
}

pub const USAGE: &str = "Usage: terraform-provider-paasform blueprint FILE [--out DIR]";

pub fn parse(args: &[String]) -> Result<Args, String> {
    let mut file = None;
    let mut out = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
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
    Ok(Args { file, out })
}

/// Run the subcommand (`-` reads the Blueprint from stdin).
pub fn run(args: &[String]) -> Result<(), String> {
    let args = parse(args)?;
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
                out: Some("mod".into())
            })
        );
        assert_eq!(
            parse(&args(&["--out=m", "r.yaml"])),
            Ok(Args {
                file: "r.yaml".into(),
                out: Some("m".into())
            })
        );
        assert_eq!(parse(&args(&["r.yaml"])).map(|a| a.out), Ok(None));
        for bad in [&[][..], &["--out"], &["a", "b"], &["a", "--frobnicate"]] {
            assert!(parse(&args(bad)).is_err(), "{bad:?}");
        }
    }
}

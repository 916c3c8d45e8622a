//! `terraform-provider-paasform docs`: renders docs/ from every identity's schemas plus the
//! examples under examples/{resources,data-sources,ephemeral-resources,actions,list-resources}/<type>/
//! (a list resource without its own example shows its block from examples/list-resources/<vendor>.tfquery.hcl),
//! and with `--check` reports drift instead of writing.
//! Owns file layout only; rendering lives in framework::docs.

use std::path::{Path, PathBuf};

use crate::clouds;
use crate::framework::docs::{render, Page, PageKind};

/// The registry's `subcategory` for an identity's pages: the vendor as users know it.
fn subcategory(identity: &str) -> &'static str {
    match identity {
        "render" => "Render",
        "railway" => "Railway",
        "vercel" => "Vercel",
        "tailscale" => "Tailscale",
        "r2" => "Cloudflare R2",
        "cloudflare" => "Cloudflare",
        _ => "Other",
    }
}

/// Every file the docs consist of: (relative path, content).
pub fn pages(examples: &Path) -> Vec<(PathBuf, String)> {
    let read = |p: PathBuf| std::fs::read_to_string(p).ok();
    let mut out = Vec::new();
    let vendor_queries = vendor_queries(examples);
    for id in clouds::IDENTITIES {
        let Some(provider) = clouds::provider(id) else {
            continue;
        };
        let schema = provider.schema();
        let subcategory = subcategory(id);
        let example = read(examples.join("provider").join(format!("{id}.tf")));
        out.push((
            PathBuf::from("providers").join(format!("{id}.md")),
            render(&Page {
                kind: PageKind::Provider,
                name: id,
                subcategory,
                block: &schema.block,
                example: example.as_deref(),
                import: None,
            }),
        ));
        for r in provider.resources() {
            let dir = examples.join("resources").join(r.type_name());
            let (ex, imp) = (read(dir.join("resource.tf")), read(dir.join("import.sh")));
            let schema = r.schema();
            out.push((
                PathBuf::from("resources").join(format!("{}.md", r.type_name())),
                render(&Page {
                    kind: PageKind::Resource,
                    name: r.type_name(),
                    subcategory,
                    block: &schema.block,
                    example: ex.as_deref(),
                    import: imp.as_deref(),
                }),
            ));
        }
        for d in provider.data_sources() {
            let ex = read(
                examples
                    .join("data-sources")
                    .join(d.type_name())
                    .join("data-source.tf"),
            );
            let schema = d.schema();
            out.push((
                PathBuf::from("data-sources").join(format!("{}.md", d.type_name())),
                render(&Page {
                    kind: PageKind::DataSource,
                    name: d.type_name(),
                    subcategory,
                    block: &schema.block,
                    example: ex.as_deref(),
                    import: None,
                }),
            ));
        }
        for e in provider.ephemeral_resources() {
            let ex = read(
                examples
                    .join("ephemeral-resources")
                    .join(e.type_name())
                    .join("ephemeral-resource.tf"),
            );
            let schema = e.schema();
            out.push((
                PathBuf::from("ephemeral-resources").join(format!("{}.md", e.type_name())),
                render(&Page {
                    kind: PageKind::EphemeralResource,
                    name: e.type_name(),
                    subcategory,
                    block: &schema.block,
                    example: ex.as_deref(),
                    import: None,
                }),
            ));
        }
        for a in provider.actions() {
            let ex = read(
                examples
                    .join("actions")
                    .join(a.type_name())
                    .join("action.tf"),
            );
            let schema = a.schema();
            out.push((
                PathBuf::from("actions").join(format!("{}.md", a.type_name())),
                render(&Page {
                    kind: PageKind::Action,
                    name: a.type_name(),
                    subcategory,
                    block: &schema.block,
                    example: ex.as_deref(),
                    import: None,
                }),
            ));
        }
        for l in provider.list_resources() {
            let name = l.type_name();
            let own = examples
                .join("list-resources")
                .join(name)
                .join("list-resource.tfquery.hcl");
            let ex = read(own)
                .or_else(|| list_block(&vendor_queries, name))
                .unwrap_or_else(|| {
                    format!("list \"{name}\" \"all\" {{\n  provider         = {id}\n  include_resource = true\n}}\n")
                });
            let mut schema = l.schema();
            if schema.block.description.trim().is_empty() {
                schema.block.description = format!("Lists `{name}` objects for `terraform query` (in a `.tfquery.hcl` file); the `config` block's attributes below are its filters. See the adoption recipe in docs/adopting.md.");
            }
            out.push((
                PathBuf::from("list-resources").join(format!("{name}.md")),
                render(&Page {
                    kind: PageKind::ListResource,
                    name,
                    subcategory,
                    block: &schema.block,
                    example: Some(&ex),
                    import: None,
                }),
            ));
        }
    }
    out.push((
        PathBuf::from("migrating-from-official-providers.md"),
        migration_guide(examples),
    ));
    out
}

/// The per-vendor query files (examples/list-resources/<vendor>.tfquery.hcl), in name order.
fn vendor_queries(examples: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(examples.join("list-resources"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".tfquery.hcl"))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// The first `list "<name>" …` block of the vendor query files, as written there.
fn list_block(files: &[String], name: &str) -> Option<String> {
    let head = format!("list \"{name}\" ");
    files.iter().find_map(|text| {
        let start = text.lines().position(|l| l.starts_with(&head))?;
        let lines: Vec<&str> = text.lines().skip(start).collect();
        let end = lines.iter().position(|l| *l == "}")?;
        Some(lines[..=end].join("\n") + "\n")
    })
}

/// docs/migrating-from-official-providers.md: the hand-written introduction
/// (examples/guides/migrating-from-official-providers.md) and one section per identity from its
/// resources' move tables.
fn migration_guide(examples: &Path) -> String {
    let intro =
        std::fs::read_to_string(examples.join("guides/migrating-from-official-providers.md"))
            .unwrap_or_default();
    let mut out = intro;
    for id in clouds::IDENTITIES {
        let Some(provider) = clouds::provider(id) else {
            continue;
        };
        let targets: Vec<_> = provider
            .resources()
            .iter()
            .map(|r| (r.type_name(), r.move_sources()))
            .filter(|(_, s)| !s.is_empty())
            .collect();
        out.push_str(&crate::framework::moves::guide_section(
            subcategory(id),
            id,
            &targets,
        ));
    }
    out
}

/// Write the docs (or, with `check`, list files that differ). Returns the drifted/written paths.
pub fn generate(out_dir: &Path, examples: &Path, check: bool) -> std::io::Result<Vec<PathBuf>> {
    let mut touched = Vec::new();
    for (rel, content) in pages(examples) {
        let path = out_dir.join(&rel);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() == Some(content.as_str()) {
            continue;
        }
        if !check {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, content)?;
        }
        touched.push(path);
    }
    Ok(touched)
}

//! docs/ is generated from the schemas and examples: this fails when they drift apart.
//! Fix with `cargo run -p paasform -- docs` (writes docs/ from the current code).

use std::path::Path;

#[test]
fn generated_docs_match_the_schemas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let drifted = paasform::docgen::generate(&root.join("docs"), &root.join("examples"), true)
        .expect("docs readable");
    assert!(
        drifted.is_empty(),
        "these docs differ from the schemas; run `cargo run -p paasform -- docs`:\n{}",
        drifted
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn every_resource_has_an_example_and_an_import_section() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for (path, content) in paasform::docgen::pages(&root.join("examples")) {
        if path.starts_with("resources") {
            assert!(
                content.contains("## Example Usage"),
                "{} has no example",
                path.display()
            );
            assert!(
                content.contains("## Import"),
                "{} has no import section",
                path.display()
            );
        }
    }
}

#[test]
fn every_data_source_has_an_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for (path, content) in paasform::docgen::pages(&root.join("examples")) {
        if path.starts_with("data-sources") {
            assert!(
                content.contains("## Example Usage"),
                "{} has no example (examples/data-sources/<type>/data-source.tf)",
                path.display()
            );
        }
    }
}

/// Every schema the binary serves, by page: the provider's own, each resource's and each
/// ephemeral resource's, for every identity.
fn every_schema() -> Vec<(String, paasform::framework::Schema)> {
    let mut out = Vec::new();
    for id in paasform::clouds::IDENTITIES {
        let provider = paasform::clouds::provider(id).expect("every identity has a provider");
        out.push((format!("provider {id}"), provider.schema()));
        for r in provider.resources() {
            out.push((format!("resource {}", r.type_name()), r.schema()));
        }
        for e in provider.ephemeral_resources() {
            out.push((format!("ephemeral {}", e.type_name()), e.schema()));
        }
        for d in provider.data_sources() {
            out.push((format!("data source {}", d.type_name()), d.schema()));
        }
    }
    out
}

fn walk_attributes<'a>(
    prefix: &str,
    attrs: &'a [paasform::framework::Attribute],
    out: &mut Vec<(String, &'a paasform::framework::Attribute)>,
) {
    for a in attrs {
        let path = format!("{prefix}{}", a.name);
        out.push((path.clone(), a));
        if let Some(inner) = a.nested_attributes() {
            walk_attributes(&format!("{path}."), inner, out);
        }
    }
}

fn walk_block<'a>(
    prefix: &str,
    block: &'a paasform::framework::Block,
    out: &mut Vec<(String, &'a paasform::framework::Attribute)>,
) {
    walk_attributes(prefix, &block.attributes, out);
    for b in &block.blocks {
        walk_block(&format!("{prefix}{}.", b.name), &b.block, out);
    }
}

#[test]
fn every_attribute_and_block_has_a_description() {
    let mut missing = Vec::new();
    for (page, schema) in every_schema() {
        if schema.block.description.trim().is_empty() {
            missing.push(format!("{page}: the schema itself"));
        }
        let mut attrs = Vec::new();
        walk_block("", &schema.block, &mut attrs);
        for (path, a) in attrs {
            if a.description.trim().is_empty() {
                missing.push(format!("{page}: {path}"));
            }
        }
        let mut blocks = vec![("".to_string(), &schema.block)];
        while let Some((prefix, block)) = blocks.pop() {
            for b in &block.blocks {
                let path = format!("{prefix}{}", b.name);
                if b.block.description.trim().is_empty() {
                    missing.push(format!("{page}: block {path}"));
                }
                blocks.push((format!("{path}."), &b.block));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "these have no description (the registry page and the language server show nothing):\n{}",
        missing.join("\n")
    );
}

/// The docs renderer appends each validator's and plan modifier's own text, so a description that
/// says the same again reads twice on the page.
#[test]
fn descriptions_do_not_repeat_their_validators_or_modifiers() {
    let mut repeated = Vec::new();
    for (page, schema) in every_schema() {
        let mut attrs = Vec::new();
        walk_block("", &schema.block, &mut attrs);
        for (path, a) in attrs {
            let desc = a.description.to_lowercase();
            for v in &a.validators {
                if desc.contains(v.description.trim_end_matches('.').to_lowercase().as_str()) {
                    repeated.push(format!("{page}: {path} repeats {:?}", v.description));
                }
            }
            let replaces = a
                .modifiers
                .iter()
                .any(|m| matches!(m, paasform::framework::PlanModifier::RequiresReplace));
            if replaces && desc.contains("changing it replaces") {
                repeated.push(format!(
                    "{page}: {path} says it forces replacement (the page already does)"
                ));
            }
        }
    }
    assert!(repeated.is_empty(), "{}", repeated.join("\n"));
}

#[test]
fn every_page_has_an_example_a_title_and_a_category() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for (path, content) in paasform::docgen::pages(&root.join("examples")) {
        let front = content
            .strip_prefix("---\n")
            .and_then(|rest| rest.split_once("\n---\n"))
            .map(|(front, _)| front)
            .unwrap_or_else(|| panic!("{} has no front matter", path.display()));
        assert!(
            front.lines().any(|l| l.starts_with("page_title: \"")),
            "{}: no page_title",
            path.display()
        );
        assert!(
            front
                .lines()
                .any(|l| l.starts_with("subcategory: \"") && l != "subcategory: \"\""),
            "{}: no subcategory",
            path.display()
        );
        assert!(
            content.contains("## Example Usage"),
            "{} has no example",
            path.display()
        );
    }
}

#[test]
fn every_list_resource_has_a_page_with_its_filters_and_an_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let pages = paasform::docgen::pages(&root.join("examples"));
    for id in paasform::clouds::IDENTITIES {
        let provider = paasform::clouds::provider(id).expect("provider");
        for l in provider.list_resources() {
            let want = Path::new("list-resources").join(format!("{}.md", l.type_name()));
            let (_, content) = pages
                .iter()
                .find(|(p, _)| *p == want)
                .unwrap_or_else(|| panic!("no page {}", want.display()));
            assert!(
                content.contains(&format!("list \"{}\"", l.type_name())),
                "{} has no list block example",
                want.display()
            );
            for a in &l.schema().block.attributes {
                assert!(
                    content.contains(&format!("- `{}`", a.name)),
                    "{}: filter {} not documented",
                    want.display(),
                    a.name
                );
            }
        }
    }
}

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

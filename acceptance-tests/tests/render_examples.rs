//! The render examples (examples/resources/render_*/resource.tf, shown in the generated docs)
//! pass `terraform validate` against the real provider schema, without any request.

use paasform_acceptance_tests::{workspace_root, Emulator, Workspace};

#[test]
fn render_examples_validate() {
    let emulator = Emulator::start(&[]);
    for ty in [
        "render_service",
        "render_database",
        "render_registry_credential",
        "render_notification_setting",
        "render_log_stream",
    ] {
        let path = workspace_root()
            .join("examples/resources")
            .join(ty)
            .join("resource.tf");
        let example =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ws = Workspace::new(&format!("{ty}_example")).with_emulator(&emulator);
        ws.write_file("main.tf", &example);
        let out = ws.run(&["validate", "-no-color"]);
        assert_eq!(
            out.code,
            Some(0),
            "{ty} example:\n{}\n{}",
            out.stdout,
            out.stderr
        );
    }
    assert!(
        emulator.requests().is_empty(),
        "validate makes no request: {:?}",
        emulator.requests()
    );
}

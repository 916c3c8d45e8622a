//! r2_bucket through real Terraform against the emulator: apply → no-change plan → in-place
//! update (storage class, CORS, lifecycle) → replace (jurisdiction) → import (CLI and block) →
//! destroy → emulator empty.

use paasform_acceptance_tests::{Emulator, Workspace, TEST_ACCOUNT_ID};

const PROVIDERS: &str = r#"
terraform {
  required_providers {
    r2 = { source = "paasform/r2" }
  }
}
"#;

fn config(storage_class: &str, origins: &str, jurisdiction: &str, with_lifecycle: bool) -> String {
    let lifecycle = if with_lifecycle {
        r#"
  lifecycle_rules = [{
    id                        = "expire-exports"
    prefix                    = "exports/"
    delete_objects_after_days = 400
  }]"#
    } else {
        ""
    };
    format!(
        r#"{PROVIDERS}
resource "r2_bucket" "evidence" {{
  name          = "soc2-evidence"
  location      = "enam"
  jurisdiction  = "{jurisdiction}"
  storage_class = "{storage_class}"
  cors = [{{
    allowed = {{
      origins = [{origins}]
      methods = ["GET", "PUT"]
    }}
    max_age_seconds = 3600
  }}]{lifecycle}
}}
"#
    )
}

#[test]
fn r2_bucket_lifecycle() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("r2_bucket_lifecycle").with_emulator(&emulator);
    ws.write_file(
        "main.tf",
        &config("Standard", r#""https://app.example.com""#, "default", false),
    );
    ws.apply();
    ws.assert_no_changes();

    // In place: storage class, CORS origins, lifecycle rules.
    ws.write_file(
        "main.tf",
        &config(
            "InfrequentAccess",
            r#""https://app.example.com", "https://admin.example.com""#,
            "default",
            true,
        ),
    );
    let plan = ws.run(&["plan", "-no-color"]);
    assert!(
        plan.stdout.contains("1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply();
    ws.assert_no_changes();
    let v = ws.resource_values("r2_bucket.evidence").expect("in state");
    assert_eq!(v["storage_class"], "InfrequentAccess");

    // Import by account/name into fresh state, then no changes; and with an import block.
    let id = format!("{TEST_ACCOUNT_ID}/soc2-evidence");
    let cli = Workspace::new("r2_bucket_import_cli").with_emulator(&emulator);
    cli.write_file(
        "main.tf",
        &config(
            "InfrequentAccess",
            r#""https://app.example.com", "https://admin.example.com""#,
            "default",
            true,
        ),
    );
    cli.import("r2_bucket.evidence", &id);
    cli.assert_no_changes();
    let block = Workspace::new("r2_bucket_import_block").with_emulator(&emulator);
    block.write_file(
        "main.tf",
        &format!(
            "{}\nimport {{\n  to = r2_bucket.evidence\n  id = \"{id}\"\n}}\n",
            config(
                "InfrequentAccess",
                r#""https://app.example.com", "https://admin.example.com""#,
                "default",
                true
            )
        ),
    );
    block.apply();
    block.assert_no_changes();

    // Jurisdiction is immutable: replacement.
    ws.write_file(
        "main.tf",
        &config(
            "InfrequentAccess",
            r#""https://app.example.com""#,
            "eu",
            false,
        ),
    );
    let plan = ws.run(&["plan", "-no-color"]);
    assert!(plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    ws.apply();
    ws.assert_no_changes();

    ws.destroy();
    emulator.assert_empty();
}

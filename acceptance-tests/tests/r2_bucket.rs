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
    assert!(
        plan.stdout.contains("must be replaced"),
        "{}",
        plan.combined()
    );
    ws.apply();
    ws.assert_no_changes();

    ws.destroy();
    emulator.assert_empty();
}

/// The `r2_bucket` data source reads a bucket made by another configuration, and
/// `import { identity = … }` (Terraform 1.12+) adopts it with no diff.
#[test]
fn r2_bucket_data_source_and_identity_import() {
    let emulator = Emulator::start(&[]);
    let owner = Workspace::new("r2_bucket_owner").with_emulator(&emulator);
    owner.write_file(
        "main.tf",
        &config("Standard", r#""https://app.example.com""#, "default", false),
    );
    owner.apply();

    let reader = Workspace::new("r2_bucket_reader").with_emulator(&emulator);
    reader.write_file(
        "main.tf",
        &format!(
            r#"{PROVIDERS}
data "r2_bucket" "evidence" {{
  name = "soc2-evidence"
}}
output "location" {{ value = data.r2_bucket.evidence.location }}
output "class" {{ value = data.r2_bucket.evidence.storage_class }}
output "id" {{ value = data.r2_bucket.evidence.id }}
"#
        ),
    );
    reader.apply();
    let out = reader.output_json();
    assert_eq!(out["location"]["value"], "enam", "{out}");
    assert_eq!(out["class"]["value"], "Standard", "{out}");
    assert_eq!(out["id"]["value"], "soc2-evidence", "{out}");
    reader.assert_no_changes();

    // A name nobody has: a clear error naming what was searched, on the attribute.
    reader.write_file(
        "main.tf",
        &format!(
            "{PROVIDERS}\ndata \"r2_bucket\" \"missing\" {{\n  name = \"no-such-bucket\"\n}}\n"
        ),
    );
    let failed = reader.run(&["plan", "-no-color"]);
    assert!(!failed.success(), "{}", failed.combined());
    assert!(
        failed
            .combined()
            .contains("No R2 bucket named \"no-such-bucket\""),
        "{}",
        failed.combined()
    );

    if paasform_acceptance_tests::terraform().supports_import_identity() {
        let adopt = Workspace::new("r2_bucket_import_identity").with_emulator(&emulator);
        adopt.write_file(
            "main.tf",
            &format!(
                "{}\nimport {{\n  to = r2_bucket.evidence\n  identity = {{\n    account_id = \"{TEST_ACCOUNT_ID}\"\n    name       = \"soc2-evidence\"\n  }}\n}}\n",
                config("Standard", r#""https://app.example.com""#, "default", false)
            ),
        );
        let plan = adopt.run(&["plan", "-no-color"]);
        assert!(
            plan.stdout
                .contains("1 to import, 0 to add, 0 to change, 0 to destroy"),
            "{}",
            plan.combined()
        );
        adopt.apply();
        adopt.assert_no_changes();
        let state = adopt.state_json();
        let identity = &state["values"]["root_module"]["resources"][0]["identity"];
        assert_eq!(identity["name"], "soc2-evidence", "{state}");
        assert_eq!(identity["jurisdiction"], "default", "{state}");
    }
    owner.destroy();
    emulator.assert_empty();
}

//! r2_credentials through real Terraform against the emulator: apply → no-change plan → rotation
//! (a permission change replaces the token and revokes the old one) → import (CLI, `import {}`
//! by id, and by identity on Terraform ≥ 1.12) with no diff → destroy → no live token, emulator
//! empty.

use paasform_acceptance_tests::{Emulator, Workspace, TEST_ACCOUNT_ID};

fn config(permission: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    r2 = {{ source = "paasform/r2" }}
  }}
}}

resource "r2_credentials" "assets" {{
  buckets    = ["kirby-assets"]
  permission = "{permission}"
}}
"#
    )
}

/// The ids of the tokens the emulator holds (every one is live: revoked tokens are deleted).
fn live_tokens(emulator: &Emulator) -> Vec<String> {
    emulator.state()["cf_dns"]["account_tokens"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn r2_credentials_lifecycle() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("r2_credentials_lifecycle").with_emulator(&emulator);
    ws.write_file("main.tf", &config("read_write"));
    ws.apply();
    ws.assert_no_changes();
    let v = ws
        .resource_values("r2_credentials.assets")
        .expect("in state");
    let first = v["id"].as_str().expect("id").to_string();
    assert_eq!(live_tokens(&emulator), vec![first.clone()]);
    assert_eq!(v["access_key_id"], first.as_str());
    assert_eq!(v["secret_access_key"].as_str().map(str::len), Some(64));
    assert_eq!(
        v["s3_endpoint"],
        format!("https://{TEST_ACCOUNT_ID}.r2.cloudflarestorage.com")
    );

    // Rotation: a new token, the old one revoked.
    ws.write_file("main.tf", &config("read"));
    let plan = ws.run(&["plan", "-no-color"]);
    assert!(
        plan.stdout.contains("must be replaced"),
        "{}",
        plan.combined()
    );
    assert!(
        !plan
            .stdout
            .contains(v["secret_access_key"].as_str().unwrap_or("-")),
        "the secret is never in plan output"
    );
    ws.apply();
    ws.assert_no_changes();
    let second = ws
        .resource_values("r2_credentials.assets")
        .expect("in state")["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_ne!(first, second);
    assert_eq!(live_tokens(&emulator), vec![second.clone()]);

    // Import: the secret stays null, and no diff.
    let id = format!("{TEST_ACCOUNT_ID}/{second}");
    let cli = Workspace::new("r2_credentials_import_cli").with_emulator(&emulator);
    cli.write_file("main.tf", &config("read"));
    cli.import("r2_credentials.assets", &id);
    cli.assert_no_changes();
    let imported = cli
        .resource_values("r2_credentials.assets")
        .expect("imported");
    assert!(imported["secret_access_key"].is_null(), "{imported}");
    let block = Workspace::new("r2_credentials_import_block").with_emulator(&emulator);
    block.write_file(
        "main.tf",
        &format!(
            "{}\nimport {{\n  to = r2_credentials.assets\n  id = \"{id}\"\n}}\n",
            config("read")
        ),
    );
    block.apply();
    block.assert_no_changes();
    if paasform_acceptance_tests::terraform().supports_import_identity() {
        let adopt = Workspace::new("r2_credentials_import_identity").with_emulator(&emulator);
        adopt.write_file(
            "main.tf",
            &format!(
                "{}\nimport {{\n  to = r2_credentials.assets\n  identity = {{\n    account_id = \"{TEST_ACCOUNT_ID}\"\n    id         = \"{second}\"\n  }}\n}}\n",
                config("read")
            ),
        );
        adopt.apply();
        adopt.assert_no_changes();
    } else {
        eprintln!("skipping import by identity: Terraform < 1.12");
    }

    ws.destroy();
    assert!(
        live_tokens(&emulator).is_empty(),
        "destroy revokes the token"
    );
    emulator.assert_empty();
}

//! cloudflare_dns_record + data cloudflare_zone through real Terraform against the emulator:
//! the zone looked up by name and by id (outputs match) → records with a relative name and
//! content in the user's spelling → no-change plan → in-place update → import by
//! `<zone_id>/<id>` (CLI), `import { id }` and `import { identity }` (Terraform ≥ 1.12), each with
//! no diff → destroy → emulator empty.

use paasform_acceptance_tests::{terraform, Emulator, Workspace};

/// `imported`: the spelling an import reads back (fully qualified names, the API's content).
fn config(ttl: u32, imported: bool) -> String {
    let (www, www_content, api, api_content) = if imported {
        (
            "www.example.test",
            "2001:db8::1",
            "api.example.test",
            "Abc.cfargotunnel.com",
        )
    } else {
        ("www", "2001:DB8:0::1", "api", "Abc.cfargotunnel.com.")
    };
    format!(
        r#"
terraform {{
  required_providers {{
    cloudflare = {{ source = "paasform/cloudflare" }}
  }}
}}

data "cloudflare_zone" "main" {{
  name = "example.test"
}}

data "cloudflare_zone" "by_id" {{
  zone_id = data.cloudflare_zone.main.id
}}

resource "cloudflare_dns_record" "www" {{
  zone_id = data.cloudflare_zone.main.id
  name    = "{www}"
  type    = "AAAA"
  content = "{www_content}"
  ttl     = {ttl}
  comment = "the MacBook's address"
}}

resource "cloudflare_dns_record" "api" {{
  zone_id = data.cloudflare_zone.main.id
  name    = "{api}"
  type    = "CNAME"
  content = "{api_content}"
  proxied = true
}}

output "zone_id" {{ value = data.cloudflare_zone.main.id }}
output "by_id" {{ value = data.cloudflare_zone.by_id.name }}
output "by_id_zone" {{ value = data.cloudflare_zone.by_id.id }}
output "name_servers" {{ value = data.cloudflare_zone.main.name_servers }}
output "hostname" {{ value = cloudflare_dns_record.www.hostname }}
"#
    )
}

#[test]
fn cloudflare_dns_record_and_zone_lifecycle() {
    let emulator = Emulator::start(&[]);
    let ws = Workspace::new("cloudflare_dns_lifecycle").with_emulator(&emulator);
    ws.write_file("main.tf", &config(300, false));
    ws.apply();
    ws.assert_no_changes();
    let out = ws.output_json();
    let zone = out["zone_id"]["value"]
        .as_str()
        .expect("zone id")
        .to_string();
    assert_eq!(out["by_id"]["value"], "example.test", "{out}");
    assert_eq!(out["by_id_zone"]["value"], zone.as_str());
    assert_eq!(
        out["name_servers"]["value"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(out["hostname"]["value"], "www.example.test");
    let www = ws
        .resource_values("cloudflare_dns_record.www")
        .expect("www");
    let id = www["id"].as_str().expect("id").to_string();
    assert_eq!(www["content"], "2001:DB8:0::1", "the user's spelling stays");
    let stored = &emulator.state()["cf_dns"]["dns_records"][&id];
    assert_eq!(stored["content"], "2001:db8::1", "{stored}");
    let api = ws
        .resource_values("cloudflare_dns_record.api")
        .expect("api");
    assert_eq!(api["ttl"], 1, "proxied ⇒ automatic TTL");

    ws.write_file("main.tf", &config(600, false));
    let plan = ws.run(&["plan", "-no-color"]);
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.combined()
    );
    ws.apply();
    ws.assert_no_changes();
    assert_eq!(emulator.state()["cf_dns"]["dns_records"][&id]["ttl"], 600);
    let api_id = ws
        .resource_values("cloudflare_dns_record.api")
        .expect("api")["id"]
        .as_str()
        .expect("id")
        .to_string();

    let cli = Workspace::new("cloudflare_dns_import_cli").with_emulator(&emulator);
    cli.write_file("main.tf", &config(600, true));
    cli.import("cloudflare_dns_record.www", &format!("{zone}/{id}"));
    cli.import("cloudflare_dns_record.api", &format!("{zone}/{api_id}"));
    cli.assert_no_changes();

    let by_id = Workspace::new("cloudflare_dns_import_block").with_emulator(&emulator);
    by_id.write_file(
        "main.tf",
        &format!(
            "{}\nimport {{\n  to = cloudflare_dns_record.www\n  id = \"{zone}/{id}\"\n}}\nimport {{\n  to = cloudflare_dns_record.api\n  id = \"{zone}/{api_id}\"\n}}\n",
            config(600, true)
        ),
    );
    let plan = by_id.run(&["plan", "-no-color"]);
    assert!(
        plan.stdout
            .contains("2 to import, 0 to add, 0 to change, 0 to destroy"),
        "{}",
        plan.combined()
    );

    if terraform().supports_import_identity() {
        let adopt = Workspace::new("cloudflare_dns_import_identity").with_emulator(&emulator);
        adopt.write_file(
            "main.tf",
            &format!(
                "{}\nimport {{\n  to = cloudflare_dns_record.www\n  identity = {{\n    zone_id = \"{zone}\"\n    id      = \"{id}\"\n  }}\n}}\nimport {{\n  to = cloudflare_dns_record.api\n  identity = {{\n    zone_id = \"{zone}\"\n    id      = \"{api_id}\"\n  }}\n}}\n",
                config(600, true)
            ),
        );
        let plan = adopt.run(&["plan", "-no-color"]);
        assert!(
            plan.stdout
                .contains("2 to import, 0 to add, 0 to change, 0 to destroy"),
            "{}",
            plan.combined()
        );
        adopt.apply();
        adopt.assert_no_changes();
        let state = adopt.state_json();
        let identity = &state["values"]["root_module"]["resources"]
            .as_array()
            .and_then(|r| {
                r.iter()
                    .find(|r| r["address"] == "cloudflare_dns_record.www")
            })
            .expect("www in state")["identity"];
        assert_eq!(identity["id"], id.as_str(), "{state}");
    }

    ws.destroy();
    emulator.assert_empty();
}

//! In-process tier for r2_credentials: a bucket-scoped account token against the emulator (strict
//! spec), no Terraform. The S3 secret is the SHA-256 of the minted value, the token verifies,
//! every argument change replaces, import keeps the secret null with no diff, and destroy leaves
//! no live token.

mod common;

use common::*;
use paasform::clouds::cloudflare::r2_credentials::secret_access_key;
use paasform::framework::Value;
use paasform_emulator::Config;

async fn setup() -> (TestEmulator, paasform::framework::Host) {
    let emu = TestEmulator::start(Config::default()).await;
    let host = host(
        "r2",
        &[
            ("api_token", Value::string("cf-test-token")),
            ("account_id", Value::string("acct123")),
            ("base_url", Value::string(emu.url("cloudflare/client/v4"))),
        ],
    )
    .await;
    (emu, host)
}

fn config(host: &paasform::framework::Host, permission: &str) -> Value {
    resource_config(
        host,
        "r2_credentials",
        &[
            ("buckets", Value::List(vec![Value::string("kirby-assets")])),
            ("permission", Value::string(permission)),
        ],
    )
}

/// The live tokens the emulator holds: (id, value).
async fn live_tokens(emu: &TestEmulator) -> Vec<(String, String)> {
    let state = emu.state().await;
    state["cf_dns"]["account_tokens"]
        .as_object()
        .map(|m| {
            m.values()
                .map(|t| {
                    (
                        t["id"].as_str().unwrap_or("").to_string(),
                        t["value"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Whether Cloudflare's verify endpoint accepts `token`.
async fn verifies(emu: &TestEmulator, token: &str) -> bool {
    let url = format!(
        "{}/accounts/acct123/tokens/verify",
        emu.url("cloudflare/client/v4")
    );
    let resp = reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("emulator reachable");
    resp.status().is_success()
}

#[tokio::test]
async fn credentials_mint_rotate_import_and_revoke() {
    let (emu, host) = setup().await;
    let t = "r2_credentials";
    let cfg = config(&host, "read_write");
    let (state, _) = apply(&host, t, &Value::Null, &cfg).await;
    let tokens = live_tokens(&emu).await;
    assert_eq!(tokens.len(), 1);
    let (id, value) = &tokens[0];
    assert_eq!(state.attr("access_key_id"), &Value::string(id.as_str()));
    assert_eq!(
        state.attr("secret_access_key"),
        &Value::string(secret_access_key(value))
    );
    assert_eq!(
        state.attr("s3_endpoint"),
        &Value::string("https://acct123.r2.cloudflarestorage.com")
    );
    // The policy scopes the bucket with both bucket-item groups, looked up by name.
    let st = emu.state().await;
    let policy = &st["cf_dns"]["account_tokens"][id.as_str()]["policies"][0];
    assert_eq!(
        policy["resources"],
        serde_json::json!({"com.cloudflare.edge.r2.bucket.acct123_default_kirby-assets": "*"})
    );
    assert_eq!(
        policy["permission_groups"].as_array().map(Vec::len),
        Some(2)
    );
    assert!(verifies(&emu, value).await, "the minted token is live");
    let state = assert_stable(&host, t, &state, &cfg).await;

    // Rotation: a permission change replaces the token.
    let cfg2 = config(&host, "read");
    let plan = host.plan_resource_change(t, &state, &proposed(&host, t, &state, &cfg2), &cfg2);
    assert!(
        plan.requires_replace
            .iter()
            .any(|p| p.to_string() == "permission"),
        "{:?}",
        plan.requires_replace
    );

    // Import: the same token, the secret null, no diff.
    let (imported, diags) = host
        .import_resource_state(t, &format!("acct123/{id}"))
        .await;
    assert!(!diags.has_errors(), "{diags}");
    assert!(imported.attr("secret_access_key").is_null());
    assert_eq!(imported.attr("buckets"), cfg.attr("buckets"));
    assert_eq!(imported.attr("permission"), &Value::string("read_write"));
    let plan = host.plan_resource_change(t, &imported, &proposed(&host, t, &imported, &cfg), &cfg);
    assert!(
        plan.requires_replace.is_empty(),
        "{:?}",
        plan.requires_replace
    );
    assert_eq!(plan.planned, imported, "import then plan shows no change");

    // Destroy revokes: no live token remains; a second destroy is success.
    let (gone, diags) = host
        .apply_resource_change(t, &state, &Value::Null, &Value::Null)
        .await;
    assert!(gone.is_null() && !diags.has_errors(), "{diags}");
    assert!(live_tokens(&emu).await.is_empty());
    assert!(
        !verifies(&emu, value).await,
        "the revoked token no longer verifies"
    );
    let (_, diags) = host
        .apply_resource_change(t, &state, &Value::Null, &Value::Null)
        .await;
    assert!(!diags.has_errors(), "already revoked is success: {diags}");
    let (after, _) = host.read_resource(t, &state).await;
    assert!(after.is_null());
    assert!(emu.violations().is_empty(), "{:?}", emu.violations());
}

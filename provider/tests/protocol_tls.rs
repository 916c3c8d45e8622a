//! AutoMTLS against the real binary: with `PLUGIN_CLIENT_CERT` set (a Terraform-like P-521 CA
//! cert), the handshake carries our server cert, the holder of that client cert gets in, and a
//! client with another cert, no cert or no TLS at all is refused.

mod protocol_common;

use base64::Engine;
use paasform::protocol::proto::tfplugin6::get_provider_schema;
use protocol_common::{
    paths, terraform_like_client_cert, tls_channel, unary, unix_channel, ClientIdentity, Plugin,
};

fn server_cert(plugin: &Plugin) -> Vec<u8> {
    let field = &plugin.fields()[5];
    assert!(
        !field.is_empty(),
        "TLS handshake line carries the server certificate"
    );
    assert!(!field.ends_with('='), "base64 without padding");
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(field)
        .expect("base64 cert")
}

async fn schema_call(
    plugin: &Plugin,
    client: Option<&ClientIdentity>,
) -> Result<get_provider_schema::Response, String> {
    let ch = tls_channel(&plugin.socket(), server_cert(plugin), client)
        .await
        .map_err(|e| e.to_string())?;
    unary(
        &ch,
        paths::GET_PROVIDER_SCHEMA,
        get_provider_schema::Request {},
    )
    .await
    .map_err(|e| e.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_pinned_client_certificate_gets_in() {
    let terraform = terraform_like_client_cert();
    let plugin = Plugin::start("tailscale", &[("PLUGIN_CLIENT_CERT", &terraform.pem)]);

    let ok = schema_call(&plugin, Some(&terraform))
        .await
        .expect("pinned client is served");
    assert!(ok.resource_schemas.contains_key("tailscale_key"));

    let stranger = terraform_like_client_cert();
    assert!(
        schema_call(&plugin, Some(&stranger)).await.is_err(),
        "another certificate must be refused"
    );
    assert!(
        schema_call(&plugin, None).await.is_err(),
        "no certificate must be refused"
    );

    let plain = match unix_channel(&plugin.socket()).await {
        Ok(ch) => unary::<_, get_provider_schema::Response>(
            &ch,
            paths::GET_PROVIDER_SCHEMA,
            get_provider_schema::Request {},
        )
        .await
        .map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    assert!(plain.is_err(), "plaintext must be refused when TLS is on");

    // The refused attempts did not take the server down.
    schema_call(&plugin, Some(&terraform))
        .await
        .expect("still serving the pinned client");
}

#[test]
fn a_malformed_client_cert_is_a_clear_startup_error() {
    let dir = protocol_common::TempDir::new("badcert");
    let exe = protocol_common::binary_named(&dir, "terraform-provider-tailscale");
    let out = protocol_common::plugin_command(
        &exe,
        &[
            ("TF_PLUGIN_MAGIC_COOKIE", protocol_common::COOKIE),
            ("PLUGIN_CLIENT_CERT", "garbage"),
        ],
    )
    .output()
    .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no handshake line");
    assert!(String::from_utf8_lossy(&out.stderr).contains("TLS"));
}

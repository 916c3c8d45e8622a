//! AutoMTLS against the real binary: with `PLUGIN_CLIENT_CERT` set (a Terraform-like P-521 CA
//! cert), the handshake carries our server cert, the holder of that client cert gets in, and a
//! client with another cert, no cert or no TLS at all is refused — on the unix socket and on
//! the TCP transport (Windows' and `PAASFORM_PLUGIN_TRANSPORT=tcp`'s). A PEM body that is no
//! certificate stops the provider at startup.

mod protocol_common;

use base64::Engine;
use paasform::protocol::proto::tfplugin6::get_provider_schema;
use protocol_common::{
    paths, plain_channel, terraform_like_client_cert, tls_channel, unary, ClientIdentity, Plugin,
};
use tonic::transport::Channel;

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

async fn connect(plugin: &Plugin, client: Option<&ClientIdentity>) -> Result<Channel, String> {
    tls_channel(plugin.target(), server_cert(plugin), client)
        .await
        .map_err(|e| e.to_string())
}

async fn schema(ch: &Channel) -> Result<get_provider_schema::Response, String> {
    unary(
        ch,
        paths::GET_PROVIDER_SCHEMA,
        get_provider_schema::Request {},
    )
    .await
    .map_err(|e| e.to_string())
}

async fn schema_call(
    plugin: &Plugin,
    client: Option<&ClientIdentity>,
) -> Result<get_provider_schema::Response, String> {
    schema(&connect(plugin, client).await?).await
}

/// The pinned client is served; another certificate, none, or plaintext are refused, and the
/// refusals do not disturb the served connection (held open, as Terraform holds its own).
async fn only_the_pinned_client_gets_in(plugin: &Plugin, terraform: &ClientIdentity) {
    let held = connect(plugin, Some(terraform))
        .await
        .expect("pinned client connects");
    let ok = schema(&held).await.expect("pinned client is served");
    assert!(ok.resource_schemas.contains_key("tailscale_key"));

    let stranger = terraform_like_client_cert();
    assert!(
        schema_call(plugin, Some(&stranger)).await.is_err(),
        "another certificate must be refused"
    );
    assert!(
        schema_call(plugin, None).await.is_err(),
        "no certificate must be refused"
    );
    let plain = match plain_channel(&plugin.target()).await {
        Ok(ch) => schema(&ch).await,
        Err(e) => Err(e.to_string()),
    };
    assert!(plain.is_err(), "plaintext must be refused when TLS is on");

    // The refused attempts did not take the server down, for the held client or a new one.
    schema(&held)
        .await
        .expect("still serving the pinned client");
    schema_call(plugin, Some(terraform))
        .await
        .expect("a second connection of the pinned client is served");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_pinned_client_certificate_gets_in() {
    let terraform = terraform_like_client_cert();
    let plugin = Plugin::start("tailscale", &[("PLUGIN_CLIENT_CERT", &terraform.pem)]);
    assert_eq!(plugin.fields()[2], "unix");
    only_the_pinned_client_gets_in(&plugin, &terraform).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tcp_transport_pins_the_client_certificate_too() {
    let terraform = terraform_like_client_cert();
    let plugin = Plugin::start(
        "tailscale",
        &[
            ("PLUGIN_CLIENT_CERT", &terraform.pem),
            ("PAASFORM_PLUGIN_TRANSPORT", "tcp"),
        ],
    );
    let fields = plugin.fields();
    assert_eq!(fields[..3], ["1", "6", "tcp"], "{}", plugin.handshake);
    assert!(fields[3].starts_with("127.0.0.1:"), "{}", plugin.handshake);
    assert_eq!(fields[4], "grpc");
    only_the_pinned_client_gets_in(&plugin, &terraform).await;
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

#[test]
fn a_pem_body_that_is_no_certificate_stops_the_provider() {
    let dir = protocol_common::TempDir::new("badcertbody");
    let exe = protocol_common::binary_named(&dir, "terraform-provider-tailscale");
    // Valid armour and base64: only the DER inside is wrong.
    let pem = "-----BEGIN CERTIFICATE-----\nMIIBAAECAwQFBgcICQ==\n-----END CERTIFICATE-----\n";
    let out = protocol_common::plugin_command(
        &exe,
        &[
            ("TF_PLUGIN_MAGIC_COOKIE", protocol_common::COOKIE),
            ("PLUGIN_CLIENT_CERT", pem),
        ],
    )
    .output()
    .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "no handshake line, so Terraform never dials"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("PLUGIN_CLIENT_CERT") && stderr.contains("not an X.509 certificate"),
        "{stderr}"
    );
}

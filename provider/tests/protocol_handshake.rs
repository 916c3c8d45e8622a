//! The real binary as Terraform starts it: the cookie check, the handshake line, the socket,
//! GetProviderSchema and health over plaintext gRPC, and a prompt exit on Shutdown.

mod protocol_common;

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::time::Duration;

use paasform::protocol::proto::health::{
    health_check_response::ServingStatus, HealthCheckRequest, HealthCheckResponse,
};
use paasform::protocol::proto::plugin::Empty;
use paasform::protocol::proto::tfplugin6::get_provider_schema;
use protocol_common::{
    binary_named, paths, plugin_command, unary, unix_channel, Plugin, TempDir, COOKIE,
};

#[test]
fn handshake_line_names_a_private_unix_socket_without_tls() {
    let plugin = Plugin::start("tailscale", &[]);
    let f = plugin.fields();
    assert_eq!(f.len(), 6, "handshake {:?}", plugin.handshake);
    assert_eq!(&f[..3], ["1", "6", "unix"]);
    assert_eq!(f[4], "grpc");
    assert_eq!(f[5], "", "no certificate without PLUGIN_CLIENT_CERT");
    let socket = plugin.socket();
    assert!(std::fs::metadata(&socket)
        .expect("socket exists")
        .file_type()
        .is_socket());
    let dir_mode = std::fs::metadata(socket.parent().expect("dir"))
        .expect("dir")
        .permissions()
        .mode();
    assert_eq!(dir_mode & 0o777, 0o700, "socket dir must be private");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_schema_and_health_then_exits_on_shutdown() {
    let mut plugin = Plugin::start("tailscale", &[]);
    let ch = unix_channel(&plugin.socket()).await.expect("connect");

    let schema: get_provider_schema::Response = unary(
        &ch,
        paths::GET_PROVIDER_SCHEMA,
        get_provider_schema::Request {},
    )
    .await
    .expect("schema");
    assert!(
        schema.resource_schemas.contains_key("tailscale_key"),
        "{:?}",
        schema.resource_schemas.keys()
    );
    let provider = schema
        .provider
        .and_then(|p| p.block)
        .expect("provider block");
    assert!(provider
        .attributes
        .iter()
        .any(|a| a.name == "api_key" && a.sensitive));
    let caps = schema.server_capabilities.expect("capabilities");
    assert!(caps.get_provider_schema_optional && !caps.plan_destroy);

    for service in ["plugin", ""] {
        let h: HealthCheckResponse = unary(
            &ch,
            paths::HEALTH_CHECK,
            HealthCheckRequest {
                service: service.into(),
            },
        )
        .await
        .expect("health");
        assert_eq!(
            h.status,
            ServingStatus::Serving as i32,
            "service {service:?}"
        );
    }

    let _: Empty = unary(&ch, paths::SHUTDOWN, Empty {})
        .await
        .expect("shutdown");
    // Terraform SIGKILLs a plugin that is still alive 2 s after Shutdown: that is the contract.
    let status = plugin
        .wait_exit(Duration::from_secs(2))
        .expect("exited within 2 s of Shutdown");
    assert!(status.success(), "{status:?}");
    assert_eq!(
        plugin.rest_of_stdout(),
        "",
        "nothing but the handshake on stdout"
    );
    assert!(!plugin.socket().exists(), "socket dir cleaned up");
}

fn run_without_serving(name: &str, env: &[(&str, &str)]) -> std::process::Output {
    let dir = TempDir::new("cli");
    let exe = binary_named(&dir, name);
    plugin_command(&exe, env).output().expect("run binary")
}

#[test]
fn without_the_cookie_it_explains_itself_and_exits_1() {
    for env in [&[][..], &[("TF_PLUGIN_MAGIC_COOKIE", "wrong")][..]] {
        let out = run_without_serving("terraform-provider-tailscale", env);
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("This binary is a plugin"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn refuses_clients_that_do_not_offer_protocol_6() {
    let out = run_without_serving(
        "terraform-provider-tailscale",
        &[
            ("TF_PLUGIN_MAGIC_COOKIE", COOKIE),
            ("PLUGIN_PROTOCOL_VERSIONS", "4,5"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("protocol 6"));
    assert!(out.stdout.is_empty(), "no handshake line");
}

#[test]
fn an_unknown_identity_does_not_serve() {
    let out = run_without_serving(
        "terraform-provider-paasform",
        &[("TF_PLUGIN_MAGIC_COOKIE", COOKIE)],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("terraform-provider-<name>"));
}

#[test]
fn version_and_usage() {
    let out = run_without_serving("terraform-provider-paasform", &[]);
    assert_eq!(out.status.code(), Some(1), "no command: usage and exit 1");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage"));

    let dir = TempDir::new("cli");
    let exe = binary_named(&dir, "terraform-provider-paasform");
    let out = plugin_command(&exe, &[])
        .arg("version")
        .output()
        .expect("version");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("paasform "));
}

#[test]
fn install_lays_out_a_filesystem_mirror() {
    let dir = TempDir::new("install");
    let exe = binary_named(&dir, "terraform-provider-paasform");
    let mirror = dir.path().join("mirror");
    let out = plugin_command(&exe, &[])
        .args([
            "install",
            "--dir",
            mirror.to_str().expect("utf8"),
            "--identity",
            "tailscale",
        ])
        .output()
        .expect("install");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let version = env!("CARGO_PKG_VERSION");
    let platform_dir = mirror
        .join("registry.terraform.io/paasform/tailscale")
        .join(version);
    let entries: Vec<_> = std::fs::read_dir(&platform_dir)
        .expect("platform dir")
        .flatten()
        .collect();
    assert_eq!(entries.len(), 1);
    let bin = entries[0]
        .path()
        .join(format!("terraform-provider-tailscale_v{version}"));
    let mode = std::fs::metadata(&bin)
        .expect("installed binary")
        .permissions()
        .mode();
    assert_eq!(mode & 0o755, 0o755);
    assert!(
        !mirror
            .join("registry.terraform.io/paasform/render")
            .exists(),
        "only the asked identity"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("filesystem_mirror") && stdout.contains("registry.terraform.io/paasform/*"),
        "{stdout}"
    );
}

//! The Windows build for real: `terraform-provider-paasform.exe` (x86_64-pc-windows-gnu, built by
//! `scripts/release.sh --targets windows_amd64`) runs under wine with go-plugin's environment and
//! is driven from Linux as Terraform would drive it on Windows: the handshake line must say
//! `…|tcp|127.0.0.1:PORT|grpc|<cert>` within PLUGIN_MIN_PORT..=PLUGIN_MAX_PORT, the pinned mTLS
//! client gets in, a client without the certificate (or with another one) is refused, and
//! GetProviderSchema plus one ReadResource against the emulator (on Linux; wine shares the
//! loopback) answer. Skipped, with the reason printed, when wine or the .exe is missing.
//!
//! Run: `scripts/release.sh --targets windows_amd64 --identities tailscale && cargo test -p
//! paasform --test windows_wine -- --nocapture` (PAASFORM_WINDOWS_EXE overrides the .exe path).
//! Under wine 8 (Debian 12) the test puts a ProcessPrng stand-in beside the .exe (see
//! tests/wine/bcryptprimitives.c): Rust's std needs bcryptprimitives.dll, which wine 8 lacks.

mod common;
mod protocol_common;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use base64::Engine;
use paasform::framework::Value;
use paasform::protocol::cty;
use paasform::protocol::proto::tfplugin6 as pb;
use paasform_emulator::Config;
use protocol_common::{
    paths, plugin_command, terraform_like_client_cert, tls_channel, unary, Plugin, Target, TempDir,
    COOKIE,
};

/// The first start creates the wine prefix (tens of seconds); later ones take about a second.
const HANDSHAKE_LIMIT: Duration = Duration::from_secs(180);

fn windows_exe() -> PathBuf {
    match std::env::var_os("PAASFORM_WINDOWS_EXE") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(
            "../target/release-build/x86_64-pc-windows-gnu/release/terraform-provider-paasform.exe",
        ),
    }
}

fn find_wine() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["wine", "wine64"].iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// A wine prefix kept between runs under the target dir (creating one costs tens of seconds).
fn wine_prefix() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/wine-prefix");
    std::fs::create_dir_all(&dir).expect("wine prefix dir");
    dir.canonicalize().expect("wine prefix path")
}

/// Puts the ProcessPrng stand-in (tests/wine/bcryptprimitives.c, built with mingw-w64) beside
/// the .exe: wine 8 has no bcryptprimitives.dll, which Rust's std needs for random bytes (see
/// the C file). Without mingw-w64 the test goes on; wine 9 and later have the DLL themselves.
fn place_process_prng(dir: &std::path::Path) {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/wine/bcryptprimitives.c");
    let built = std::process::Command::new("x86_64-w64-mingw32-gcc")
        .args(["-O2", "-shared", "-o"])
        .arg(dir.join("bcryptprimitives.dll"))
        .arg(&src)
        .arg("-ladvapi32")
        .status();
    if !matches!(built, Ok(s) if s.success()) {
        eprintln!(
            "note: no ProcessPrng stand-in ({built:?}; Debian: apt-get install gcc-mingw-w64-x86-64): wine 8 will not load the .exe"
        );
    }
}

fn dv(v: &Value, ty: &paasform::framework::Type) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: cty::encode_msgpack(v, ty).expect("encode"),
        json: Vec::new(),
    })
}

fn errors(diags: &[pb::Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d.severity == pb::diagnostic::Severity::Error as i32)
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn windows_build_under_wine_speaks_tcp_with_pinned_mtls() {
    let exe = windows_exe();
    let Some(wine) = find_wine() else {
        eprintln!("skipped: no `wine` on PATH (Debian: apt-get install wine wine64)");
        return;
    };
    if !exe.is_file() {
        eprintln!(
            "skipped: no Windows build at {} (scripts/release.sh --targets windows_amd64, or set PAASFORM_WINDOWS_EXE)",
            exe.display()
        );
        return;
    }

    // The emulator runs here on Linux; the Windows process reaches it on 127.0.0.1.
    let emu = common::TestEmulator::start(Config::default()).await;
    let provider_config = [
        ("api_key", Value::string("tskey-api-test")),
        ("base_url", Value::string(emu.url("tailscale"))),
    ];
    // A key made by the Linux build, for the Windows build to read back.
    let linux = common::host("tailscale", &provider_config).await;
    let key_config = common::resource_config(
        &linux,
        "tailscale_key",
        &[
            ("tags", Value::set(vec![Value::string("tag:server")])),
            ("expiry", Value::int(3600)),
            ("description", Value::string("made on linux")),
        ],
    );
    let (state, _) = common::apply(&linux, "tailscale_key", &Value::Null, &key_config).await;
    let key_id = state.attr("id").as_str().expect("key id").to_string();

    // argv[0] names the identity; wine has no symlinks to follow, so copy.
    let dir = TempDir::new("wine");
    let named = dir.path().join("terraform-provider-tailscale.exe");
    std::fs::copy(&exe, &named).expect("copy the .exe");
    place_process_prng(dir.path());
    let terraform = terraform_like_client_cert();
    let min_port = 20000 + (std::process::id() % 20000) as u16;
    let max_port = min_port + 50;
    let (min_s, max_s) = (min_port.to_string(), max_port.to_string());
    let prefix = wine_prefix();
    let mut cmd = plugin_command(
        &wine,
        &[
            ("TF_PLUGIN_MAGIC_COOKIE", COOKIE),
            ("PLUGIN_PROTOCOL_VERSIONS", "5,6"),
            ("PLUGIN_CLIENT_CERT", &terraform.pem),
            ("PLUGIN_MIN_PORT", &min_s),
            ("PLUGIN_MAX_PORT", &max_s),
            ("WINEPREFIX", prefix.to_str().expect("utf-8 prefix")),
            ("WINEDEBUG", "-all"),
            // No Mono/Gecko installer prompts while the prefix is created.
            ("WINEDLLOVERRIDES", "mscoree,mshtml="),
        ],
    );
    let wine_log = dir.path().join("wine-stderr.log");
    cmd.arg(&named)
        .stderr(Stdio::from(std::fs::File::create(&wine_log).expect("log")));
    let started = std::time::Instant::now();
    let plugin = Plugin::spawn(cmd, dir, HANDSHAKE_LIMIT);
    eprintln!(
        "wine: handshake after {:?}: {}",
        started.elapsed(),
        plugin.handshake.chars().take(60).collect::<String>()
    );

    let f = plugin.fields();
    assert_eq!(f.len(), 6, "handshake line: {:?}", plugin.handshake);
    assert_eq!(&f[..2], ["1", "6"], "core and app protocol versions");
    assert_eq!(
        f[2], "tcp",
        "Windows listens on TCP: {:?}",
        plugin.handshake
    );
    assert_eq!(f[4], "grpc");
    let port: u16 = f[3]
        .strip_prefix("127.0.0.1:")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("address is 127.0.0.1:PORT, got {:?}", f[3]));
    assert!(
        (min_port..=max_port).contains(&port),
        "port {port} within PLUGIN_MIN_PORT..=PLUGIN_MAX_PORT ({min_port}..={max_port})"
    );
    let server_der = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(&f[5])
        .expect("server certificate (base64, no padding) in the handshake");
    let target = Target::Tcp(f[3].clone());

    // Refused: no client certificate, and a certificate other than the pinned one.
    let schema_req = || pb::get_provider_schema::Request {};
    let refused = match tls_channel(target.clone(), server_der.clone(), None).await {
        Ok(ch) => unary::<_, pb::get_provider_schema::Response>(
            &ch,
            paths::GET_PROVIDER_SCHEMA,
            schema_req(),
        )
        .await
        .err(),
        Err(e) => Some(tonic::Status::unavailable(e.to_string())),
    };
    assert!(
        refused.is_some(),
        "a client without the certificate must be refused"
    );
    let stranger = terraform_like_client_cert();
    let refused = match tls_channel(target.clone(), server_der.clone(), Some(&stranger)).await {
        Ok(ch) => unary::<_, pb::get_provider_schema::Response>(
            &ch,
            paths::GET_PROVIDER_SCHEMA,
            schema_req(),
        )
        .await
        .err(),
        Err(e) => Some(tonic::Status::unavailable(e.to_string())),
    };
    assert!(refused.is_some(), "another certificate must be refused");

    // The pinned client: schema, configure, one read against the emulator.
    let ch = tls_channel(target, server_der, Some(&terraform))
        .await
        .expect("the pinned client connects");
    let schema: pb::get_provider_schema::Response =
        unary(&ch, paths::GET_PROVIDER_SCHEMA, schema_req())
            .await
            .expect("GetProviderSchema");
    assert!(
        errors(&schema.diagnostics).is_empty(),
        "{:?}",
        schema.diagnostics
    );
    assert!(
        schema.resource_schemas.contains_key("tailscale_key"),
        "the tailscale identity serves tailscale_key"
    );

    let provider_ty = linux.provider_schema().value_type();
    let names: Vec<String> = linux
        .provider_schema()
        .block
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .collect();
    let cfg = common::object_of(&names, &provider_config);
    let configured: pb::configure_provider::Response = unary(
        &ch,
        paths::CONFIGURE_PROVIDER,
        pb::configure_provider::Request {
            terraform_version: "1.15.5".into(),
            config: dv(&cfg, &provider_ty),
            client_capabilities: None,
        },
    )
    .await
    .expect("ConfigureProvider");
    assert!(
        errors(&configured.diagnostics).is_empty(),
        "{:?}",
        configured.diagnostics
    );

    let key_ty = linux
        .resource_schema("tailscale_key")
        .expect("schema")
        .value_type();
    let before = emu.request_total().await;
    let read: pb::read_resource::Response = unary(
        &ch,
        paths::READ_RESOURCE,
        pb::read_resource::Request {
            type_name: "tailscale_key".into(),
            current_state: dv(&state, &key_ty),
            ..Default::default()
        },
    )
    .await
    .expect("ReadResource");
    assert!(
        errors(&read.diagnostics).is_empty(),
        "{:?}",
        read.diagnostics
    );
    let read_state =
        cty::decode_msgpack(&read.new_state.expect("new state").msgpack, &key_ty).expect("decode");
    assert_eq!(read_state.attr("id").as_str(), Some(key_id.as_str()));
    assert_eq!(
        read_state.attr("description").as_str(),
        Some("made on linux")
    );
    assert!(
        emu.request_total().await > before,
        "the Windows process read the key from the emulator"
    );
}

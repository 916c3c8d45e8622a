//! The release as a registry serves it, through a real `terraform init`: `scripts/release.sh`
//! packages the provider (zip, manifest, SHA256SUMS, detached GPG signature, public key), a small
//! provider-registry-protocol server serves it over HTTPS on 127.0.0.1 with a test CA that
//! Terraform trusts through `SSL_CERT_FILE`, and the CLI config's `host` block maps the registry
//! name to it. No dev overrides, no filesystem mirror. A tampered zip or a signature from another
//! key makes `init` fail. Imports only the harness's public API (and rcgen for the test CA).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use paasform_acceptance_tests::{
    platform, provider_binary, target_dir, workspace_root, Emulator, Workspace, PROVIDER_VERSION,
};
use serde_json::json;

const HOST: &str = "registry.paasform.test";
const IDENTITY: &str = "render";

/// Serves `root` as static files over HTTPS on 127.0.0.1 (Python's standard library: the harness
/// already needs Python for the Terraform wheel). Killed on drop.
struct Registry {
    child: Child,
    port: u16,
}

const SERVE_PY: &str = r#"
import http.server, ssl, sys, functools
root, cert, key = sys.argv[1:4]
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=root)
handler.func.log_message = lambda *a: None
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
print(httpd.server_address[1], flush=True)
httpd.serve_forever()
"#;

impl Registry {
    fn start(root: &Path, cert: &Path, key: &Path) -> Registry {
        let mut child = Command::new("python3")
            .arg("-c")
            .arg(SERVE_PY)
            .args([root, cert, key])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the registry server (python3)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("port line");
        let port = line.trim().parse().expect("registry port");
        Registry { child, port }
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn write(path: &Path, content: impl AsRef<[u8]>) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, content).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A test CA and a server certificate for 127.0.0.1 signed by it: (ca.pem, server.pem, key.pem).
fn test_ca(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let ca_key = rcgen::KeyPair::generate().expect("ca key");
    let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "paasform test registry CA");
    let ca_cert = ca.self_signed(&ca_key).expect("ca cert");
    let issuer = rcgen::Issuer::new(ca, ca_key);
    let key = rcgen::KeyPair::generate().expect("server key");
    let server = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()])
        .expect("server params")
        .signed_by(&key, &issuer)
        .expect("server cert");
    let paths = (
        dir.join("ca.pem"),
        dir.join("server.pem"),
        dir.join("key.pem"),
    );
    write(&paths.0, ca_cert.pem());
    write(&paths.1, server.pem());
    write(&paths.2, key.serialize_pem());
    (paths.0, paths.1, paths.2)
}

/// Runs `scripts/release.sh` on the already built provider for this platform and identity.
fn release(out: &Path) {
    let status = Command::new("bash")
        .arg(workspace_root().join("scripts/release.sh"))
        .args(["--binary"])
        .arg(provider_binary())
        .args(["--targets", &platform(), "--identities", IDENTITY, "--out"])
        .arg(out)
        .status()
        .expect("run scripts/release.sh");
    assert!(status.success(), "scripts/release.sh failed: {status}");
}

/// Lays out the provider registry protocol's answers as static files under `www`, pointing at
/// the release files in `www/files`.
fn registry_layout(www: &Path, release: &Path, base: &str) {
    let prefix = format!("terraform-provider-{IDENTITY}_{PROVIDER_VERSION}");
    let (os, arch) = platform()
        .split_once('_')
        .map(|(o, a)| (o.to_string(), a.to_string()))
        .expect("os_arch");
    let zip = format!("{prefix}_{os}_{arch}.zip");
    let sums = format!("{prefix}_SHA256SUMS");
    for f in [&zip, &sums, &format!("{sums}.sig")] {
        std::fs::copy(release.join(f), www.join("files").join(f)).expect("copy release file");
    }
    let shasum = read(&release.join(&sums))
        .lines()
        .find(|l| l.ends_with(&zip))
        .and_then(|l| l.split_whitespace().next())
        .expect("zip in SHA256SUMS")
        .to_string();
    let provider = www.join("v1/providers/paasform").join(IDENTITY);
    write(
        &www.join(".well-known/terraform.json"),
        json!({ "providers.v1": "/v1/providers/" }).to_string(),
    );
    write(
        &provider.join("versions"),
        json!({ "versions": [{
            "version": PROVIDER_VERSION,
            "protocols": ["6.0"],
            "platforms": [{ "os": os, "arch": arch }],
        }]})
        .to_string(),
    );
    write(
        &provider.join(format!("{PROVIDER_VERSION}/download/{os}/{arch}")),
        json!({
            "protocols": ["6.0"],
            "os": os,
            "arch": arch,
            "filename": zip,
            "download_url": format!("{base}/files/{zip}"),
            "shasums_url": format!("{base}/files/{sums}"),
            "shasums_signature_url": format!("{base}/files/{sums}.sig"),
            "shasum": shasum,
            "signing_keys": { "gpg_public_keys": [{
                "key_id": read(&release.join("signing-key.id")).trim(),
                "ascii_armor": read(&release.join("signing-key.asc")),
            }]},
        })
        .to_string(),
    );
}

fn config(port: u16) -> String {
    format!(
        "host \"{HOST}\" {{\n  services = {{\n    \"providers.v1\" = \"https://127.0.0.1:{port}/v1/providers/\"\n  }}\n}}\n\
         provider_installation {{\n  direct {{}}\n}}\n"
    )
}

const MAIN_TF: &str = r#"
terraform {
  required_providers {
    render = { source = "registry.paasform.test/paasform/render", version = "0.1.0" }
  }
}

resource "render_service" "web" {
  type          = "static_site"
  name          = "registry-web"
  repo          = "https://github.com/example/kirby-gen"
  build_command = "npm run build"
  publish_path  = "dist"
}
"#;

fn workspace(name: &str, port: u16, ca: &Path) -> Workspace {
    let ws = Workspace::with_mirror(name)
        .with_cli_config(&config(port))
        .with_env("SSL_CERT_FILE", &ca.display().to_string());
    ws.write_file("main.tf", MAIN_TF);
    ws
}

#[test]
fn init_installs_the_signed_release_from_a_registry() {
    let started = Instant::now();
    let root = target_dir()
        .join("acc-tmp")
        .join(format!("registry-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let (release_dir, www) = (root.join("release"), root.join("www"));
    std::fs::create_dir_all(www.join("files")).expect("mkdir");
    release(&release_dir);
    let (ca, cert, key) = test_ca(&root);
    let registry = Registry::start(&www, &cert, &key);
    let base = format!("https://127.0.0.1:{}", registry.port);
    registry_layout(&www, &release_dir, &base);
    eprintln!(
        "release packaged and registry up in {:?}",
        started.elapsed()
    );

    // A real install: downloaded, checked against the signed SHA256SUMS, hashes locked.
    let emulator = Emulator::start(&[]);
    let ws = workspace("registry_install", registry.port, &ca).with_emulator(&emulator);
    let init = ws.init();
    assert!(
        init.stdout
            .contains("Installed registry.paasform.test/paasform/render v0.1.0")
            && init.stdout.contains("signed by"),
        "{}",
        init.stdout
    );
    let lock = read(&ws.dir().join(".terraform.lock.hcl"));
    assert!(
        lock.contains(&format!("provider \"{HOST}/paasform/render\"")),
        "{lock}"
    );
    assert!(lock.contains("\"h1:") && lock.contains("\"zh:"), "{lock}");
    let prefix = format!("terraform-provider-{IDENTITY}_{PROVIDER_VERSION}");
    let sums = read(&release_dir.join(format!("{prefix}_SHA256SUMS")));
    for line in sums.lines().filter(|l| l.ends_with(".zip")) {
        let hash = line.split_whitespace().next().expect("hash");
        assert!(
            lock.contains(&format!("zh:{hash}")),
            "{hash} not locked:\n{lock}"
        );
    }
    // `providers lock` for the released platform agrees with what init wrote.
    let relock = ws.run(&["providers", "lock", &format!("-platform={}", platform())]);
    assert_eq!(relock.code, Some(0), "{}\n{}", relock.stdout, relock.stderr);
    assert_eq!(read(&ws.dir().join(".terraform.lock.hcl")), lock);

    ws.apply();
    assert_eq!(emulator.request_count("POST /render/v1/services"), 1);
    ws.assert_no_changes();
    ws.destroy();
    emulator.assert_empty();

    // A zip that is not the one the signed sums name is refused.
    let zip = www
        .join("files")
        .join(format!("{prefix}_{}.zip", platform()));
    let original = std::fs::read(&zip).expect("zip");
    let mut tampered = original.clone();
    let at = tampered.len() / 2;
    tampered[at] ^= 0xff;
    std::fs::write(&zip, &tampered).expect("tamper");
    let ws = workspace("registry_tampered_zip", registry.port, &ca);
    let out = ws.run(&["init", "-input=false"]);
    assert_ne!(out.code, Some(0), "a tampered zip must not install");
    assert!(
        out.stderr.contains("checksum") || out.stderr.contains("doesn't match"),
        "{}",
        out.stderr
    );
    std::fs::write(&zip, &original).expect("restore");

    // Sums signed by another key than the registry names are refused. (The second release of
    // the same binary also shows the packaging is reproducible: the same sums.)
    let other = root.join("other-release");
    release(&other);
    assert_eq!(
        read(&other.join(format!("{prefix}_SHA256SUMS"))),
        sums,
        "same binary, same zip and manifest hashes"
    );
    let sig = www.join("files").join(format!("{prefix}_SHA256SUMS.sig"));
    std::fs::copy(other.join(format!("{prefix}_SHA256SUMS.sig")), &sig).expect("swap sig");
    let ws = workspace("registry_wrong_signature", registry.port, &ca);
    let out = ws.run(&["init", "-input=false"]);
    assert_ne!(out.code, Some(0), "a foreign signature must not install");
    assert!(
        out.stderr.to_lowercase().contains("signature") || out.stderr.contains("authentication"),
        "{}",
        out.stderr
    );
    drop(registry);
    let _ = std::fs::remove_dir_all(&root);
    eprintln!("registry test took {:?}", started.elapsed());
}

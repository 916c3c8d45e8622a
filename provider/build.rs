//! Compiles proto/ (tfplugin6, go-plugin's services, grpc health) into server-side tonic code.
//! Pure Rust (`protox`), so building needs no system `protoc`.

use std::path::PathBuf;

const PROTOS: &[&str] = &["tfplugin6.proto", "plugin.proto", "health.proto"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let proto_dir = manifest.join("..").join("proto");
    for file in PROTOS {
        println!("cargo:rerun-if-changed={}", proto_dir.join(file).display());
    }
    println!("cargo:rerun-if-changed=build.rs");

    let fds = protox::compile(PROTOS, [&proto_dir])?;
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(false)
        // Unhandled RPCs answer `Unimplemented`, which Terraform reads as "feature absent".
        .generate_default_stubs(true)
        .compile_fds(fds)?;
    Ok(())
}

//! The one binary, installed under one name per identity. `terraform-provider-<identity>[_vX.Y.Z]` started by
//! Terraform (magic cookie set) serves that identity over the plugin protocol; anything else
//! (including `terraform-provider-paasform` itself) is the human CLI in `cli.rs`.
//! Nothing may reach stdout before the handshake line when serving.

mod cli;

use std::sync::Arc;

use paasform::framework::Host;
use paasform::{clouds, protocol};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let identity = args.first().and_then(|a| cli::identity_from_argv0(a));
    if protocol::handshake::has_magic_cookie() {
        std::process::exit(serve(identity.as_deref()));
    }
    std::process::exit(cli::run(identity.as_deref(), &args[1.min(args.len())..]));
}

/// Terraform started us: serve the identity our file name names.
fn serve(identity: Option<&str>) -> i32 {
    let Some(provider) = identity.and_then(clouds::provider) else {
        eprintln!(
            "This executable must be named terraform-provider-<name> with <name> one of {}; \
             it is {:?}. Install it with `terraform-provider-paasform install`.",
            clouds::IDENTITIES.join(", "),
            identity.unwrap_or("(none)")
        );
        return 1;
    };
    protocol::serve_plugin(Arc::new(Host::new(provider)))
}

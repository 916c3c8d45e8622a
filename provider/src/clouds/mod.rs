//! The only place vendor knowledge lives. `identity(name)` returns the provider an executable
//! name asks for. Must not import `protocol`.

pub mod cloudflare;
pub mod http;
pub mod pacing;
pub mod railway;
pub mod render;
pub mod support;
pub mod tailscale;
pub mod vercel;

use std::sync::Arc;

use crate::framework::Provider;

/// The identities this binary can serve (the harness and the release script read this list).
pub const IDENTITIES: &[&str] = &[
    "render",
    "railway",
    "vercel",
    "tailscale",
    "r2",
    "cloudflare",
];

/// The provider for an identity, if it is one of ours.
pub fn provider(identity: &str) -> Option<Arc<dyn Provider>> {
    match identity {
        "tailscale" => Some(Arc::new(tailscale::TailscaleProvider)),
        "r2" => Some(Arc::new(cloudflare::R2Provider)),
        "cloudflare" => Some(Arc::new(cloudflare::CloudflareProvider)),
        "railway" => Some(Arc::new(railway::RailwayProvider)),
        "vercel" => Some(Arc::new(vercel::VercelProvider)),
        "render" => Some(Arc::new(render::RenderProvider)),
        _ => None,
    }
}

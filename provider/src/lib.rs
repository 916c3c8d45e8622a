//! paasform: a Terraform/OpenTofu provider for Render, Railway, Vercel, Tailscale and Cloudflare R2.
//! Rooms: `protocol` (tfplugin6 + go-plugin) → `framework` (Terraform semantics) ← `clouds` (vendors).

pub mod adopt;
pub mod blueprint;
pub mod clouds;
pub mod docgen;
pub mod framework;
pub mod protocol;
pub mod stop;

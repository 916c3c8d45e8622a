//! Cloudflare API v4 emulation beyond R2 (which lives in `crate::r2`, owner of the shared envelope
//! and credentials check): one file per API family, routes nested under `/cloudflare/client/v4`.
//! Must not import other vendor modules (except the Cloudflare envelope in `crate::r2`) or the
//! provider crate.

pub mod dns;
pub mod tunnels;

//! paasform-emulator: one stateful world serving the five vendor APIs on one port under path prefixes.
//! Owns routing, shared state, persistence, request counting, fault injection and the strict-spec
//! contract check.
//! Must not import the provider crate: the emulator is built from the vendor specs alone, so one
//! misunderstanding cannot make both sides agree.

pub mod cloudflare;
pub mod contract;
pub mod faults;
pub mod r2;
pub mod railway;
pub mod render;
pub mod tailscale;
pub mod vercel;
pub mod world;

pub use world::{Config, Emulator};

//! Speaks tfplugin6 + go-plugin: handshake, AutoMTLS, gRPC services, wire ⇄ framework conversion.
//! Must not import clouds (the provider arrives as a `framework::Host`).

pub mod actions;
pub mod convert;
pub mod cty;
pub mod go_plugin;
pub mod handshake;
pub mod list_rpc;
pub mod logging;
pub mod proto;
pub mod provider_service;
pub mod server;
pub mod tls;
pub mod transport;

pub use server::{serve_debug, serve_plugin, Shutdown};

//! Speaks tfplugin6 + go-plugin: handshake, AutoMTLS, gRPC services, wire ⇄ framework conversion.
//! Must not import clouds (the provider arrives as a `framework::Host`).

pub mod cty;

//! The generated wire types and service traits (from proto/ via build.rs). Nothing hand-written
//! lives here; must not import framework or clouds.

#[allow(clippy::all, clippy::pedantic, missing_docs, unused_qualifications)]
pub mod tfplugin6 {
    tonic::include_proto!("tfplugin6");
}

#[allow(clippy::all, clippy::pedantic, missing_docs, unused_qualifications)]
pub mod plugin {
    tonic::include_proto!("plugin");
}

#[allow(clippy::all, clippy::pedantic, missing_docs, unused_qualifications)]
pub mod health {
    tonic::include_proto!("grpc.health.v1");
}

//! go-plugin's side services every plugin serves next to tfplugin6: the controller (Shutdown),
//! stdio mirroring (kept open and empty: we log to stderr directly), the broker (accepted and
//! kept open; Terraform never brokers anything) and the gRPC health service.
//! Must not import framework or clouds.

use futures::StreamExt;
use tonic::codegen::BoxStream;
use tonic::{Request, Response, Status, Streaming};

use super::proto::health::health_check_response::ServingStatus;
use super::proto::health::health_server::Health;
use super::proto::health::{HealthCheckRequest, HealthCheckResponse};
use super::proto::plugin::grpc_broker_server::GrpcBroker;
use super::proto::plugin::grpc_controller_server::GrpcController;
use super::proto::plugin::grpc_stdio_server::GrpcStdio;
use super::proto::plugin::{ConnInfo, Empty, StdioData};
use super::server::Shutdown;

/// The service names the health check reports as serving ("" = the whole server).
const SERVING: &[&str] = &["", "plugin"];

pub struct Controller {
    pub shutdown: Shutdown,
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _req: Request<Empty>) -> Result<Response<Empty>, Status> {
        tracing::debug!("shutdown requested by the client");
        // The server winds down after this response is sent (and exits within the grace period).
        self.shutdown.trigger();
        Ok(Response::new(Empty {}))
    }
}

pub struct Stdio;

#[tonic::async_trait]
impl GrpcStdio for Stdio {
    async fn stream_stdio(
        &self,
        _req: Request<()>,
    ) -> Result<Response<BoxStream<StdioData>>, Status> {
        Ok(Response::new(futures::stream::pending().boxed()))
    }
}

pub struct Broker;

#[tonic::async_trait]
impl GrpcBroker for Broker {
    async fn start_stream(
        &self,
        req: Request<Streaming<ConnInfo>>,
    ) -> Result<Response<BoxStream<ConnInfo>>, Status> {
        // Drain what the client sends so its side never blocks on flow control.
        let mut inbound = req.into_inner();
        tokio::spawn(async move { while let Some(Ok(_)) = inbound.next().await {} });
        Ok(Response::new(futures::stream::pending().boxed()))
    }
}

pub struct HealthService;

fn status_of(service: &str) -> ServingStatus {
    if SERVING.contains(&service) {
        ServingStatus::Serving
    } else {
        ServingStatus::ServiceUnknown
    }
}

#[tonic::async_trait]
impl Health for HealthService {
    async fn check(
        &self,
        req: Request<HealthCheckRequest>,
    ) -> Result<Response<HealthCheckResponse>, Status> {
        let service = req.into_inner().service;
        if !SERVING.contains(&service.as_str()) {
            return Err(Status::not_found(format!("unknown service {service:?}")));
        }
        Ok(Response::new(HealthCheckResponse {
            status: ServingStatus::Serving as i32,
        }))
    }

    async fn watch(
        &self,
        req: Request<HealthCheckRequest>,
    ) -> Result<Response<BoxStream<HealthCheckResponse>>, Status> {
        // Our status never changes: send it once, then keep the stream open.
        let status = status_of(&req.into_inner().service) as i32;
        let first = futures::stream::once(async move { Ok(HealthCheckResponse { status }) });
        Ok(Response::new(
            first.chain(futures::stream::pending()).boxed(),
        ))
    }
}

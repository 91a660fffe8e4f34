//! go-plugin's auxiliary gRPC services: `GRPCController`, `GRPCStdio` and
//! `GRPCBroker`.

use futures_util::StreamExt as _;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use super::proto::go_plugin;

/// `plugin.GRPCController`: `Shutdown` ends the process (Terraform waits 2 s,
/// then kills it).
#[derive(Debug)]
pub(crate) struct ControllerService {
    pub(crate) shutdown: CancellationToken,
}

#[tonic::async_trait]
impl go_plugin::grpc_controller_server::GrpcController for ControllerService {
    async fn shutdown(
        &self,
        _request: Request<go_plugin::Empty>,
    ) -> Result<Response<go_plugin::Empty>, Status> {
        log::debug!("received GRPCController.Shutdown");
        self.shutdown.cancel();
        Ok(Response::new(go_plugin::Empty {}))
    }
}

/// `plugin.GRPCStdio`: this provider never writes to stdout/stderr through
/// the stream (logs go to stderr directly), so the stream stays open and
/// silent until shutdown.
#[derive(Debug)]
pub(crate) struct StdioService {
    pub(crate) shutdown: CancellationToken,
}

#[tonic::async_trait]
impl go_plugin::grpc_stdio_server::GrpcStdio for StdioService {
    async fn stream_stdio(
        &self,
        _request: Request<()>,
    ) -> Result<Response<tonic::codegen::BoxStream<go_plugin::StdioData>>, Status> {
        let shutdown = self.shutdown.clone();
        let stream = futures_util::stream::once(async move { shutdown.cancelled_owned().await })
            .filter_map(|()| async { None });
        Ok(Response::new(Box::pin(stream)))
    }
}

/// `plugin.GRPCBroker`: Terraform providers broker no extra connections; the
/// stream is accepted, drained and closed at shutdown.
#[derive(Debug)]
pub(crate) struct BrokerService {
    pub(crate) shutdown: CancellationToken,
}

#[tonic::async_trait]
impl go_plugin::grpc_broker_server::GrpcBroker for BrokerService {
    async fn start_stream(
        &self,
        request: Request<tonic::Streaming<go_plugin::ConnInfo>>,
    ) -> Result<Response<tonic::codegen::BoxStream<go_plugin::ConnInfo>>, Status> {
        let mut incoming = request.into_inner();
        let shutdown = self.shutdown.clone();
        let stream = futures_util::stream::once(async move {
            loop {
                tokio::select! {
                    () = shutdown.cancelled() => break,
                    message = incoming.next() => if message.is_none() { break },
                }
            }
        })
        .filter_map(|()| async { None });
        Ok(Response::new(Box::pin(stream)))
    }
}

//! `ValidateActionConfig`, `PlanAction` and `InvokeAction`. An invocation
//! runs on its own task; its progress messages are streamed as they are
//! reported, then one completion event with its diagnostics (a panic in the
//! action becomes an error diagnostic there).

use std::panic::AssertUnwindSafe;

use futures_util::{FutureExt as _, StreamExt as _};
use tokio_stream::wrappers::UnboundedReceiverStream;

use crate::framework::action::{InvokeRequest, Progress};
use crate::framework::diag::Diagnostics;
use crate::framework::provider::Provider;
use crate::plugin::protocol as p;

use super::newer_kinds::lookup;
use super::{FrameworkServer, codec};

const KIND: &str = "Action";

pub(super) async fn validate<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::ValidateActionConfigRequest,
) -> p::ValidateActionConfigResponse {
    let diagnostics = async {
        let (action, schema) = lookup(&server.newer.actions, KIND, &request.type_name)?;
        let config = codec::decode(
            &request.config,
            &schema.value_type(),
            "action configuration",
        )?;
        Ok::<_, Diagnostics>(action.validate_config(&config).await)
    }
    .await
    .unwrap_or_else(|diagnostics| diagnostics);
    p::ValidateActionConfigResponse {
        diagnostics: diagnostics.into_protocol(),
    }
}

pub(super) async fn plan<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::PlanActionRequest,
) -> p::PlanActionResponse {
    let diagnostics = async {
        let (action, schema) = lookup(&server.newer.actions, KIND, &request.action_type)?;
        let config = codec::decode(
            &request.config,
            &schema.value_type(),
            "action configuration",
        )?;
        let mut diagnostics = action.validate_config(&config).await;
        diagnostics.extend(action.plan(&config).await);
        Ok::<_, Diagnostics>(diagnostics)
    }
    .await
    .unwrap_or_else(|diagnostics| diagnostics);
    p::PlanActionResponse {
        diagnostics: diagnostics.into_protocol(),
        deferred: None,
    }
}

pub(super) async fn invoke<P: Provider>(
    server: &FrameworkServer<P>,
    request: p::InvokeActionRequest,
) -> p::EventStream<p::InvokeActionEvent> {
    let prepared =
        lookup(&server.newer.actions, KIND, &request.action_type).and_then(|(action, schema)| {
            let config = codec::decode(
                &request.config,
                &schema.value_type(),
                "action configuration",
            )?;
            let mut diagnostics = Diagnostics::new();
            codec::require_wholly_known(&config, "action configuration", &mut diagnostics);
            if diagnostics.has_error() {
                return Err(diagnostics);
            }
            Ok((action.clone(), config))
        });
    let (action, config) = match prepared {
        Ok(prepared) => prepared,
        Err(diagnostics) => {
            let completed = p::InvokeActionEvent::Completed(diagnostics.into_protocol());
            return Box::pin(futures_util::stream::iter([completed]));
        }
    };
    let (progress, messages) = Progress::channel();
    let type_name = request.action_type;
    let task = tokio::spawn(async move {
        let request = InvokeRequest { config, progress };
        match AssertUnwindSafe(action.invoke(request))
            .catch_unwind()
            .await
        {
            Ok(diagnostics) => diagnostics,
            Err(_) => {
                log::error!("panic in action {type_name}");
                let mut diagnostics = Diagnostics::new();
                diagnostics.error(
                    "Provider Internal Error",
                    format!(
                        "The provider panicked while running action {type_name}. This is a bug \
                         in the provider; please report it with the provider's log (TF_LOG=debug)."
                    ),
                );
                diagnostics
            }
        }
    });
    // The progress stream ends when the action returns (its sender is dropped).
    let progress = UnboundedReceiverStream::new(messages).map(p::InvokeActionEvent::Progress);
    let completed = futures_util::stream::once(async move {
        let diagnostics = task.await.unwrap_or_else(|_| {
            let mut diagnostics = Diagnostics::new();
            diagnostics.error(
                "Action Did Not Finish",
                "The action's task ended without a result.",
            );
            diagnostics
        });
        p::InvokeActionEvent::Completed(diagnostics.into_protocol())
    });
    Box::pin(progress.chain(completed))
}

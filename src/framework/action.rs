//! The action trait (Terraform 1.14+): an operation Terraform invokes
//! (`terraform apply -invoke=action.TYPE.NAME`), reporting progress as it
//! runs and completing with diagnostics.

use async_trait::async_trait;
use tokio::sync::mpsc;

use super::diag::Diagnostics;
use super::schema::Schema;
use super::value::Value;

/// An action type.
#[async_trait]
pub trait Action: Send + Sync + 'static {
    /// The full type name (`influxdb3_revoke_management_token`).
    fn type_name(&self) -> String;

    /// The schema of the action's `config` block.
    fn schema(&self) -> Schema;

    /// Checks a configuration that may contain unknowns. Default: accepts all.
    async fn validate_config(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Checks a planned invocation (the configuration may contain unknowns).
    /// Default: nothing beyond validation.
    async fn plan(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Runs the action. Report steps with [`Progress::report`]; the returned
    /// diagnostics complete the invocation (errors mean it failed, warnings
    /// are notes).
    async fn invoke(&self, request: InvokeRequest) -> Diagnostics;
}

/// Input of [`Action::invoke`].
#[derive(Debug)]
pub struct InvokeRequest {
    /// The configuration, wholly known.
    pub config: Value,
    /// Where progress goes.
    pub progress: Progress,
}

/// Sends progress messages to Terraform while an action runs.
#[derive(Debug, Clone)]
pub struct Progress {
    sender: mpsc::UnboundedSender<String>,
}

impl Progress {
    /// A progress reporter and the receiving end of its messages.
    pub fn channel() -> (Self, mpsc::UnboundedReceiver<String>) {
        let (sender, receiver) = mpsc::unbounded_channel();
        (Self { sender }, receiver)
    }

    /// Shows `message` to the user now.
    pub fn report(&self, message: impl Into<String>) {
        // The receiver is gone only when Terraform stopped listening.
        let _ = self.sender.send(message.into());
    }
}

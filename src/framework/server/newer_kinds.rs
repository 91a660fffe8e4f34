//! The types of the kinds added in Terraform 1.10-1.14 (ephemeral resources,
//! list resources, actions), looked up by type name.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::framework::action::Action;
use crate::framework::diag::Diagnostics;
use crate::framework::ephemeral_resource::EphemeralResource;
use crate::framework::list_resource::ListResource;
use crate::framework::provider::Provider;
use crate::framework::schema::Schema;

type Registry<T> = BTreeMap<String, (Arc<T>, Schema)>;

/// Ephemeral resources, list resources and actions with their schemas.
#[derive(Default)]
pub(super) struct NewerKinds {
    pub(super) ephemeral_resources: Registry<dyn EphemeralResource>,
    pub(super) list_resources: Registry<dyn ListResource>,
    pub(super) actions: Registry<dyn Action>,
}

impl NewerKinds {
    pub(super) fn collect<P: Provider>(provider: &P) -> Self {
        Self {
            ephemeral_resources: provider
                .ephemeral_resources()
                .into_iter()
                .map(|e| (e.type_name(), (e.clone(), e.schema())))
                .collect(),
            list_resources: provider
                .list_resources()
                .into_iter()
                .map(|l| (l.type_name(), (l.clone(), l.config_schema())))
                .collect(),
            actions: provider
                .actions()
                .into_iter()
                .map(|a| (a.type_name(), (a.clone(), a.schema())))
                .collect(),
        }
    }

    pub(super) fn type_names(&self) -> [Vec<String>; 3] {
        [
            self.ephemeral_resources.keys().cloned().collect(),
            self.list_resources.keys().cloned().collect(),
            self.actions.keys().cloned().collect(),
        ]
    }
}

/// Looks `type_name` up in `registry`, or says it is unknown.
pub(super) fn lookup<'a, T: ?Sized>(
    registry: &'a Registry<T>,
    kind: &str,
    type_name: &str,
) -> Result<&'a (Arc<T>, Schema), Diagnostics> {
    registry.get(type_name).ok_or_else(|| {
        let mut diagnostics = Diagnostics::new();
        diagnostics.error(
            format!("Unknown {kind} Type"),
            format!(
                "This provider has no {} type {type_name:?}. This is a bug in Terraform or the provider.",
                kind.to_lowercase()
            ),
        );
        diagnostics
    })
}

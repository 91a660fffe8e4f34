//! Per-attribute plan behaviour: [`PlanModifier`]s and [`SemanticEquality`].
//!
//! The engine runs an attribute's modifiers, in order, after it has computed
//! the plan (defaults filled, semantic equality applied, computed values the
//! configuration leaves null marked unknown), at every depth of nested
//! attributes. Each modifier sees an [`AttributePlan`]: the attribute's
//! configuration, prior and planned values and its path.

use std::fmt;
use std::sync::Arc;

use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::value::Value;

/// One attribute's slice of a plan, handed to [`PlanModifier`]s.
#[derive(Debug)]
pub struct AttributePlan<'a> {
    /// Where the attribute sits (`partition_template[0].value`).
    pub path: Path,
    /// Its configuration value (may be null or unknown).
    pub config: &'a Value,
    /// Its prior value; `None` when the resource (or the enclosing nested
    /// object) is being created.
    pub prior: Option<&'a Value>,
    /// Its planned value; a modifier may change it.
    pub planned: Value,
    /// Set to ask for a replacement of the whole resource.
    pub requires_replace: bool,
    /// Problems found by modifiers.
    pub diagnostics: Diagnostics,
}

type Condition = Arc<dyn Fn(&AttributePlan<'_>) -> bool + Send + Sync>;
type Modify = Arc<dyn Fn(&mut AttributePlan<'_>) + Send + Sync>;
type Equal = Arc<dyn Fn(&Value, &Value) -> bool + Send + Sync>;

/// What the engine does to an attribute's planned value.
///
/// # Examples
///
/// ```
/// use influxdb3_provider::framework::schema::{Attribute, PlanModifier};
/// use influxdb3_provider::framework::value::Type;
/// let size = Attribute::optional("size", Type::Number).plan_modifier(
///     PlanModifier::requires_replace_if("shrinking replaces", |plan| {
///         let (Some(prior), Some(planned)) = (
///             plan.prior.and_then(|v| v.as_number()).and_then(|n| n.as_i64()),
///             plan.planned.as_number().and_then(|n| n.as_i64()),
///         ) else {
///             return false;
///         };
///         planned < prior
///     }),
/// );
/// assert_eq!(size.plan_modifiers.len(), 1);
/// ```
#[derive(Clone)]
pub enum PlanModifier {
    /// A change of the value (prior to planned, unknown counts as a change)
    /// replaces the resource. Not on creates.
    RequiresReplace,
    /// Like [`PlanModifier::RequiresReplace`], only when the condition holds
    /// for a changed value.
    RequiresReplaceIf {
        /// What the condition checks, for documentation and debugging.
        description: String,
        /// The condition.
        condition: Condition,
    },
    /// A computed value that does not change once set: when the plan would
    /// mark it unknown, keep the prior value instead (not on creates and not
    /// when the resource is replaced).
    UseStateForUnknown,
    /// Any other adjustment.
    Custom {
        /// What it does.
        description: String,
        /// The adjustment.
        modify: Modify,
    },
}

impl PlanModifier {
    /// [`PlanModifier::RequiresReplaceIf`] from a closure.
    pub fn requires_replace_if(
        description: impl Into<String>,
        condition: impl Fn(&AttributePlan<'_>) -> bool + Send + Sync + 'static,
    ) -> Self {
        PlanModifier::RequiresReplaceIf {
            description: description.into(),
            condition: Arc::new(condition),
        }
    }

    /// [`PlanModifier::Custom`] from a closure.
    pub fn custom(
        description: impl Into<String>,
        modify: impl Fn(&mut AttributePlan<'_>) + Send + Sync + 'static,
    ) -> Self {
        PlanModifier::Custom {
            description: description.into(),
            modify: Arc::new(modify),
        }
    }

    /// Runs the modifier. `replacing` tells whether an earlier attribute
    /// already forces a replacement; `creating` whether there is no prior
    /// object at all.
    pub(crate) fn run(&self, plan: &mut AttributePlan<'_>, creating: bool) {
        // No prior value (a new nested object) counts as null.
        let changed = |plan: &AttributePlan<'_>| {
            !plan.planned.is_known()
                || !crate::framework::value::values_equal(
                    plan.prior.unwrap_or(&Value::Null),
                    &plan.planned,
                )
        };
        match self {
            PlanModifier::RequiresReplace => {
                if !creating && changed(plan) {
                    plan.requires_replace = true;
                }
            }
            PlanModifier::RequiresReplaceIf { condition, .. } => {
                if !creating && changed(plan) && condition(plan) {
                    plan.requires_replace = true;
                }
            }
            PlanModifier::UseStateForUnknown => {
                if plan.planned.is_unknown()
                    && plan.config.is_null()
                    && let Some(prior) = plan.prior.filter(|prior| !prior.is_null())
                {
                    plan.planned = prior.clone();
                }
            }
            PlanModifier::Custom { modify, .. } => modify(plan),
        }
    }

    fn name(&self) -> (&'static str, Option<&str>) {
        match self {
            PlanModifier::RequiresReplace => ("RequiresReplace", None),
            PlanModifier::RequiresReplaceIf { description, .. } => {
                ("RequiresReplaceIf", Some(description))
            }
            PlanModifier::UseStateForUnknown => ("UseStateForUnknown", None),
            PlanModifier::Custom { description, .. } => ("Custom", Some(description)),
        }
    }
}

impl fmt::Debug for PlanModifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            (name, None) => write!(f, "{name}"),
            (name, Some(description)) => write!(f, "{name}({description:?})"),
        }
    }
}

impl PartialEq for PlanModifier {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (PlanModifier::RequiresReplace, PlanModifier::RequiresReplace)
            | (PlanModifier::UseStateForUnknown, PlanModifier::UseStateForUnknown) => true,
            (
                PlanModifier::RequiresReplaceIf { condition: a, .. },
                PlanModifier::RequiresReplaceIf { condition: b, .. },
            ) => Arc::ptr_eq(a, b),
            (PlanModifier::Custom { modify: a, .. }, PlanModifier::Custom { modify: b, .. }) => {
                Arc::ptr_eq(a, b)
            }
            _ => false,
        }
    }
}

/// Decides whether two known, non-null values of an attribute mean the same
/// thing (`"30d"` and `"720h"`). When the configuration's value is
/// semantically equal to the prior state's, the plan keeps the prior value
/// (no change shown); when a read or apply returns a value semantically equal
/// to the one Terraform has, the engine keeps Terraform's spelling.
///
/// # Examples
///
/// ```
/// use influxdb3_provider::framework::schema::SemanticEquality;
/// use influxdb3_provider::framework::value::Value;
/// let case_insensitive = SemanticEquality::new(|a, b| {
///     a.as_str().map(str::to_lowercase) == b.as_str().map(str::to_lowercase)
/// });
/// assert!(case_insensitive.equal(&Value::string("A"), &Value::string("a")));
/// ```
#[derive(Clone)]
pub struct SemanticEquality(Equal);

impl SemanticEquality {
    /// From a symmetric equality function on known, non-null values.
    pub fn new(equal: impl Fn(&Value, &Value) -> bool + Send + Sync + 'static) -> Self {
        Self(Arc::new(equal))
    }

    /// From a normalizer: two values are equal when they normalize to the
    /// same value; a value it cannot normalize (`None`) equals only itself.
    pub fn normalized_by(
        normalize: impl Fn(&Value) -> Option<Value> + Send + Sync + 'static,
    ) -> Self {
        Self::new(move |a, b| match (normalize(a), normalize(b)) {
            (Some(a), Some(b)) => a == b,
            _ => a == b,
        })
    }

    /// Whether `a` and `b` mean the same; false unless both are known and
    /// non-null.
    pub fn equal(&self, a: &Value, b: &Value) -> bool {
        if !a.is_wholly_known() || !b.is_wholly_known() || a.is_null() || b.is_null() {
            return false;
        }
        a == b || (self.0)(a, b)
    }
}

impl fmt::Debug for SemanticEquality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SemanticEquality")
    }
}

impl PartialEq for SemanticEquality {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

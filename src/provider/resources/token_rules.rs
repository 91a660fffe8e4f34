//! What management and database tokens share: the RFC 3339 times of their
//! state, the rules for `description` and `expires_at`, and the plan-time
//! checks of a plan that mints one.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::resource::PlanContext;
use crate::framework::value::Value;
use crate::provider::ProviderData;
use crate::provider::diagnostics::api_error;
use crate::provider::product::ProductScope;

/// The longest description the API accepts.
pub(crate) const MAX_DESCRIPTION_CHARS: usize = 255;
pub(crate) fn format_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

pub(crate) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|time| time.with_timezone(&Utc))
}

/// Checks a description that is known: 1..=255 characters, not blank.
pub(crate) fn check_description(description: &str) -> Result<(), String> {
    let length = description.chars().count();
    if description.trim().is_empty() {
        Err(
            "The description must not be empty or only whitespace: say what the token is for."
                .into(),
        )
    } else if length > MAX_DESCRIPTION_CHARS {
        Err(format!(
            "The description has {length} characters; at most {MAX_DESCRIPTION_CHARS} are allowed."
        ))
    } else {
        Ok(())
    }
}

fn check_expires_at(text: &str) -> Result<DateTime<Utc>, String> {
    parse_time(text).ok_or_else(|| {
        format!(
            "{text:?} is not an RFC 3339 timestamp. Write it like \"2030-01-01T00:00:00Z\". \
             For an expiry relative to the creation, use timeadd(plantimestamp(), \"720h\") with \
             lifecycle {{ ignore_changes = [expires_at] }}, so that later plans keep the expiry \
             chosen at creation instead of replacing the token."
        )
    })
}

/// The diagnostics of a token configuration's known `description` and
/// `expires_at` (management and database tokens share both rules).
pub(crate) fn validate_description_and_expiry(config: &Value) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    if let Some(description) = string_attr(config, "description")
        && let Err(problem) = check_description(description)
    {
        diagnostics.attribute_error(Path::root("description"), "Invalid Description", problem);
    }
    if let Some(expires_at) = string_attr(config, "expires_at")
        && let Err(problem) = check_expires_at(expires_at)
    {
        diagnostics.attribute_error(Path::root("expires_at"), "Invalid Expiry Time", problem);
    }
    diagnostics
}

/// The plan-time checks of a plan that mints a token (a `kind`, such as
/// "database token", of the type `scope` names): the provider token is accepted, and `expires_at` is in
/// the future. Nothing when the plan keeps the existing token.
pub(crate) async fn check_token_to_mint(
    data: &ProviderData,
    scope: &ProductScope,
    plan: &mut PlanContext,
    kind: &str,
) {
    // An expiry that has passed is only wrong when a token is to be minted
    // with it (an existing token that expired reads as gone, then lands here).
    let creating = plan.prior.is_none() || !plan.requires_replace.is_empty();
    if !creating {
        return;
    }
    // A provider configured for another product (Core, Enterprise) fails
    // the plan, not the apply.
    if let Some(diagnostic) = data.wrong_product_for(scope) {
        plan.diagnostics.push(diagnostic);
        return;
    }
    // A plan that only creates makes no other request: check the provider
    // token here, so a wrong or revoked one fails the plan, not the apply.
    // Unknown provider configuration (`Ok(None)`) cannot be checked yet.
    if let Ok(Some(client)) = data.client()
        && let Err(error) = data.check_token_accepted(&client).await
    {
        plan.diagnostics.push(api_error(
            &format!("Error Creating {}", title_case(kind)),
            &error,
        ));
    }
    if let Some(expires_at) = string_attr(&plan.config, "expires_at")
        && let Ok(expiry) = check_expires_at(expires_at)
        && expiry <= Utc::now()
    {
        plan.diagnostics.attribute_error(
            Path::root("expires_at"),
            "Expiry Time In The Past",
            format!(
                "A new {kind} cannot expire at {expires_at}, which is not in the future. Choose \
                 a later time."
            ),
        );
    }
}

/// "database token" -> "Database Token".
fn title_case(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn string_attr<'a>(value: &'a Value, name: &str) -> Option<&'a str> {
    value.get_attr(name).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn description_rules() {
        assert!(check_description("ci pipeline").is_ok());
        assert!(check_description(&"x".repeat(255)).is_ok());
        for bad in ["", "   ", "\t\n"] {
            assert!(check_description(bad).is_err(), "{bad:?}");
        }
        assert!(
            check_description(&"x".repeat(256))
                .unwrap_err()
                .contains("256")
        );
    }
}

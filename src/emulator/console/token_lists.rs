//! What the two token pages (management tokens, database tokens) share: the query
//! string of their lists, a token's status (`active`, `expired`, `revoked`), the
//! status filter (all, active, revoked), the search (the databases page uses it too)
//! and the body of the Revoke form.

use serde::Deserialize;

/// A token list's query string: `?status=active|revoked|all&q=...&revoked=<id>`.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ListQuery {
    pub(super) status: Option<String>,
    pub(super) q: Option<String>,
    /// The token just revoked, for the notice.
    pub(super) revoked: Option<String>,
}

/// The Revoke form's body (the dialog's and the confirmation page's).
#[derive(Debug, Deserialize)]
pub(super) struct RevokeForm {
    #[serde(default)]
    pub(super) csrf_token: String,
}

/// The search of a list: descriptions (or, for databases, names) that contain the
/// text, ignoring case.
#[derive(Debug)]
pub(super) struct Search {
    needle: String,
}

impl Search {
    pub(super) fn new(text: &str) -> Self {
        Self {
            needle: text.trim().to_lowercase(),
        }
    }

    /// Whether `text` passes (always, for an empty search).
    pub(super) fn keeps(&self, text: &str) -> bool {
        self.needle.is_empty() || text.to_lowercase().contains(&self.needle)
    }
}

/// Which tokens a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum StatusFilter {
    /// Every token (the default: revoked tokens stay listed, marked revoked).
    #[default]
    All,
    /// Tokens that still authenticate: neither revoked nor expired.
    Active,
    /// Revoked tokens.
    Revoked,
}

/// One `<option>` of the status filter.
#[derive(Debug)]
pub(super) struct FilterOption {
    pub(super) value: &'static str,
    pub(super) label: &'static str,
    pub(super) selected: bool,
}

impl StatusFilter {
    const ALL: [StatusFilter; 3] = [
        StatusFilter::All,
        StatusFilter::Active,
        StatusFilter::Revoked,
    ];

    /// The filter named in the query; anything unknown is `All`.
    pub(super) fn parse(value: Option<&str>) -> Self {
        match value {
            Some("active") => StatusFilter::Active,
            Some("revoked") => StatusFilter::Revoked,
            _ => StatusFilter::All,
        }
    }

    fn value(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Active => "active",
            StatusFilter::Revoked => "revoked",
        }
    }

    fn label(self) -> &'static str {
        match self {
            StatusFilter::All => "All",
            StatusFilter::Active => "Active",
            StatusFilter::Revoked => "Revoked",
        }
    }

    /// Whether a token that is `revoked` and/or `active` (neither revoked nor
    /// expired) passes the filter.
    pub(super) fn keeps(self, revoked: bool, active: bool) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Active => active,
            StatusFilter::Revoked => revoked,
        }
    }

    /// The filter's `<select>` options, this one selected.
    pub(super) fn options(self) -> Vec<FilterOption> {
        Self::ALL
            .into_iter()
            .map(|option| FilterOption {
                value: option.value(),
                label: option.label(),
                selected: option == self,
            })
            .collect()
    }
}

/// A token's status in one word, the badge's text and class: `revoked` wins over
/// `expired`.
pub(super) fn status_word(revoked: bool, active: bool) -> &'static str {
    if revoked {
        "revoked"
    } else if active {
        "active"
    } else {
        "expired"
    }
}

//! The API operations the emulator serves, named as `/_emulator/stats` reports them.

/// One API operation. Databases and database tokens add their variants here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Operation {
    CreateManagementToken,
    ListManagementTokens,
    GetManagementToken,
    RevokeManagementToken,
}

impl Operation {
    /// Every operation, in the order stats list them.
    pub(crate) const ALL: [Operation; 4] = [
        Operation::CreateManagementToken,
        Operation::ListManagementTokens,
        Operation::GetManagementToken,
        Operation::RevokeManagementToken,
    ];

    /// The snake_case name used in stats and in idempotency records.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Operation::CreateManagementToken => "create_management_token",
            Operation::ListManagementTokens => "list_management_tokens",
            Operation::GetManagementToken => "get_management_token",
            Operation::RevokeManagementToken => "revoke_management_token",
        }
    }
}

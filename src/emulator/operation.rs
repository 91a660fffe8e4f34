//! The API operations the emulator serves, named as `/_emulator/stats` reports them.

/// One API operation. Databases and database tokens add their variants here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Operation {
    CreateManagementToken,
    ListManagementTokens,
    GetManagementToken,
    RevokeManagementToken,
    CreateAdminToken,
    CreateResourceToken,
    DeleteToken,
    QuerySql,
    CreateDatabase,
    ListDatabases,
    UpdateDatabase,
    DeleteDatabase,
    DeleteDatabaseRetention,
}

impl Operation {
    /// Every operation, in the order stats list them.
    pub(crate) const ALL: [Operation; 4] = [
        Operation::CreateManagementToken,
        Operation::ListManagementTokens,
        Operation::GetManagementToken,
        Operation::RevokeManagementToken,
    ];

    /// The operations of the self-hosted products' `/api/v3` API.
    pub(crate) const SELF_HOSTED: [Operation; 9] = [
        Operation::CreateAdminToken,
        Operation::CreateResourceToken,
        Operation::DeleteToken,
        Operation::QuerySql,
        Operation::CreateDatabase,
        Operation::ListDatabases,
        Operation::UpdateDatabase,
        Operation::DeleteDatabase,
        Operation::DeleteDatabaseRetention,
    ];

    /// The snake_case name used in stats and in idempotency records.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Operation::CreateManagementToken => "create_management_token",
            Operation::ListManagementTokens => "list_management_tokens",
            Operation::GetManagementToken => "get_management_token",
            Operation::RevokeManagementToken => "revoke_management_token",
            Operation::CreateAdminToken => "create_admin_token",
            Operation::CreateResourceToken => "create_resource_token",
            Operation::DeleteToken => "delete_token",
            Operation::QuerySql => "query_sql",
            Operation::CreateDatabase => "create_database",
            Operation::ListDatabases => "list_databases",
            Operation::UpdateDatabase => "update_database",
            Operation::DeleteDatabase => "delete_database",
            Operation::DeleteDatabaseRetention => "delete_database_retention",
        }
    }
}

//! The API operations the emulator serves, named as `/_emulator/stats` reports them
//! and as fault rules select them.

/// One API operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Operation {
    CreateManagementToken,
    ListManagementTokens,
    GetManagementToken,
    RevokeManagementToken,
    ListDatabases,
    CreateDatabase,
    UpdateDatabase,
    DeleteDatabase,
    RenameDatabase,
    UndeleteDatabase,
    CreateTable,
    DeleteTable,
    RenameTable,
    UndeleteTable,
    ListDatabaseTokens,
    CreateDatabaseToken,
    GetDatabaseToken,
    UpdateDatabaseToken,
    DeleteDatabaseToken,
    CreateAdminToken,
    CreateResourceToken,
    DeleteToken,
    QuerySql,
    DeleteDatabaseRetention,
    UpdateTableRetention,
    CreateLastCache,
    DeleteLastCache,
    CreateDistinctCache,
    DeleteDistinctCache,
}

impl Operation {
    /// Every operation of the management API (Cloud Dedicated and Clustered),
    /// in the order stats list them.
    pub(crate) const ALL: [Operation; 19] = [
        Operation::CreateManagementToken,
        Operation::ListManagementTokens,
        Operation::GetManagementToken,
        Operation::RevokeManagementToken,
        Operation::ListDatabases,
        Operation::CreateDatabase,
        Operation::UpdateDatabase,
        Operation::DeleteDatabase,
        Operation::RenameDatabase,
        Operation::UndeleteDatabase,
        Operation::CreateTable,
        Operation::DeleteTable,
        Operation::RenameTable,
        Operation::UndeleteTable,
        Operation::ListDatabaseTokens,
        Operation::CreateDatabaseToken,
        Operation::GetDatabaseToken,
        Operation::UpdateDatabaseToken,
        Operation::DeleteDatabaseToken,
    ];

    /// The operations of the self-hosted products' `/api/v3` API.
    pub(crate) const SELF_HOSTED: [Operation; 16] = [
        Operation::CreateAdminToken,
        Operation::CreateResourceToken,
        Operation::DeleteToken,
        Operation::QuerySql,
        Operation::CreateDatabase,
        Operation::ListDatabases,
        Operation::UpdateDatabase,
        Operation::DeleteDatabase,
        Operation::DeleteDatabaseRetention,
        Operation::CreateTable,
        Operation::DeleteTable,
        Operation::UpdateTableRetention,
        Operation::CreateLastCache,
        Operation::DeleteLastCache,
        Operation::CreateDistinctCache,
        Operation::DeleteDistinctCache,
    ];

    /// The snake_case name used in stats, fault rules and idempotency records.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Operation::CreateManagementToken => "create_management_token",
            Operation::ListManagementTokens => "list_management_tokens",
            Operation::GetManagementToken => "get_management_token",
            Operation::RevokeManagementToken => "revoke_management_token",
            Operation::ListDatabases => "list_databases",
            Operation::CreateDatabase => "create_database",
            Operation::UpdateDatabase => "update_database",
            Operation::DeleteDatabase => "delete_database",
            Operation::RenameDatabase => "rename_database",
            Operation::UndeleteDatabase => "undelete_database",
            Operation::CreateTable => "create_table",
            Operation::DeleteTable => "delete_table",
            Operation::RenameTable => "rename_table",
            Operation::UndeleteTable => "undelete_table",
            Operation::ListDatabaseTokens => "list_database_tokens",
            Operation::CreateDatabaseToken => "create_database_token",
            Operation::GetDatabaseToken => "get_database_token",
            Operation::UpdateDatabaseToken => "update_database_token",
            Operation::DeleteDatabaseToken => "delete_database_token",
            Operation::CreateAdminToken => "create_admin_token",
            Operation::CreateResourceToken => "create_resource_token",
            Operation::DeleteToken => "delete_token",
            Operation::QuerySql => "query_sql",
            Operation::DeleteDatabaseRetention => "delete_database_retention",
            Operation::UpdateTableRetention => "update_table_retention",
            Operation::CreateLastCache => "create_last_cache",
            Operation::DeleteLastCache => "delete_last_cache",
            Operation::CreateDistinctCache => "create_distinct_cache",
            Operation::DeleteDistinctCache => "delete_distinct_cache",
        }
    }

    /// The operation named `name`, as [`Operation::name`] spells it.
    pub(crate) fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL
            .into_iter()
            .chain(Operation::SELF_HOSTED)
            .find(|operation| operation.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        for operation in Operation::ALL.into_iter().chain(Operation::SELF_HOSTED) {
            assert_eq!(Operation::from_name(operation.name()), Some(operation));
        }
        assert_eq!(Operation::from_name("drop_everything"), None);
    }
}

//! Wire types of the table part of the `/api/v3` API of InfluxDB 3 Core and
//! Enterprise (`core-v3-openapi.yaml`, `enterprise-v3-openapi.yaml`): creating
//! and deleting tables, a table's retention period (Enterprise), and the SQL
//! query on `information_schema.columns` that tells whether a table exists (the
//! API has no endpoint that lists tables).

use serde::{Deserialize, Serialize};

/// `POST|DELETE /api/v3/configure/table`.
pub const TABLE_PATH: &str = "/api/v3/configure/table";
/// `POST|DELETE /api/v3/enterprise/configure/table/retention_period` (Enterprise only).
pub const TABLE_RETENTION_PATH: &str = "/api/v3/enterprise/configure/table/retention_period";

/// The `table_schema` of the tables that hold written data in
/// `information_schema` (the others are `system` and `information_schema`).
pub const DATA_TABLE_SCHEMA: &str = "iox";

/// The field types a table can declare (`CreateTableRequest.fields[].type`).
pub const FIELD_TYPES: [&str; 5] = ["utf8", "int64", "uint64", "float64", "bool"];

/// The `data_type` `information_schema.columns` shows for a tag column.
pub const TAG_DATA_TYPE: &str = "Dictionary(Int32, Utf8)";
/// The `data_type` of the `time` column.
pub const TIME_DATA_TYPE: &str = "Timestamp(Nanosecond, None)";

/// The `data_type` `information_schema.columns` shows for a field of `field_type`
/// (one of [`FIELD_TYPES`]).
pub fn field_data_type(field_type: &str) -> Option<&'static str> {
    Some(match field_type {
        "utf8" => "Utf8",
        "int64" => "Int64",
        "uint64" => "UInt64",
        "float64" => "Float64",
        "bool" => "Boolean",
        _ => return None,
    })
}

/// The field type (one of [`FIELD_TYPES`]) of a column whose `data_type` is
/// `data_type`; `None` for tags, `time` and anything else.
pub fn field_type_of(data_type: &str) -> Option<&'static str> {
    FIELD_TYPES
        .into_iter()
        .find(|field_type| field_data_type(field_type) == Some(data_type))
}

/// The start of the query that lists the columns of one table, as the
/// provider sends it; the table name follows as an SQL string literal.
pub const TABLE_COLUMNS_QUERY_PREFIX: &str = "SELECT table_name, column_name, data_type \
     FROM information_schema.columns WHERE table_schema = 'iox' AND table_name = ";

/// The query that lists the columns of `table` (no rows: no such table).
pub fn table_columns_query(table: &str) -> String {
    format!("{TABLE_COLUMNS_QUERY_PREFIX}{}", sql_string_literal(table))
}

/// `text` as an SQL string literal: in single quotes, each quote doubled.
pub fn sql_string_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The text of the SQL string literal that makes up all of `literal`, or `None`
/// when `literal` is not exactly one such literal.
pub fn parse_sql_string_literal(literal: &str) -> Option<String> {
    let inner = literal.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut text = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\'' {
            // Inside the literal a quote must be doubled.
            if chars.next() != Some('\'') {
                return None;
            }
        }
        text.push(c);
    }
    Some(text)
}

/// One field of `CreateTableRequest`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableField {
    /// The field's name.
    pub name: String,
    /// One of [`FIELD_TYPES`].
    #[serde(rename = "type")]
    pub field_type: String,
}

/// Body of `POST /api/v3/configure/table` (`CreateTableRequest`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateTableRequest {
    /// The database.
    pub db: String,
    /// The table name.
    pub table: String,
    /// The tag columns, in series-key order.
    pub tags: Vec<String>,
    /// The field columns.
    pub fields: Vec<TableField>,
    /// How long data of this table is kept, e.g. `30d` (InfluxDB 3 Enterprise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_period: Option<String>,
}

/// One row of the query of [`table_columns_query`] (format `json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnRow {
    /// The table.
    pub table_name: String,
    /// The column.
    pub column_name: String,
    /// The Arrow data type, e.g. [`TAG_DATA_TYPE`] or `Float64`.
    pub data_type: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_round_trip() {
        for text in ["cpu", "it's", "''", "", "a b", "x'; DROP TABLE y; --"] {
            let literal = sql_string_literal(text);
            assert_eq!(parse_sql_string_literal(&literal).as_deref(), Some(text));
        }
        for bad in ["cpu", "'a'b'", "'a", "a'", "'''"] {
            assert_eq!(parse_sql_string_literal(bad), None, "{bad}");
        }
    }

    #[test]
    fn field_types_map_to_data_types_and_back() {
        for field_type in FIELD_TYPES {
            let data_type = field_data_type(field_type).unwrap_or_default();
            assert_eq!(field_type_of(data_type), Some(field_type));
        }
        assert_eq!(field_type_of(TAG_DATA_TYPE), None);
        assert_eq!(field_type_of(TIME_DATA_TYPE), None);
    }
}

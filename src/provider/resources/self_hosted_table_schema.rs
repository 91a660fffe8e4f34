//! The schema, the configuration checks and the state of
//! `influxdb3_self_hosted_table`.

use crate::api::v3_tables::{
    ColumnRow, CreateTableRequest, FIELD_TYPES, TAG_DATA_TYPE, TableField, field_type_of,
};
use crate::framework::diag::Diagnostics;
use crate::framework::path::Path;
use crate::framework::schema::{Attribute, Schema, Validator};
use crate::framework::value::{Type, Value};

use super::retention_period;
use super::self_hosted_common::{Check, check_attribute, string_attr};
use super::self_hosted_database::check_database_name;

/// The table's parts as configured (or in state).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableModel {
    pub(crate) database: String,
    pub(crate) name: String,
    pub(crate) tags: Vec<String>,
    /// `(name, type)`, sorted by name (a map's order).
    pub(crate) fields: Vec<(String, String)>,
    pub(crate) retention_period: Option<String>,
}

impl TableModel {
    /// Reads a configuration or state; `None` when a part is not known.
    pub(crate) fn from_value(value: &Value) -> Option<Self> {
        let tags = value
            .get_attr("tags")?
            .as_elements()?
            .iter()
            .map(|tag| tag.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()?;
        let fields = match value.get_attr("fields") {
            None | Some(Value::Null) => Vec::new(),
            Some(map) => map
                .as_map()?
                .iter()
                .map(|(name, ty)| Some((name.clone(), ty.as_str()?.to_owned())))
                .collect::<Option<Vec<_>>>()?,
        };
        Some(Self {
            database: string_attr(value, "database")?.to_owned(),
            name: string_attr(value, "name")?.to_owned(),
            tags,
            fields,
            retention_period: string_attr(value, "retention_period").map(str::to_owned),
        })
    }

    /// The model of an imported table, from its columns: tags in the order the
    /// server lists them, fields of the five declarable types.
    pub(crate) fn from_columns(database: &str, name: &str, columns: &[ColumnRow]) -> Self {
        let tags = columns
            .iter()
            .filter(|column| column.data_type == TAG_DATA_TYPE)
            .map(|column| column.column_name.clone())
            .collect();
        let mut fields: Vec<(String, String)> = columns
            .iter()
            .filter_map(|column| {
                field_type_of(&column.data_type)
                    .map(|ty| (column.column_name.clone(), ty.to_owned()))
            })
            .collect();
        fields.sort();
        Self {
            database: database.to_owned(),
            name: name.to_owned(),
            tags,
            fields,
            retention_period: None,
        }
    }

    pub(crate) fn create_request(&self) -> CreateTableRequest {
        CreateTableRequest {
            db: self.database.clone(),
            table: self.name.clone(),
            tags: self.tags.clone(),
            fields: self
                .fields
                .iter()
                .map(|(name, ty)| TableField {
                    name: name.clone(),
                    field_type: ty.clone(),
                })
                .collect(),
            retention_period: self.retention_period.clone(),
        }
    }

    /// The import id and `id`: `DATABASE/TABLE`.
    pub(crate) fn id(&self) -> String {
        format!("{}/{}", self.database, self.name)
    }

    /// The state. `fields` is null when there are none and `null_fields` (the
    /// configuration left it unset).
    pub(crate) fn state(&self, null_fields: bool) -> Value {
        let fields = if self.fields.is_empty() && null_fields {
            Value::Null
        } else {
            Value::map(
                self.fields
                    .iter()
                    .map(|(name, ty)| (name.clone(), Value::string(ty.clone()))),
            )
        };
        Value::object([
            ("database", Value::string(&self.database)),
            ("name", Value::string(&self.name)),
            ("tags", Value::list(self.tags.iter().map(Value::string))),
            ("fields", fields),
            (
                "retention_period",
                self.retention_period
                    .as_deref()
                    .map_or(Value::Null, Value::string),
            ),
            ("id", Value::string(self.id())),
        ])
    }
}

/// A table name: not empty, no control characters, no surrounding spaces.
pub(crate) fn check_table_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("The table name must not be empty.".into());
    }
    if name.chars().any(char::is_control) || name.trim() != name {
        return Err(format!(
            "{name:?} is not a valid table name: no control characters and no leading or \
             trailing spaces."
        ));
    }
    Ok(())
}

/// The checks of the known parts of a configuration, on their attributes.
pub(crate) fn validate(config: &Value, diagnostics: &mut Diagnostics) {
    let checks: [(&str, &str, Check); 3] = [
        ("database", "Invalid Database Name", check_database_name),
        ("name", "Invalid Table Name", check_table_name),
        (
            "retention_period",
            "Invalid Retention Period",
            retention_period::check_self_hosted,
        ),
    ];
    for (attribute, summary, check) in checks {
        check_attribute(config, attribute, summary, check, diagnostics);
    }
    let tags: Vec<&str> = config
        .get_attr("tags")
        .and_then(Value::as_elements)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let field_names: Vec<&str> = config
        .get_attr("fields")
        .and_then(Value::as_map)
        .map(|map| map.keys().map(String::as_str).collect())
        .unwrap_or_default();
    for (index, tag) in tags.iter().enumerate() {
        let path = Path::root("tags").index(index as i64);
        if let Some(problem) = column_name_problem(tag) {
            diagnostics.attribute_error(path, "Invalid Tag", problem);
        } else if tags[..index].contains(tag) {
            diagnostics.attribute_error(path, "Invalid Tag", format!("Tag {tag:?} is repeated."));
        } else if field_names.contains(tag) {
            diagnostics.attribute_error(
                path,
                "Invalid Tag",
                format!("{tag:?} is both a tag and a field: a column is one or the other."),
            );
        }
    }
    for name in field_names {
        if let Some(problem) = column_name_problem(name) {
            diagnostics.attribute_error(Path::root("fields").key(name), "Invalid Field", problem);
        }
    }
}

fn column_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        Some("A column name must not be empty.".into())
    } else if name == "time" {
        Some("`time` is the table's timestamp column; choose another name.".into())
    } else if name.chars().any(char::is_control) {
        Some(format!("{name:?} contains control characters."))
    } else {
        None
    }
}

fn at_least_one_tag() -> Validator {
    Validator::new("at least one element", |value| match value.as_elements() {
        Some([]) => Err("must list at least one tag: a table needs one".to_owned()),
        _ => Ok(()),
    })
}

fn known_field_types() -> Validator {
    Validator::new("values are field types", |value| {
        let Some(map) = value.as_map() else {
            return Ok(());
        };
        for (name, ty) in map {
            if let Some(ty) = ty.as_str()
                && !FIELD_TYPES.contains(&ty)
            {
                return Err(format!(
                    "gives field {name:?} an unknown type: use one of {}",
                    FIELD_TYPES.join(", ")
                ));
            }
        }
        Ok(())
    })
}

/// The resource schema; descriptions are the single source of the docs.
pub(crate) fn schema() -> Schema {
    Schema::new(
        0,
        "A table of a database of a self-hosted InfluxDB 3 Core or Enterprise server \
         (`product = \"core\"` or `\"enterprise\"`), created before any data is written to \
         fix its tags and field types. Every argument but `retention_period` forces a \
         replacement. Terraform reads the table through SQL on `information_schema.columns` \
         (the API has no endpoint that lists tables): a table or database deleted outside \
         Terraform shows up as gone and is created again on the next apply. Columns added by \
         writes are not compared with the configuration. Destroying the resource deletes the \
         table with the API's soft delete (renamed `NAME-<timestamp>` until it is \
         hard-deleted). Import with `DATABASE/TABLE`: tags (in the order the server lists \
         them) and fields are read from the table's columns, `retention_period` is null.",
        vec![
            Attribute::required("database", Type::String)
                .requires_replace()
                .description("The name of the database that holds the table."),
            Attribute::required("name", Type::String)
                .requires_replace()
                .description("The table name."),
            Attribute::required("tags", Type::list(Type::String))
                .requires_replace()
                .validator(at_least_one_tag())
                .description(
                    "The tag columns, at least one, in the order of the series key (put the \
                     most queried first). Names are unique, and none is `time` or a field.",
                ),
            Attribute::optional("fields", Type::map(Type::String))
                .requires_replace()
                .validator(known_field_types())
                .description(
                    "The field columns: name to type, one of `utf8`, `int64`, `uint64`, \
                     `float64`, `bool`. More fields can be added later by writing data.",
                ),
            Attribute::optional("retention_period", Type::String).description(
                "How long this table's data is kept, overriding the database's retention \
                 period, as a duration such as `7d` or `1h30m` (units s, m, h, d, w, y). \
                 InfluxDB 3 Enterprise only: a plan on Core fails on this attribute. Changed \
                 in place; unset uses the database's period. Not read back from the server, \
                 so a change made outside Terraform is not detected; null after an import.",
            ),
            Attribute::computed("id", Type::String)
                .use_state_for_unknown()
                .description("`DATABASE/TABLE`, the import id."),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_types_and_tags_are_checked() {
        let types = known_field_types();
        assert!(
            types
                .validate(&Value::map([("usage", Value::string("float64"))]))
                .is_ok()
        );
        assert!(
            types
                .validate(&Value::map([("usage", Value::string("double"))]))
                .is_err()
        );
        let tags = at_least_one_tag();
        assert!(tags.validate(&Value::list([])).is_err());
        assert!(tags.validate(&Value::list([Value::string("host")])).is_ok());
    }
}

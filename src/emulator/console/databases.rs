//! The databases page: every live database with its limits, retention period,
//! partition template and tables; a search by name. Read-only: databases are changed
//! through the API (Terraform).

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::ConsoleState;
use super::page::{self, Layout};
use super::session::SignedIn;
use super::token_lists::Search;
use crate::api::PartitionTemplatePart;
use crate::emulator::store::{StoredDatabase, StoredTable};

/// The list page.
pub(crate) const LIST_PATH: &str = "/console/databases";

pub(super) fn routes() -> Router<ConsoleState> {
    Router::new().route(LIST_PATH, get(list))
}

/// The list's query string: `?q=...`.
#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    q: Option<String>,
}

/// One row of the table.
#[derive(Debug)]
struct DatabaseRow {
    name: String,
    max_tables: i32,
    max_columns_per_table: i32,
    retention: String,
    partition_template: String,
    tables: Vec<String>,
}

impl DatabaseRow {
    fn new(database: &StoredDatabase, tables: &[StoredTable]) -> Self {
        Self {
            name: database.name.clone(),
            max_tables: database.max_tables,
            max_columns_per_table: database.max_columns_per_table,
            retention: retention_in_words(database.retention_period),
            partition_template: template_in_words(database.partition_template.as_deref()),
            tables: tables
                .iter()
                .filter(|table| table.database_id == database.id && table.deleted_at.is_none())
                .map(|table| table.name.clone())
                .collect(),
        }
    }
}

#[derive(Debug, Template)]
#[template(path = "databases.html")]
struct ListPage {
    layout: Layout,
    query: String,
    rows: Vec<DatabaseRow>,
    total: usize,
}

async fn list(
    State(console): State<ConsoleState>,
    signed_in: SignedIn,
    Query(query): Query<ListQuery>,
) -> Response {
    let search = query.q.unwrap_or_default();
    let matching = Search::new(&search);
    let (rows, total) = console.emulator.read(|store| {
        let data = store.data();
        let live = data
            .databases
            .iter()
            .filter(|database| database.deleted_at.is_none());
        let rows: Vec<DatabaseRow> = live
            .clone()
            .filter(|database| matching.keeps(&database.name))
            .map(|database| DatabaseRow::new(database, &data.tables))
            .collect();
        (rows, live.count())
    });
    let page = ListPage {
        layout: Layout::new(Some(&signed_in), "Databases", LIST_PATH),
        query: search,
        rows,
        total,
    };
    page::render(StatusCode::OK, &page)
}

/// A retention period in nanoseconds, in words: `infinite` for 0, else days, hours,
/// minutes and seconds (`30 days`, `1 day 12 hours`), with what is below a second in
/// nanoseconds.
pub(super) fn retention_in_words(nanoseconds: i64) -> String {
    const SECOND: i64 = 1_000_000_000;
    const UNITS: [(i64, &str); 4] = [
        (86_400 * SECOND, "day"),
        (3_600 * SECOND, "hour"),
        (60 * SECOND, "minute"),
        (SECOND, "second"),
    ];
    if nanoseconds <= 0 {
        return "infinite".to_owned();
    }
    let mut rest = nanoseconds;
    let mut words = Vec::new();
    for (size, unit) in UNITS {
        let count = rest / size;
        rest %= size;
        if count > 0 {
            words.push(plural(count, unit));
        }
    }
    if rest > 0 {
        words.push(plural(rest, "nanosecond"));
    }
    words.join(" ")
}

fn plural(count: i64, unit: &str) -> String {
    if count == 1 {
        format!("1 {unit}")
    } else {
        format!("{count} {unit}s")
    }
}

/// A partition template in words: `default (by day)` without one, else its parts in
/// order (`tag region, time %Y-%m, bucket host into 10 buckets`).
pub(super) fn template_in_words(template: Option<&[PartitionTemplatePart]>) -> String {
    let Some(parts) = template.filter(|parts| !parts.is_empty()) else {
        return "default (by day)".to_owned();
    };
    parts
        .iter()
        .map(|part| match part {
            PartitionTemplatePart::Tag(tag) => format!("tag {tag}"),
            PartitionTemplatePart::Time(format) => format!("time {format}"),
            PartitionTemplatePart::Bucket(bucket) => format!(
                "bucket {} into {}",
                bucket.tag_name,
                plural(i64::from(bucket.number_of_buckets), "bucket")
            ),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

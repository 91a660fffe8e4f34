//! Contract of the table and cache requests of the `/api/v3` API (the
//! resources `influxdb3_self_hosted_table`, `_last_cache`, `_distinct_cache`):
//! the exchanges `contract_v3` checks against the published Core and
//! Enterprise specs, on the database `sensors` that test creates first.

use influxdb3_provider::api::v3::{QUERY_SQL_PATH, QueryRequest};
use influxdb3_provider::api::v3_caches::{
    CacheDeleteRequest, DISTINCT_CACHE_PATH, DISTINCT_CACHES_QUERY, DistinctCacheCreateRequest,
    LAST_CACHE_PATH, LAST_CACHES_QUERY, LastCacheCreateRequest,
};
use influxdb3_provider::api::v3_tables::{
    CreateTableRequest, TABLE_PATH, TABLE_RETENTION_PATH, TableField, table_columns_query,
};

use crate::contract_v3::Exchange;

fn cpu_table(db: &str, retention_period: Option<&str>) -> CreateTableRequest {
    CreateTableRequest {
        db: db.to_owned(),
        table: "cpu".to_owned(),
        tags: vec!["host".to_owned()],
        fields: vec![TableField {
            name: "usage".to_owned(),
            field_type: "float64".to_owned(),
        }],
        retention_period: retention_period.map(str::to_owned),
    }
}

fn columns_query(db: &str) -> QueryRequest {
    QueryRequest {
        db: db.to_owned(),
        q: table_columns_query("cpu"),
        format: Some("json".to_owned()),
    }
}

/// The requests of `influxdb3_self_hosted_table`, on the database `sensors`.
pub(crate) fn table_exchanges(enterprise: bool) -> Vec<Exchange> {
    let retention = enterprise.then_some("30d");
    let mut all = vec![
        // No such database.
        Exchange::new("POST", TABLE_PATH, 404).body(cpu_table("nothing", None)),
        Exchange::new("POST", QUERY_SQL_PATH, 404).body(columns_query("nothing")),
        Exchange::new("POST", TABLE_PATH, 200).body(cpu_table("sensors", retention)),
        // The table's columns: how the provider reads a table.
        Exchange::new("POST", QUERY_SQL_PATH, 200).body(columns_query("sensors")),
    ];
    all.extend(cache_exchanges());
    if enterprise {
        all.extend([
            Exchange::new("POST", TABLE_RETENTION_PATH, 204)
                .query("db", "sensors")
                .query("table", "cpu")
                .query("duration", "7d"),
            Exchange::new("DELETE", TABLE_RETENTION_PATH, 204)
                .query("db", "sensors")
                .query("table", "cpu"),
            Exchange::new("DELETE", TABLE_RETENTION_PATH, 404)
                .query("db", "sensors")
                .query("table", "nothing"),
        ]);
    }
    all.extend([
        Exchange::new("DELETE", TABLE_PATH, 200)
            .query("db", "sensors")
            .query("table", "cpu"),
        Exchange::new("DELETE", TABLE_PATH, 404)
            .query("db", "sensors")
            .query("table", "cpu"),
    ]);
    all
}

fn system_query(q: &str) -> QueryRequest {
    QueryRequest {
        db: "sensors".to_owned(),
        q: q.to_owned(),
        format: Some("json".to_owned()),
    }
}

fn cache_delete(path: &'static str, name: &str, status: u16) -> Exchange {
    Exchange::new("DELETE", path, status)
        .query("db", "sensors")
        .query("table", "cpu")
        .query("name", name)
        .body(CacheDeleteRequest {
            db: "sensors".to_owned(),
            table: "cpu".to_owned(),
            name: name.to_owned(),
        })
}

/// The requests of the two cache resources, on the table `sensors`/`cpu`.
fn cache_exchanges() -> Vec<Exchange> {
    let last = LastCacheCreateRequest {
        db: "sensors".to_owned(),
        table: "cpu".to_owned(),
        name: Some("latest".to_owned()),
        key_columns: Some(vec!["host".to_owned()]),
        value_columns: Some(vec!["usage".to_owned()]),
        count: Some(2),
        ttl: Some(600),
    };
    let distinct = DistinctCacheCreateRequest {
        db: "sensors".to_owned(),
        table: "cpu".to_owned(),
        name: Some("hosts".to_owned()),
        columns: vec!["host".to_owned()],
        max_cardinality: Some(1000),
        max_age: Some(3600),
    };
    let no_table = LastCacheCreateRequest {
        table: "nothing".to_owned(),
        ..last.clone()
    };
    let other_columns = DistinctCacheCreateRequest {
        max_age: Some(60),
        ..distinct.clone()
    };
    vec![
        Exchange::new("POST", LAST_CACHE_PATH, 201).body(&last),
        // The name is taken.
        Exchange::new("POST", LAST_CACHE_PATH, 400).body(&last),
        Exchange::new("POST", LAST_CACHE_PATH, 404).body(no_table),
        Exchange::new("POST", DISTINCT_CACHE_PATH, 201).body(&distinct),
        Exchange::new("POST", DISTINCT_CACHE_PATH, 409).body(&distinct),
        Exchange::new("POST", DISTINCT_CACHE_PATH, 400).body(other_columns),
        // How the provider reads caches: the database's system tables.
        Exchange::new("POST", QUERY_SQL_PATH, 200).body(system_query(LAST_CACHES_QUERY)),
        Exchange::new("POST", QUERY_SQL_PATH, 200).body(system_query(DISTINCT_CACHES_QUERY)),
        cache_delete(LAST_CACHE_PATH, "latest", 200),
        cache_delete(LAST_CACHE_PATH, "latest", 404),
        cache_delete(DISTINCT_CACHE_PATH, "hosts", 200),
        cache_delete(DISTINCT_CACHE_PATH, "hosts", 404),
    ]
}

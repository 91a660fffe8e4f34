//! Contract: the emulator's `--product core|enterprise` modes against the
//! published OpenAPI specs of InfluxDB 3 Core and Enterprise
//! (`../shared/reference/core-v3-openapi.yaml`, `enterprise-v3-openapi.yaml`).
//!
//! Every request the provider's `/api/v3` client sends (built from the same
//! wire types and paths, `influxdb3_provider::api::v3`) is checked against the
//! spec: the operation exists, its query parameters are declared (and the
//! required ones given), its JSON body validates against the request schema.
//! Then it is sent to the emulator, and the response's status must be one the
//! spec documents for the operation, its JSON body valid against the
//! documented schema.
//!
//! The schema check is a small, self-contained subset of OpenAPI 3.0 schema
//! validation: `$ref`, `type`, `nullable`, `enum`, `required`, `properties`,
//! `additionalProperties: false`, `items`, `allOf`, `format: date-time`.
//! (`pattern` is not checked; the database-name rule is unit-tested in the
//! provider and the emulator.) It could be shared with a validator for the
//! Cloud Dedicated specs.

use serde_json::{Value, json};

use influxdb3_provider::api::v3::{
    CreateDatabaseRequest, CreateNamedAdminTokenRequest, CreateResourceTokenRequest, DATABASE_PATH,
    DATABASE_RETENTION_PATH, INTERNAL_DATABASE, LIST_TOKENS_QUERY, NAMED_ADMIN_TOKEN_PATH,
    QUERY_SQL_PATH, QueryRequest, RESOURCE_TOKEN_PATH, TOKEN_PATH, TokenPermission,
    UpdateDatabaseRequest,
};
use influxdb3_provider::api::v3_tables::TABLE_RETENTION_PATH;

use crate::contract_v3_schema::table_exchanges;
use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::repo_root;

/// A spec, as JSON.
struct Spec {
    name: &'static str,
    root: Value,
}

impl Spec {
    fn load(file: &'static str) -> Self {
        let path = repo_root().join("../shared/reference").join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let root: Value = serde_norway::from_str(&text)
            .unwrap_or_else(|error| panic!("{}: not YAML: {error}", path.display()));
        Spec { name: file, root }
    }

    /// Follows `$ref`s (`#/components/...`) until a non-reference.
    fn resolve<'a>(&'a self, mut node: &'a Value) -> &'a Value {
        for _ in 0..16 {
            let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
                return node;
            };
            let pointer = reference.trim_start_matches('#');
            node = self
                .root
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{}: dangling $ref {reference}", self.name));
        }
        panic!("{}: $ref chain too long", self.name)
    }

    fn operation(&self, method: &str, path: &str) -> Option<&Value> {
        self.root
            .get("paths")?
            .get(path)?
            .get(method.to_ascii_lowercase())
    }

    /// Checks `value` against `schema`; problems are pushed with their JSON path.
    fn validate(&self, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
        let schema = self.resolve(schema);
        if value.is_null() && schema.get("nullable") == Some(&Value::Bool(true)) {
            return;
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            for part in parts {
                self.validate(part, value, at, problems);
            }
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array)
            && !options.contains(value)
        {
            problems.push(format!("{at}: {value} is not one of {options:?}"));
        }
        let ty = schema.get("type").and_then(Value::as_str).or_else(|| {
            (schema.get("properties").is_some() || schema.get("required").is_some())
                .then_some("object")
        });
        let fits = match ty {
            None => true,
            Some("object") => value.is_object(),
            Some("array") => value.is_array(),
            Some("string") => value.is_string(),
            Some("integer") => value.is_i64() || value.is_u64(),
            Some("number") => value.is_number(),
            Some("boolean") => value.is_boolean(),
            Some(other) => {
                problems.push(format!("{at}: unsupported schema type {other}"));
                true
            }
        };
        if !fits {
            problems.push(format!(
                "{at}: expected {}, got {value}",
                ty.unwrap_or_default()
            ));
            return;
        }
        if schema.get("format").and_then(Value::as_str) == Some("date-time")
            && let Some(text) = value.as_str()
            && chrono::DateTime::parse_from_rfc3339(text).is_err()
        {
            problems.push(format!("{at}: {text:?} is not a date-time"));
        }
        if let Some(object) = value.as_object() {
            for name in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !object.contains_key(name) {
                    problems.push(format!("{at}: required property {name} is missing"));
                }
            }
            let properties = schema.get("properties").and_then(Value::as_object);
            for (name, member) in object {
                match properties.and_then(|properties| properties.get(name)) {
                    Some(property) => {
                        self.validate(property, member, &format!("{at}.{name}"), problems);
                    }
                    None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                        problems.push(format!("{at}: property {name} is not allowed"));
                    }
                    None => {}
                }
            }
        }
        if let (Some(items), Some(elements)) = (schema.get("items"), value.as_array()) {
            for (index, element) in elements.iter().enumerate() {
                self.validate(items, element, &format!("{at}[{index}]"), problems);
            }
        }
    }
}

/// One request of the provider's client and what the spec must say of it.
pub(crate) struct Exchange {
    method: &'static str,
    path: &'static str,
    query: Vec<(&'static str, String)>,
    body: Option<Value>,
    /// The status the emulator must answer.
    status: u16,
    /// The bearer token: the operator token unless set.
    token: Option<String>,
}

impl Exchange {
    pub(crate) fn new(method: &'static str, path: &'static str, status: u16) -> Self {
        Exchange {
            method,
            path,
            query: Vec::new(),
            body: None,
            status,
            token: None,
        }
    }

    pub(crate) fn query(mut self, name: &'static str, value: &str) -> Self {
        self.query.push((name, value.to_owned()));
        self
    }

    pub(crate) fn body(mut self, body: impl serde::Serialize) -> Self {
        self.body = Some(serde_json::to_value(body).unwrap_or_default());
        self
    }

    fn token(mut self, token: &str) -> Self {
        self.token = Some(token.to_owned());
        self
    }
}

/// Response schemas the published specs get wrong, and why the emulator (like
/// the servers) answers otherwise. Each is asserted to still deviate, so a fixed
/// spec shows up here.
fn known_deviation(method: &str, path: &str, status: u16) -> Option<&'static str> {
    match (method, path, status) {
        // `QueryResponse` is the v1 `/query` shape (`{"results": [...]}`); the
        // servers answer `format=json` with a JSON array of row objects, as the
        // `system.tokens` examples of InfluxData's docs show.
        ("POST", QUERY_SQL_PATH, 200) => Some("query_sql json is an array of rows"),
        _ => None,
    }
}

fn check(spec: &Spec, emulator: &EmulatorProcess, exchange: &Exchange) -> Value {
    let what = format!("{} {} {}", spec.name, exchange.method, exchange.path);
    let operation = spec
        .operation(exchange.method, exchange.path)
        .unwrap_or_else(|| panic!("{what}: the spec has no such operation"));

    // Query parameters: declared, and the required ones given.
    let parameters: Vec<&Value> = operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|parameter| spec.resolve(parameter))
        .filter(|parameter| parameter["in"] == "query")
        .collect();
    for (name, _) in &exchange.query {
        assert!(
            parameters
                .iter()
                .any(|parameter| parameter["name"] == *name),
            "{what}: query parameter {name} is not in the spec"
        );
    }
    for parameter in &parameters {
        if parameter["required"] == true {
            let name = parameter["name"].as_str().unwrap_or_default();
            assert!(
                exchange.query.iter().any(|(given, _)| *given == name),
                "{what}: required query parameter {name} is not sent"
            );
        }
    }

    // The request body.
    let request_schema = operation
        .get("requestBody")
        .map(|body| spec.resolve(body))
        .and_then(|body| body.pointer("/content/application~1json/schema"));
    match (&exchange.body, request_schema) {
        (Some(body), Some(schema)) => {
            let mut problems = Vec::new();
            spec.validate(schema, body, "request", &mut problems);
            assert!(problems.is_empty(), "{what}: {problems:#?}\n{body:#}");
        }
        (Some(_), None) => panic!("{what}: the spec takes no JSON body"),
        (None, Some(_)) if operation["requestBody"]["required"] == true => {
            panic!("{what}: the spec requires a body")
        }
        (None, _) => {}
    }

    // Send it.
    let mut path = exchange.path.to_owned();
    if !exchange.query.is_empty() {
        let pairs: Vec<String> = exchange
            .query
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        path = format!("{path}?{}", pairs.join("&"));
    }
    let (status, body) = match &exchange.token {
        Some(token) => emulator.request_as(token, exchange.method, &path, exchange.body.clone()),
        None => emulator.request(exchange.method, &path, exchange.body.clone()),
    };
    assert_eq!(status, exchange.status, "{what}: {body}");

    // The response.
    let response = operation
        .pointer(&format!("/responses/{status}"))
        .unwrap_or_else(|| panic!("{what}: HTTP {status} is not a documented response"));
    let response = spec.resolve(response);
    if let Some(schema) = response.pointer("/content/application~1json/schema")
        && !body.is_null()
    {
        let mut problems = Vec::new();
        spec.validate(schema, &body, "response", &mut problems);
        match known_deviation(exchange.method, exchange.path, status) {
            None => assert!(problems.is_empty(), "{what}: {problems:#?}\n{body:#}"),
            Some(reason) => assert!(
                !problems.is_empty(),
                "{what}: the known deviation ({reason}) is gone: drop it"
            ),
        }
    }
    body
}

fn exchanges(enterprise: bool) -> Vec<Exchange> {
    let mut all = vec![
        Exchange::new("POST", NAMED_ADMIN_TOKEN_PATH, 201).body(CreateNamedAdminTokenRequest {
            token_name: "ci".to_owned(),
            expiry_secs: Some(3600),
        }),
        // The name is taken.
        Exchange::new("POST", NAMED_ADMIN_TOKEN_PATH, 409).body(CreateNamedAdminTokenRequest {
            token_name: "ci".to_owned(),
            expiry_secs: None,
        }),
    ];
    if enterprise {
        all.push(Exchange::new("POST", RESOURCE_TOKEN_PATH, 201).body(
            CreateResourceTokenRequest {
                token_name: "reader".to_owned(),
                permissions: vec![TokenPermission {
                    resource_type: "db".to_owned(),
                    resource_names: vec!["sensors".to_owned()],
                    actions: vec!["read".to_owned(), "write".to_owned()],
                }],
                expiry_secs: None,
            },
        ));
    }
    all.extend([
        Exchange::new("POST", QUERY_SQL_PATH, 200).body(QueryRequest {
            db: INTERNAL_DATABASE.to_owned(),
            q: LIST_TOKENS_QUERY.to_owned(),
            format: Some("json".to_owned()),
        }),
        Exchange::new("POST", DATABASE_PATH, 200).body(CreateDatabaseRequest {
            db: "sensors".to_owned(),
            retention_period: Some("30d".to_owned()),
        }),
        Exchange::new("POST", DATABASE_PATH, 409).body(CreateDatabaseRequest {
            db: "sensors".to_owned(),
            retention_period: None,
        }),
        Exchange::new("GET", DATABASE_PATH, 200).query("format", "json"),
    ]);
    all.extend(table_exchanges(enterprise));
    all.extend([
        Exchange::new("PUT", DATABASE_PATH, 200).body(UpdateDatabaseRequest {
            db: "sensors".to_owned(),
            retention_period: "7d".to_owned(),
        }),
        Exchange::new("DELETE", DATABASE_RETENTION_PATH, 204).query("db", "sensors"),
        Exchange::new("DELETE", DATABASE_PATH, 200).query("db", "sensors"),
        Exchange::new("DELETE", DATABASE_PATH, 404).query("db", "sensors"),
        Exchange::new("DELETE", TOKEN_PATH, 200).query("token_name", "ci"),
        Exchange::new("DELETE", TOKEN_PATH, 404).query("token_name", "ci"),
        // A token that is not (or no longer) valid: 401 with the error body.
        Exchange::new("GET", DATABASE_PATH, 401)
            .query("format", "json")
            .token("apiv3_not-a-token"),
    ]);
    all
}

#[test]
fn contract_v3_core_matches_the_published_spec() {
    let spec = Spec::load("core-v3-openapi.yaml");
    let emulator = EmulatorProcess::start_with(&["--product", "core"]);
    for exchange in exchanges(false) {
        check(&spec, &emulator, &exchange);
    }
    // Resource tokens are Enterprise-only: not in the Core spec, 404 from a Core server.
    assert!(spec.operation("POST", RESOURCE_TOKEN_PATH).is_none());
    let (status, _) = emulator.request("POST", RESOURCE_TOKEN_PATH, Some(json!({})));
    assert_eq!(status, 404);
    // So are table retention periods.
    assert!(spec.operation("POST", TABLE_RETENTION_PATH).is_none());
    let path = format!("{TABLE_RETENTION_PATH}?db=sensors&table=cpu&duration=7d");
    let (status, _) = emulator.request("POST", &path, None);
    assert_eq!(status, 404);
}

#[test]
fn contract_v3_enterprise_matches_the_published_spec() {
    let spec = Spec::load("enterprise-v3-openapi.yaml");
    let emulator = EmulatorProcess::start_with(&["--product", "enterprise"]);
    let mut rows = Value::Null;
    for exchange in exchanges(true) {
        let body = check(&spec, &emulator, &exchange);
        if exchange.path == QUERY_SQL_PATH
            && exchange
                .body
                .as_ref()
                .is_some_and(|b| b["db"] == INTERNAL_DATABASE)
        {
            rows = body;
        }
    }
    // The rows the provider reads: token_id and name always, no secret.
    let rows = rows.as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 3, "{rows:?}");
    for row in &rows {
        assert!(row["token_id"].is_u64() && row["name"].is_string(), "{row}");
        assert!(row.get("token").is_none(), "{row}");
    }
}

#[test]
fn contract_v3_validator_catches_mismatches() {
    let spec = Spec::load("enterprise-v3-openapi.yaml");
    let schema = json!({"$ref": "#/components/schemas/CreateTokenWithPermissionsRequest"});
    let mut problems = Vec::new();
    spec.validate(
        &schema,
        &json!({"token_name": 7, "permissions": [{"resource_type": "table", "actions": ["read"]}]}),
        "body",
        &mut problems,
    );
    assert_eq!(
        problems,
        vec![
            "body.permissions[0]: required property resource_names is missing",
            "body.permissions[0].resource_type: \"table\" is not one of [String(\"system\"), String(\"db\")]",
            "body.token_name: expected string, got 7",
        ]
    );
}

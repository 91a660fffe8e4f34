//! The published OpenAPI specs, read at test time, and a validator for the subset of
//! JSON Schema they use.
//!
//! [`Spec::load`] reads `../shared/reference/<file>` relative to the crate root and
//! fails with a clear message when it is missing. [`Spec::validate`] checks a JSON
//! value against a schema and returns every violation with its JSON path. Beyond
//! JSON Schema it is strict in one way: an object may carry only properties that its
//! schema (with its `$ref`s and `allOf`s) declares, so that a field the spec does not
//! name cannot slip into a request or a response unnoticed.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

/// The keywords the validator implements.
const ASSERTIONS: &[&str] = &[
    "$ref",
    "allOf",
    "anyOf",
    "oneOf",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "enum",
    "items",
    "format",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
];

/// Keywords that annotate and assert nothing.
const ANNOTATIONS: &[&str] = &[
    "description",
    "default",
    "example",
    "examples",
    "title",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// One published spec.
pub(crate) struct Spec {
    pub(crate) name: String,
    document: Value,
}

/// An operation of a spec: method, path template and its definition.
pub(crate) struct Operation<'a> {
    pub(crate) method: String,
    pub(crate) template: String,
    definition: &'a Value,
}

impl Spec {
    /// Reads `file` from `../shared/reference/`; panics, naming the path, when it is
    /// missing or not YAML.
    pub(crate) fn load(file: &str) -> Spec {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/reference")
            .join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
            panic!(
                "cannot read the published spec {} ({error}): the contract tests need the \
                 shared reference directory next to the repository (../shared/reference)",
                path.display()
            )
        });
        let document: Value = serde_norway::from_str(&text)
            .unwrap_or_else(|error| panic!("{} is not YAML: {error}", path.display()));
        Spec {
            name: file.to_owned(),
            document,
        }
    }

    /// The path of the API below the server URL, e.g. `/api/v0`.
    pub(crate) fn base_path(&self) -> String {
        let url = self.document["servers"][0]["url"].as_str().unwrap_or("");
        let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        without_scheme
            .find('/')
            .map_or_else(String::new, |slash| without_scheme[slash..].to_owned())
    }

    /// Every operation of the spec.
    pub(crate) fn operations(&self) -> Vec<Operation<'_>> {
        let mut operations = Vec::new();
        let paths = self.document["paths"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for (template, _) in paths {
            let item = &self.document["paths"][template.as_str()];
            for method in ["get", "put", "post", "delete", "patch"] {
                if item.get(method).is_some() {
                    operations.push(Operation {
                        method: method.to_uppercase(),
                        template: template.clone(),
                        definition: &item[method],
                    });
                }
            }
        }
        operations
    }

    /// The operation serving `method` on `path` (below [`Spec::base_path`]).
    pub(crate) fn find(&self, method: &str, path: &str) -> Option<Operation<'_>> {
        self.operations()
            .into_iter()
            .find(|operation| operation.method == method && matches(&operation.template, path))
    }

    /// The schema of the operation's JSON request body, if it has one.
    pub(crate) fn request_schema<'a>(&'a self, operation: &Operation<'a>) -> Option<&'a Value> {
        let body = self.resolve(operation.definition.get("requestBody")?);
        body.get("content")?.get("application/json")?.get("schema")
    }

    /// The documented response for `status`: `Ok(Some(schema))` with a JSON body,
    /// `Ok(None)` without content, `Err` when the status is not documented.
    pub(crate) fn response_schema<'a>(
        &'a self,
        operation: &Operation<'a>,
        status: u16,
    ) -> Result<Option<&'a Value>, String> {
        let responses = &operation.definition["responses"];
        let response = responses
            .get(status.to_string())
            .or_else(|| responses.get("default"))
            .ok_or_else(|| {
                format!(
                    "{} {} does not document status {status}",
                    operation.method, operation.template
                )
            })?;
        let response = self.resolve(response);
        Ok(response
            .get("content")
            .and_then(|content| content.get("application/json"))
            .and_then(|json| json.get("schema")))
    }

    /// Every schema keyword the spec uses that the validator neither implements nor
    /// knows as an annotation.
    pub(crate) fn unsupported_keywords(&self) -> BTreeSet<String> {
        let mut unknown = BTreeSet::new();
        let mut schemas: Vec<&Value> = Vec::new();
        collect_schemas(&self.document, &mut schemas);
        while let Some(schema) = schemas.pop() {
            let Some(object) = schema.as_object() else {
                continue;
            };
            for (keyword, value) in object {
                if !ASSERTIONS.contains(&keyword.as_str())
                    && !ANNOTATIONS.contains(&keyword.as_str())
                {
                    unknown.insert(keyword.clone());
                }
                match keyword.as_str() {
                    "properties" => {
                        schemas.extend(value.as_object().into_iter().flat_map(|p| p.values()))
                    }
                    "items" | "additionalProperties" => schemas.push(value),
                    "allOf" | "anyOf" | "oneOf" => {
                        schemas.extend(value.as_array().into_iter().flatten());
                    }
                    _ => {}
                }
            }
        }
        unknown
    }

    /// Follows a `#/...` reference.
    fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        let mut value = value;
        while let Some(reference) = value.get("$ref").and_then(Value::as_str) {
            match self.pointer(reference) {
                Some(target) if value.as_object().is_some_and(|o| o.len() == 1) => value = target,
                _ => break,
            }
        }
        value
    }

    fn pointer(&self, reference: &str) -> Option<&Value> {
        self.document.pointer(reference.strip_prefix('#')?)
    }

    /// Every violation of `schema` by `instance`, each prefixed with its JSON path.
    pub(crate) fn validate(&self, schema: &Value, instance: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.check(schema, instance, "$", &mut errors);
        errors
    }

    fn check(&self, schema: &Value, instance: &Value, at: &str, errors: &mut Vec<String>) {
        let Some(keywords) = schema.as_object() else {
            return;
        };
        if let Some(reference) = keywords.get("$ref").and_then(Value::as_str) {
            match self.pointer(reference) {
                Some(target) => self.check(target, instance, at, errors),
                None => errors.push(format!("{at}: unresolvable $ref {reference}")),
            }
        }
        for part in keywords
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.check(part, instance, at, errors);
        }
        for (keyword, exactly_one) in [("anyOf", false), ("oneOf", true)] {
            if let Some(branches) = keywords.get(keyword).and_then(Value::as_array) {
                let passing = branches
                    .iter()
                    .filter(|branch| self.validate(branch, instance).is_empty())
                    .count();
                if passing == 0 || (exactly_one && passing > 1) {
                    errors.push(format!(
                        "{at}: {passing} branches of {keyword} match {instance}"
                    ));
                }
            }
        }
        if let Some(expected) = keywords.get("type").and_then(Value::as_str)
            && !has_type(instance, expected)
        {
            errors.push(format!("{at}: expected {expected}, found {instance}"));
            return;
        }
        if let Some(allowed) = keywords.get("enum").and_then(Value::as_array)
            && !allowed.contains(instance)
        {
            errors.push(format!("{at}: {instance} is not one of {allowed:?}"));
        }
        check_format(keywords, instance, at, errors);
        check_bounds(keywords, instance, at, errors);
        match instance {
            Value::Object(object) => self.check_object(schema, keywords, object, at, errors),
            Value::Array(items) => {
                if let Some(item_schema) = keywords.get("items") {
                    for (index, item) in items.iter().enumerate() {
                        self.check(item_schema, item, &format!("{at}[{index}]"), errors);
                    }
                }
            }
            _ => {}
        }
    }

    fn check_object(
        &self,
        schema: &Value,
        keywords: &serde_json::Map<String, Value>,
        object: &serde_json::Map<String, Value>,
        at: &str,
        errors: &mut Vec<String>,
    ) {
        for name in keywords
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(name) = name.as_str()
                && !object.contains_key(name)
            {
                errors.push(format!("{at}: required property {name:?} is missing"));
            }
        }
        if let Some(properties) = keywords.get("properties").and_then(Value::as_object) {
            for (name, value) in object {
                if let Some(property) = properties.get(name) {
                    self.check(property, value, &format!("{at}.{name}"), errors);
                }
            }
        }
        match keywords.get("additionalProperties") {
            Some(Value::Bool(false)) | None => {}
            Some(additional) => {
                let declared = keywords.get("properties").and_then(Value::as_object);
                for (name, value) in object {
                    if declared.is_none_or(|declared| !declared.contains_key(name)) {
                        self.check(additional, value, &format!("{at}.{name}"), errors);
                    }
                }
            }
        }
        if let Some(minimum) = keywords.get("minProperties").and_then(Value::as_u64)
            && (object.len() as u64) < minimum
        {
            errors.push(format!("{at}: fewer than {minimum} properties"));
        }
        // Strictness: only properties some part of the schema declares. Skipped
        // where a branch of anyOf/oneOf decides (each branch checks itself).
        if keywords.contains_key("anyOf") || keywords.contains_key("oneOf") {
            return;
        }
        let mut declared = BTreeSet::new();
        let open = self.declared_properties(schema, &mut declared);
        if !open {
            for name in object.keys() {
                if !declared.contains(name) {
                    errors.push(format!("{at}: property {name:?} is not in the spec"));
                }
            }
        }
    }

    /// Adds the properties `schema` declares (through `$ref` and `allOf`) to
    /// `declared`; true when the schema declares none (an open object).
    fn declared_properties(&self, schema: &Value, declared: &mut BTreeSet<String>) -> bool {
        let before = declared.len();
        let mut pending = vec![schema];
        let mut any_properties = false;
        while let Some(schema) = pending.pop() {
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                any_properties = true;
                declared.extend(properties.keys().cloned());
            }
            if let Some(target) = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| self.pointer(reference))
            {
                pending.push(target);
            }
            pending.extend(
                schema
                    .get("allOf")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            );
        }
        !any_properties && declared.len() == before
    }
}

/// Whether `path` fits `template`: same segments, `{...}` matching any non-empty one.
fn matches(template: &str, path: &str) -> bool {
    let template: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    template.len() == path.len()
        && template.iter().zip(&path).all(|(expected, actual)| {
            (expected.starts_with('{') && expected.ends_with('}') && !actual.is_empty())
                || expected == actual
        })
}

/// The schemas of a spec: component schemas and every `schema` of a parameter,
/// request body or response.
fn collect_schemas<'a>(value: &'a Value, schemas: &mut Vec<&'a Value>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                match key.as_str() {
                    "schema" => schemas.push(child),
                    "schemas" => {
                        schemas.extend(child.as_object().into_iter().flat_map(|s| s.values()))
                    }
                    "examples" | "example" | "x-codeSamples" => {}
                    _ => collect_schemas(child, schemas),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_schemas(item, schemas)),
        _ => {}
    }
}

fn has_type(instance: &Value, expected: &str) -> bool {
    match expected {
        "object" => instance.is_object(),
        "array" => instance.is_array(),
        "string" => instance.is_string(),
        "integer" => instance.is_i64() || instance.is_u64(),
        "number" => instance.is_number(),
        "boolean" => instance.is_boolean(),
        "null" => instance.is_null(),
        _ => false,
    }
}

fn check_format(
    keywords: &serde_json::Map<String, Value>,
    instance: &Value,
    at: &str,
    errors: &mut Vec<String>,
) {
    let Some(format) = keywords.get("format").and_then(Value::as_str) else {
        return;
    };
    let valid = match (format, instance) {
        ("uuid", Value::String(text)) => uuid::Uuid::parse_str(text).is_ok(),
        ("date-time", Value::String(text)) => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        ("int32", Value::Number(number)) => number
            .as_i64()
            .is_some_and(|value| i32::try_from(value).is_ok()),
        ("int64", Value::Number(number)) => number.as_i64().is_some(),
        _ => true,
    };
    if !valid {
        errors.push(format!("{at}: {instance} is not a valid {format}"));
    }
}

fn check_bounds(
    keywords: &serde_json::Map<String, Value>,
    instance: &Value,
    at: &str,
    errors: &mut Vec<String>,
) {
    let number = |name: &str| keywords.get(name).and_then(Value::as_f64);
    let count = |name: &str| keywords.get(name).and_then(Value::as_u64);
    if let Some(value) = instance.as_f64() {
        if number("minimum").is_some_and(|minimum| value < minimum) {
            errors.push(format!("{at}: {instance} is below the minimum"));
        }
        if number("maximum").is_some_and(|maximum| value > maximum) {
            errors.push(format!("{at}: {instance} is above the maximum"));
        }
    }
    if let Some(text) = instance.as_str() {
        let length = text.chars().count() as u64;
        if count("minLength").is_some_and(|minimum| length < minimum) {
            errors.push(format!("{at}: shorter than minLength"));
        }
        if count("maxLength").is_some_and(|maximum| length > maximum) {
            errors.push(format!("{at}: longer than maxLength"));
        }
    }
    if let Some(items) = instance.as_array() {
        let length = items.len() as u64;
        if count("minItems").is_some_and(|minimum| length < minimum) {
            errors.push(format!("{at}: fewer than minItems"));
        }
        if count("maxItems").is_some_and(|maximum| length > maximum) {
            errors.push(format!("{at}: more than maxItems"));
        }
        let unique = keywords.get("uniqueItems").and_then(Value::as_bool) == Some(true);
        if unique
            && items
                .iter()
                .enumerate()
                .any(|(i, item)| items[..i].contains(item))
        {
            errors.push(format!("{at}: items are not unique"));
        }
    }
}

#[cfg(test)]
mod tests;

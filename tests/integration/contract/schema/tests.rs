//! The validator against the specs' own schemas.

use super::*;

#[test]
fn contract_validator_checks_what_the_specs_use() {
    let spec = Spec::load("cloud-dedicated-management-openapi.yml");
    let schema =
        serde_json::json!({"$ref": "#/components/schemas/ClusterDatabasePartitionTemplate"});
    let good = serde_json::json!([{"type": "time", "value": "%Y"},
                                  {"type": "bucket", "value": {"tagName": "a", "numberOfBuckets": 3}}]);
    assert_eq!(spec.validate(&schema, &good), Vec::<String>::new());
    for bad in [
        serde_json::json!([]),
        serde_json::json!([{"type": "hour", "value": "%H"}]),
        serde_json::json!([{"type": "tag", "value": ""}]),
        serde_json::json!([{"type": "bucket", "value": {"tagName": "a", "numberOfBuckets": 0}}]),
        serde_json::json!([{"type": "tag", "value": "a"}, {"type": "tag", "value": "a"}]),
        serde_json::json!("x"),
    ] {
        assert!(!spec.validate(&schema, &bad).is_empty(), "{bad} passes");
    }
    let error = serde_json::json!({"$ref": "#/components/responses/NotFound"});
    let error = spec.resolve(&error)["content"]["application/json"]["schema"].clone();
    assert!(
        spec.validate(&error, &serde_json::json!({"code": 404, "message": "x"}))
            .is_empty()
    );
    assert!(
        !spec
            .validate(&error, &serde_json::json!({"code": 400, "message": "x"}))
            .is_empty()
    );
    assert!(
        !spec
            .validate(&error, &serde_json::json!({"code": 404}))
            .is_empty()
    );
    assert!(
        !spec
            .validate(
                &error,
                &serde_json::json!({"code": 404, "message": "x", "extra": 1})
            )
            .is_empty()
    );
    let uuid = serde_json::json!({"$ref": "#/components/schemas/UuidV4"});
    assert!(
        !spec
            .validate(&uuid, &serde_json::json!("not-a-uuid"))
            .is_empty()
    );
    let time = serde_json::json!({"$ref": "#/components/schemas/DateTimeRfc3339"});
    assert!(
        spec.validate(&time, &serde_json::json!("2026-03-01T12:00:00Z"))
            .is_empty()
    );
    assert!(
        !spec
            .validate(&time, &serde_json::json!("yesterday"))
            .is_empty()
    );
    for file in [
        "cloud-dedicated-management-openapi.yml",
        "clustered-management-openapi.yml",
    ] {
        let spec = Spec::load(file);
        assert_eq!(spec.unsupported_keywords(), BTreeSet::new(), "{file}");
        assert_eq!(spec.base_path(), "/api/v0", "{file}");
    }
}

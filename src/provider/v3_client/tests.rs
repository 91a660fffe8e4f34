use super::with_query;

#[test]
fn query_values_are_percent_encoded() {
    assert_eq!(
        with_query("/api/v3/configure/token", &[("token_name", "ci & ops/1")]),
        "/api/v3/configure/token?token_name=ci+%26+ops%2F1"
    );
    assert_eq!(with_query("/api/v3/x", &[]), "/api/v3/x");
}

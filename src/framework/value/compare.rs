//! Comparing values as Terraform does: sets by their elements, whatever the
//! order.

use super::Value;

/// Whether `a` and `b` are the same value, comparing sets (at any depth) as
/// sets: each element of one matched to a distinct equal element of the
/// other, in any order. Everything else compares as `==` does; unknown
/// equals only unknown.
///
/// # Examples
///
/// ```
/// use influxdb3_provider::framework::value::{values_equal, Value};
/// let a = Value::set([Value::string("x"), Value::string("y")]);
/// let b = Value::set([Value::string("y"), Value::string("x")]);
/// assert!(values_equal(&a, &b));
/// assert_ne!(a, b);
/// ```
pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Set(left), Value::Set(right)) => {
            left.len() == right.len() && match_elements(left, right, values_equal)
        }
        (Value::List(left), Value::List(right)) | (Value::Tuple(left), Value::Tuple(right)) => {
            left.len() == right.len() && left.iter().zip(right).all(|(a, b)| values_equal(a, b))
        }
        (Value::Map(left), Value::Map(right)) | (Value::Object(left), Value::Object(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .all(|(key, a)| right.get(key).is_some_and(|b| values_equal(a, b)))
        }
        (Value::Dynamic(left_ty, left), Value::Dynamic(right_ty, right)) => {
            left_ty == right_ty && values_equal(left, right)
        }
        _ => a == b,
    }
}

/// Whether every element of `wanted` can be paired with a distinct element of
/// `available` for which `fits(wanted, available)` holds (greedy, which is
/// exact when `fits` is an equivalence).
pub(crate) fn match_elements(
    wanted: &[Value],
    available: &[Value],
    fits: impl Fn(&Value, &Value) -> bool,
) -> bool {
    let mut used = vec![false; available.len()];
    wanted.iter().all(|element| {
        let found = available
            .iter()
            .enumerate()
            .position(|(index, candidate)| !used[index] && fits(element, candidate));
        if let Some(index) = found {
            used[index] = true;
        }
        found.is_some()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_of_objects_compare_by_value_at_any_depth() {
        let object = |a: &str, n: i64| {
            Value::object([("action", Value::string(a)), ("n", Value::number(n))])
        };
        let a = Value::list([Value::set([object("read", 1), object("write", 2)])]);
        let b = Value::list([Value::set([object("write", 2), object("read", 1)])]);
        assert!(values_equal(&a, &b));
        let c = Value::list([Value::set([object("write", 2), object("read", 3)])]);
        assert!(!values_equal(&a, &c));
    }

    #[test]
    fn duplicates_and_lengths_matter() {
        let x = Value::string("x");
        let y = Value::string("y");
        assert!(!values_equal(
            &Value::set([x.clone(), x.clone()]),
            &Value::set([x.clone(), y.clone()])
        ));
        assert!(!values_equal(&Value::set([x.clone()]), &Value::set([x, y])));
        assert!(!values_equal(&Value::list([]), &Value::Null));
        assert!(values_equal(&Value::Unknown, &Value::Unknown));
    }
}

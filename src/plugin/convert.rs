//! Conversions between the generated protobuf types and the hand-written
//! [`protocol`](super::protocol) types. The only place both meet.

use super::proto::tfplugin6 as pb;
use super::protocol as p;

pub(super) fn dynamic_value_in(value: Option<pb::DynamicValue>) -> p::DynamicValue {
    value
        .map(|v| p::DynamicValue {
            msgpack: v.msgpack,
            json: v.json,
        })
        .unwrap_or_default()
}

pub(super) fn dynamic_value_out(value: p::DynamicValue) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: value.msgpack,
        json: value.json,
    })
}

pub(super) fn raw_state_in(value: Option<pb::RawState>) -> p::RawState {
    value
        .map(|v| p::RawState {
            json: v.json,
            flatmap: v.flatmap.into_iter().collect(),
        })
        .unwrap_or_default()
}

pub(super) fn client_capabilities_in(
    value: Option<pb::ClientCapabilities>,
) -> p::ClientCapabilities {
    value
        .map(|v| p::ClientCapabilities {
            deferral_allowed: v.deferral_allowed,
            write_only_attributes_allowed: v.write_only_attributes_allowed,
        })
        .unwrap_or_default()
}

pub(super) fn server_capabilities_out(value: p::ServerCapabilities) -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: value.plan_destroy,
        get_provider_schema_optional: value.get_provider_schema_optional,
        move_resource_state: value.move_resource_state,
        generate_resource_config: false,
    }
}

pub(super) fn diagnostics_out(diagnostics: Vec<p::Diagnostic>) -> Vec<pb::Diagnostic> {
    diagnostics.into_iter().map(diagnostic_out).collect()
}

pub(super) fn diagnostic_out(diagnostic: p::Diagnostic) -> pb::Diagnostic {
    let severity = match diagnostic.severity {
        p::Severity::Error => pb::diagnostic::Severity::Error,
        p::Severity::Warning => pb::diagnostic::Severity::Warning,
    };
    pb::Diagnostic {
        severity: severity as i32,
        summary: diagnostic.summary,
        detail: diagnostic.detail,
        attribute: diagnostic.attribute.map(attribute_path_out),
    }
}

pub(super) fn attribute_path_out(path: p::AttributePath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    pb::AttributePath {
        steps: path
            .steps
            .into_iter()
            .map(|step| pb::attribute_path::Step {
                selector: Some(match step {
                    p::AttributePathStep::AttributeName(name) => Selector::AttributeName(name),
                    p::AttributePathStep::ElementKeyString(key) => Selector::ElementKeyString(key),
                    p::AttributePathStep::ElementKeyInt(index) => Selector::ElementKeyInt(index),
                }),
            })
            .collect(),
    }
}

pub(super) fn schema_out(schema: p::Schema) -> pb::Schema {
    pb::Schema {
        version: schema.version,
        block: Some(block_out(schema.block)),
    }
}

fn string_kind_out(kind: p::StringKind) -> i32 {
    match kind {
        p::StringKind::Plain => pb::StringKind::Plain as i32,
        p::StringKind::Markdown => pb::StringKind::Markdown as i32,
    }
}

fn block_out(block: p::SchemaBlock) -> pb::schema::Block {
    pb::schema::Block {
        version: block.version,
        attributes: block.attributes.into_iter().map(attribute_out).collect(),
        block_types: block
            .block_types
            .into_iter()
            .map(nested_block_out)
            .collect(),
        description: block.description,
        description_kind: string_kind_out(block.description_kind),
        deprecated: block.deprecated,
        deprecation_message: String::new(),
        computed: false,
    }
}

fn attribute_out(attribute: p::SchemaAttribute) -> pb::schema::Attribute {
    pb::schema::Attribute {
        name: attribute.name,
        r#type: attribute.type_json,
        nested_type: attribute.nested_type.map(object_out),
        description: attribute.description,
        required: attribute.required,
        optional: attribute.optional,
        computed: attribute.computed,
        sensitive: attribute.sensitive,
        description_kind: string_kind_out(attribute.description_kind),
        deprecated: attribute.deprecated,
        write_only: attribute.write_only,
        deprecation_message: String::new(),
    }
}

fn object_out(object: p::SchemaObject) -> pb::schema::Object {
    use pb::schema::object::NestingMode;
    let nesting = match object.nesting {
        p::ObjectNesting::Single => NestingMode::Single,
        p::ObjectNesting::List => NestingMode::List,
        p::ObjectNesting::Set => NestingMode::Set,
        p::ObjectNesting::Map => NestingMode::Map,
    };
    pb::schema::Object {
        attributes: object.attributes.into_iter().map(attribute_out).collect(),
        nesting: nesting as i32,
        ..Default::default()
    }
}

fn nested_block_out(nested: p::SchemaNestedBlock) -> pb::schema::NestedBlock {
    use pb::schema::nested_block::NestingMode;
    let nesting = match nested.nesting {
        p::NestedBlockNesting::Single => NestingMode::Single,
        p::NestedBlockNesting::List => NestingMode::List,
        p::NestedBlockNesting::Set => NestingMode::Set,
        p::NestedBlockNesting::Map => NestingMode::Map,
        p::NestedBlockNesting::Group => NestingMode::Group,
    };
    pb::schema::NestedBlock {
        type_name: nested.type_name,
        block: Some(block_out(nested.block)),
        nesting: nesting as i32,
        min_items: nested.min_items,
        max_items: nested.max_items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostic_with_path_round_trips_into_protobuf() {
        let converted = diagnostic_out(p::Diagnostic {
            severity: p::Severity::Warning,
            summary: "S".into(),
            detail: "D".into(),
            attribute: Some(p::AttributePath {
                steps: vec![
                    p::AttributePathStep::AttributeName("tokens".into()),
                    p::AttributePathStep::ElementKeyInt(2),
                    p::AttributePathStep::ElementKeyString("k".into()),
                ],
            }),
        });
        assert_eq!(converted.severity, 2);
        let steps = converted.attribute.unwrap().steps;
        use pb::attribute_path::step::Selector;
        assert_eq!(
            steps[0].selector,
            Some(Selector::AttributeName("tokens".into()))
        );
        assert_eq!(steps[1].selector, Some(Selector::ElementKeyInt(2)));
        assert_eq!(
            steps[2].selector,
            Some(Selector::ElementKeyString("k".into()))
        );
    }

    #[test]
    fn schema_keeps_flags_and_type_bytes() {
        let schema = schema_out(p::Schema {
            version: 3,
            block: p::SchemaBlock {
                attributes: vec![p::SchemaAttribute {
                    name: "access_token".into(),
                    type_json: b"\"string\"".to_vec(),
                    computed: true,
                    sensitive: true,
                    ..Default::default()
                }],
                block_types: vec![p::SchemaNestedBlock {
                    type_name: "b".into(),
                    nesting: p::NestedBlockNesting::List,
                    ..Default::default()
                }],
                ..Default::default()
            },
        });
        assert_eq!(schema.version, 3);
        let block = schema.block.unwrap();
        let attribute = &block.attributes[0];
        assert_eq!(attribute.r#type, b"\"string\"");
        assert!(attribute.computed && attribute.sensitive && !attribute.optional);
        assert_eq!(block.block_types[0].nesting, 2);
    }
}

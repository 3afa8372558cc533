//! The JSON Schema of requests, reports and the study file, generated from the Rust types
//! (schemars), and the TypeScript declarations the page's JSDoc references: both committed
//! under schema/. This test fails when a committed file is stale; to rewrite them run
//! `SURVKIT_WRITE_SCHEMA=1 cargo test --features schema --test schema`.

#![cfg(feature = "schema")]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use schemars::{schema_for, Schema};
use serde_json::Value;

fn schema_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema")
}

/// The documents: file name and schema.
fn schemas() -> Vec<(&'static str, Schema)> {
    vec![
        ("request.schema.json", schema_for!(survkit::FileRequest)),
        ("report.schema.json", schema_for!(survkit::Report)),
        ("study.schema.json", schema_for!(survkit::analysis::Study)),
        ("study-results.schema.json", schema_for!(survkit::analysis::StudyResults)),
        ("table-summary.schema.json", schema_for!(survkit::report::TableSummary)),
    ]
}

/// The TypeScript names of the documents' root types.
fn root_name(file: &str) -> &'static str {
    match file {
        "request.schema.json" => "FileRequest",
        "report.schema.json" => "Report",
        "study.schema.json" => "Study",
        "study-results.schema.json" => "StudyResults",
        _ => "TableSummary",
    }
}

#[test]
fn committed_schema_and_declarations_are_current() {
    let write = std::env::var_os("SURVKIT_WRITE_SCHEMA").is_some();
    let mut files: Vec<(String, String)> = Vec::new();
    let mut definitions: BTreeMap<String, Value> = BTreeMap::new();
    let mut roots = Vec::new();
    for (file, schema) in schemas() {
        let value = schema.to_value();
        files.push((file.to_string(), serde_json::to_string_pretty(&value).expect("JSON") + "\n"));
        if let Some(defs) = value.get("$defs").and_then(Value::as_object) {
            for (name, definition) in defs {
                definitions.insert(name.clone(), definition.clone());
            }
        }
        roots.push((root_name(file), value));
    }
    files.push(("survkit.d.ts".to_string(), declarations(&roots, &definitions)));
    let mut stale = Vec::new();
    for (file, contents) in &files {
        let path = schema_dir().join(file);
        if write {
            std::fs::create_dir_all(schema_dir()).expect("schema/");
            std::fs::write(&path, contents).expect("write");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(contents.as_str()) {
            stale.push(file.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "schema/{} differ from the Rust types; run SURVKIT_WRITE_SCHEMA=1 cargo test --features schema --test schema \
         and commit the result",
        stale.join(", schema/")
    );
}

/// TypeScript declarations of every root and definition.
fn declarations(roots: &[(&str, Value)], definitions: &BTreeMap<String, Value>) -> String {
    let mut out = String::from(
        "// Generated from the Rust types by tests/schema.rs (schemars); do not edit.\n\
         // The page sends `FileRequest`s (a `Request` with read options) and receives `Report`s; a saved study is a `Study`.\n\n",
    );
    for (name, schema) in roots {
        write_declaration(&mut out, name, schema);
    }
    for (name, schema) in definitions {
        if roots.iter().any(|(root, _)| root == name) {
            continue;
        }
        write_declaration(&mut out, name, schema);
    }
    out
}

fn write_declaration(out: &mut String, name: &str, schema: &Value) {
    if let Some(description) = schema.get("description").and_then(Value::as_str) {
        let _ = writeln!(out, "/** {} */", description.replace("*/", "* /").replace('\n', "\n * "));
    }
    let _ = writeln!(out, "export type {name} = {};\n", type_of(schema, 0));
}

/// The TypeScript type of a schema.
fn type_of(schema: &Value, depth: usize) -> String {
    let Some(object) = schema.as_object() else {
        return if schema == &Value::Bool(false) { "never".into() } else { "unknown".into() };
    };
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or("unknown").to_string();
        // A tagged variant: the referenced struct plus its `"analysis"` tag.
        let rest = without(object, &["$ref", "description"]);
        return if rest.contains_key("properties") {
            format!("({} & {name})", object_type(&rest, depth))
        } else {
            name
        };
    }
    if let Some(constant) = object.get("const") {
        return constant.to_string();
    }
    if let Some(values) = object.get("enum").and_then(Value::as_array) {
        return values.iter().map(Value::to_string).collect::<Vec<_>>().join(" | ");
    }
    for combinator in ["oneOf", "anyOf"] {
        if let Some(options) = object.get(combinator).and_then(Value::as_array) {
            let base = without(object, &[combinator, "description", "$schema", "title", "$defs"]);
            let parts: Vec<String> = options
                .iter()
                .map(|option| {
                    let own = type_of(option, depth + 1);
                    if has_shape(&base) {
                        format!("({} & {own})", type_of(&Value::Object(base.clone()), depth + 1))
                    } else {
                        own
                    }
                })
                .collect();
            return parts.join(" | ");
        }
    }
    if let Some(parts) = object.get("allOf").and_then(Value::as_array) {
        return parts.iter().map(|part| type_of(part, depth + 1)).collect::<Vec<_>>().join(" & ");
    }
    match object.get("type") {
        Some(Value::Array(kinds)) => kinds
            .iter()
            .map(|kind| type_of(&Value::Object(with_type(object, kind)), depth))
            .collect::<Vec<_>>()
            .join(" | "),
        Some(Value::String(kind)) => match kind.as_str() {
            "string" => "string".into(),
            "number" | "integer" => "number".into(),
            "boolean" => "boolean".into(),
            "null" => "null".into(),
            "array" => match object.get("items") {
                Some(items) => format!("Array<{}>", type_of(items, depth + 1)),
                None => "unknown[]".into(),
            },
            "object" => object_type(object, depth),
            _ => "unknown".into(),
        },
        _ if object.contains_key("properties") => object_type(object, depth),
        _ => "unknown".into(),
    }
}

fn has_shape(object: &serde_json::Map<String, Value>) -> bool {
    object.contains_key("properties") || object.contains_key("type")
}

fn without(object: &serde_json::Map<String, Value>, keys: &[&str]) -> serde_json::Map<String, Value> {
    object
        .iter()
        .filter(|(key, _)| !keys.contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}

fn with_type(object: &serde_json::Map<String, Value>, kind: &Value) -> serde_json::Map<String, Value> {
    let mut copy = object.clone();
    copy.insert("type".into(), kind.clone());
    copy
}

fn object_type(object: &serde_json::Map<String, Value>, depth: usize) -> String {
    let indent = "  ".repeat(depth + 1);
    let required: Vec<&str> = object
        .get("required")
        .and_then(Value::as_array)
        .map_or(Vec::new(), |names| names.iter().filter_map(Value::as_str).collect());
    let mut out = String::from("{\n");
    if let Some(properties) = object.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            if let Some(description) = property.get("description").and_then(Value::as_str) {
                let _ = writeln!(out, "{indent}/** {} */", description.replace("*/", "* /").replace('\n', " "));
            }
            let optional = if required.contains(&name.as_str()) { "" } else { "?" };
            let _ = writeln!(out, "{indent}{name}{optional}: {};", type_of(property, depth + 1));
        }
    }
    if let Some(extra) = object.get("additionalProperties").filter(|extra| extra.is_object()) {
        let _ = writeln!(out, "{indent}[key: string]: {};", type_of(extra, depth + 1));
    }
    out.push_str(&"  ".repeat(depth));
    out.push('}');
    out
}

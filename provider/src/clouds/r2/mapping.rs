//! r2_bucket's structured arguments ⇄ the API's shapes: CORS rules, lifecycle rules (days ⇄
//! seconds, dates), custom domains. Pure functions, no I/O.

use super::client::{
    Condition, CorsAllowed, CorsRule, CustomDomain, LifecycleConditions, LifecycleRule,
    StorageTransition, Transition,
};
use crate::framework::Value;

const DAY: i64 = 86_400;

fn strings(v: &Value) -> Option<Vec<String>> {
    v.elements().map(|e| {
        e.iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect()
    })
}
fn string_list(v: &Option<Vec<String>>) -> Value {
    v.as_ref().map_or(Value::Null, |l| {
        Value::List(l.iter().map(Value::string).collect())
    })
}
fn opt_str(s: &Option<String>) -> Value {
    s.clone().map_or(Value::Null, Value::String)
}

pub fn cors_from_value(v: &Value) -> Vec<CorsRule> {
    v.elements()
        .unwrap_or_default()
        .iter()
        .map(|r| CorsRule {
            id: r.attr("id").as_str().map(str::to_string),
            allowed: CorsAllowed {
                origins: strings(r.attr("allowed").attr("origins")).unwrap_or_default(),
                methods: strings(r.attr("allowed").attr("methods")).unwrap_or_default(),
                headers: strings(r.attr("allowed").attr("headers")),
            },
            expose_headers: strings(r.attr("expose_headers")),
            max_age_seconds: r.attr("max_age_seconds").as_i64(),
        })
        .collect()
}

pub fn cors_to_value(rules: &[CorsRule]) -> Value {
    if rules.is_empty() {
        return Value::Null;
    }
    Value::List(
        rules
            .iter()
            .map(|r| {
                Value::object([
                    ("id", opt_str(&r.id)),
                    (
                        "allowed",
                        Value::object([
                            ("origins", string_list(&Some(r.allowed.origins.clone()))),
                            ("methods", string_list(&Some(r.allowed.methods.clone()))),
                            ("headers", string_list(&r.allowed.headers)),
                        ]),
                    ),
                    ("expose_headers", string_list(&r.expose_headers)),
                    (
                        "max_age_seconds",
                        r.max_age_seconds.map_or(Value::Null, Value::int),
                    ),
                ])
            })
            .collect(),
    )
}

fn condition(days: &Value, date: &Value) -> Option<Condition> {
    if let Some(d) = days.as_i64() {
        return Some(Condition::Age { max_age: d * DAY });
    }
    date.as_str().map(|d| Condition::Date {
        date: d.to_string(),
    })
}

fn condition_values(c: &Condition) -> (Value, Value) {
    match c {
        Condition::Age { max_age } => (Value::int(max_age / DAY), Value::Null),
        Condition::Date { date } => (Value::Null, Value::string(date)),
    }
}

pub fn lifecycle_from_value(v: &Value) -> Vec<LifecycleRule> {
    v.elements()
        .unwrap_or_default()
        .iter()
        .map(|r| {
            let transitions: Vec<StorageTransition> = r
                .attr("storage_class_transitions")
                .elements()
                .unwrap_or_default()
                .iter()
                .filter_map(|t| {
                    Some(StorageTransition {
                        condition: condition(t.attr("after_days"), t.attr("on_date"))?,
                        storage_class: t
                            .attr("storage_class")
                            .as_str()
                            .unwrap_or("InfrequentAccess")
                            .to_string(),
                    })
                })
                .collect();
            LifecycleRule {
                id: r.attr("id").as_str().unwrap_or_default().to_string(),
                enabled: r.attr("enabled").as_bool().unwrap_or(true),
                conditions: LifecycleConditions {
                    prefix: r.attr("prefix").as_str().unwrap_or_default().to_string(),
                },
                delete_objects_transition: condition(
                    r.attr("delete_objects_after_days"),
                    r.attr("delete_objects_on_date"),
                )
                .map(|condition| Transition { condition }),
                abort_multipart_uploads_transition: r
                    .attr("abort_multipart_uploads_after_days")
                    .as_i64()
                    .map(|d| Transition {
                        condition: Condition::Age { max_age: d * DAY },
                    }),
                storage_class_transitions: (!transitions.is_empty()).then_some(transitions),
            }
        })
        .collect()
}

pub fn lifecycle_to_value(rules: &[LifecycleRule]) -> Value {
    if rules.is_empty() {
        return Value::Null;
    }
    Value::List(
        rules
            .iter()
            .map(|r| {
                let (del_days, del_date) = r
                    .delete_objects_transition
                    .as_ref()
                    .map_or((Value::Null, Value::Null), |t| {
                        condition_values(&t.condition)
                    });
                let abort = r
                    .abort_multipart_uploads_transition
                    .as_ref()
                    .map_or(Value::Null, |t| condition_values(&t.condition).0);
                let transitions = r
                    .storage_class_transitions
                    .as_ref()
                    .filter(|t| !t.is_empty())
                    .map_or(Value::Null, |ts| {
                        Value::List(
                            ts.iter()
                                .map(|t| {
                                    let (days, date) = condition_values(&t.condition);
                                    Value::object([
                                        ("after_days", days),
                                        ("on_date", date),
                                        ("storage_class", Value::string(&t.storage_class)),
                                    ])
                                })
                                .collect(),
                        )
                    });
                Value::object([
                    ("id", Value::string(&r.id)),
                    ("enabled", Value::Bool(r.enabled)),
                    ("prefix", Value::string(&r.conditions.prefix)),
                    ("delete_objects_after_days", del_days),
                    ("delete_objects_on_date", del_date),
                    ("abort_multipart_uploads_after_days", abort),
                    ("storage_class_transitions", transitions),
                ])
            })
            .collect(),
    )
}

pub fn domains_from_value(v: &Value) -> Vec<CustomDomain> {
    v.elements()
        .unwrap_or_default()
        .iter()
        .map(|d| CustomDomain {
            domain: d.attr("domain").as_str().unwrap_or_default().to_string(),
            zone_id: d.attr("zone_id").as_str().map(str::to_string),
            enabled: d.attr("enabled").as_bool().unwrap_or(true),
            min_tls: d.attr("min_tls").as_str().map(str::to_string),
        })
        .collect()
}

pub fn domains_to_value(domains: &[CustomDomain]) -> Value {
    if domains.is_empty() {
        return Value::Null;
    }
    Value::set(
        domains
            .iter()
            .map(|d| {
                Value::object([
                    ("domain", Value::string(&d.domain)),
                    ("zone_id", opt_str(&d.zone_id)),
                    ("enabled", Value::Bool(d.enabled)),
                    ("min_tls", opt_str(&d.min_tls)),
                ])
            })
            .collect(),
    )
}

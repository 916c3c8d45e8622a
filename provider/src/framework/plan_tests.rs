//! Rule tables for the plan pipeline: each row is a prior state, a configuration and the plan or
//! replacement the framework must produce. Test-only.

use async_trait::async_trait;

use super::plan::{plan_change, reconcile_with_plan};
use super::rules::PlanModifier;
use super::*;

struct Fixture(Schema);

#[async_trait]
impl Resource for Fixture {
    fn type_name(&self) -> &'static str {
        "test_thing"
    }
    fn schema(&self) -> Schema {
        self.0.clone()
    }
    async fn create(&self, _: &Ctx, plan: &Value, _: &Value) -> ApplyResult {
        ApplyResult::ok(plan.clone())
    }
    async fn read(&self, _: &Ctx, state: &Value) -> Result<Value, Diagnostics> {
        Ok(state.clone())
    }
    async fn update(&self, _: &Ctx, _: &Value, plan: &Value, _: &Value) -> ApplyResult {
        ApplyResult::ok(plan.clone())
    }
    async fn delete(&self, _: &Ctx, _: &Value) -> Diagnostics {
        Diagnostics::new()
    }
    fn import(&self, id: &str) -> Result<Value, Diagnostics> {
        Ok(Value::object([("id", Value::string(id))]))
    }
}

fn schema() -> Schema {
    Schema::new(
        "test",
        vec![
            Attribute::string("id").computed().keep_state(),
            Attribute::string("name").required(),
            Attribute::string("region").optional().replace(),
            Attribute::string("location")
                .optional_computed()
                .modifier(PlanModifier::case_insensitive()),
            Attribute::string("url").computed(),
            Attribute::bool("enabled").default(Value::Bool(true)),
            Attribute::string("secret_wo").optional().write_only(),
            Attribute::nested(
                "scale",
                Nesting::Single,
                vec![
                    Attribute::int("min").optional(),
                    Attribute::string("status").computed(),
                ],
            )
            .optional(),
        ],
    )
}

/// A config object: every schema attribute null except those given.
fn config(pairs: &[(&str, Value)]) -> Value {
    let mut v = Value::object(
        schema()
            .block
            .attributes
            .iter()
            .map(|a| (a.name.clone(), Value::Null))
            .collect::<Vec<_>>(),
    );
    for (k, x) in pairs {
        v.set_attr(k, x.clone());
    }
    v
}

/// Terraform's proposed new state: config, with computed attributes taken from prior where config is null.
fn proposed(prior: &Value, cfg: &Value) -> Value {
    let mut p = cfg.clone();
    for a in &schema().block.attributes {
        if a.mode.is_computed() && cfg.attr(&a.name).is_null() && !prior.is_null() {
            p.set_attr(&a.name, prior.attr(&a.name).clone());
        }
    }
    p
}

fn plan(prior: &Value, cfg: &Value) -> plan::PlanOutcome {
    let s = schema();
    plan_change(&Fixture(s.clone()), &s, prior, &proposed(prior, cfg), cfg)
}

fn applied_state() -> Value {
    config(&[
        ("id", Value::string("x1")),
        ("name", Value::string("a")),
        ("region", Value::string("oregon")),
        ("location", Value::string("ENAM")),
        ("url", Value::string("https://a")),
        ("enabled", Value::Bool(true)),
    ])
}

#[test]
fn create_marks_computed_unknown_and_applies_defaults() {
    let cfg = config(&[
        ("name", Value::string("a")),
        ("secret_wo", Value::string("s3cret")),
    ]);
    let out = plan(&Value::Null, &cfg);
    assert_eq!(out.planned.attr("id"), &Value::Unknown);
    assert_eq!(out.planned.attr("url"), &Value::Unknown);
    assert_eq!(out.planned.attr("location"), &Value::Unknown);
    assert_eq!(out.planned.attr("enabled"), &Value::Bool(true));
    assert_eq!(
        out.planned.attr("secret_wo"),
        &Value::Null,
        "write-only never enters the plan"
    );
    assert!(out.requires_replace.is_empty());
}

#[test]
fn no_change_keeps_every_computed_value() {
    let prior = applied_state();
    let cfg = config(&[
        ("name", Value::string("a")),
        ("region", Value::string("oregon")),
    ]);
    let out = plan(&prior, &cfg);
    assert_eq!(out.planned, prior);
}

#[test]
fn a_change_marks_computed_unknown_except_use_state() {
    let prior = applied_state();
    let cfg = config(&[
        ("name", Value::string("b")),
        ("region", Value::string("oregon")),
    ]);
    let out = plan(&prior, &cfg);
    assert_eq!(
        out.planned.attr("id"),
        &Value::string("x1"),
        "keep_state keeps the id"
    );
    assert_eq!(
        out.planned.attr("url"),
        &Value::Unknown,
        "other computed values may change"
    );
    assert!(out.requires_replace.is_empty());
}

#[test]
fn requires_replace_names_the_attribute() {
    let prior = applied_state();
    let cfg = config(&[
        ("name", Value::string("a")),
        ("region", Value::string("frankfurt")),
    ]);
    let out = plan(&prior, &cfg);
    assert_eq!(out.requires_replace, vec![Path::root("region")]);
}

#[test]
fn semantic_equality_absorbs_case_changes() {
    let prior = applied_state();
    let cfg = config(&[
        ("name", Value::string("a")),
        ("region", Value::string("oregon")),
        ("location", Value::string("enam")),
    ]);
    let out = plan(&prior, &cfg);
    assert_eq!(out.planned.attr("location"), &Value::string("ENAM"));
    // Nothing else changed: the whole plan equals the prior state.
    assert_eq!(out.planned, prior);
}

#[test]
fn destroy_plans_null() {
    let out = plan_change(
        &Fixture(schema()),
        &schema(),
        &applied_state(),
        &Value::Null,
        &Value::Null,
    );
    assert!(out.planned.is_null());
}

#[test]
fn nested_computed_attributes_follow_the_same_rule() {
    let cfg = config(&[
        ("name", Value::string("a")),
        (
            "scale",
            Value::object([("min", Value::int(1)), ("status", Value::Null)]),
        ),
    ]);
    let out = plan(&Value::Null, &cfg);
    assert_eq!(out.planned.attr("scale").attr("status"), &Value::Unknown);
    assert_eq!(out.planned.attr("scale").attr("min"), &Value::int(1));
}

#[test]
fn reconcile_prefers_known_planned_values() {
    let planned = config(&[
        ("name", Value::string("a")),
        ("location", Value::string("enam")),
        ("url", Value::Unknown),
        ("secret_wo", Value::Null),
    ]);
    let applied = config(&[
        ("name", Value::string("A")),
        ("location", Value::string("ENAM")),
        ("url", Value::string("https://a")),
        ("secret_wo", Value::string("leak")),
    ]);
    let out = reconcile_with_plan(&schema(), &planned, applied);
    assert_eq!(out.attr("name"), &Value::string("a"));
    assert_eq!(out.attr("location"), &Value::string("enam"));
    assert_eq!(out.attr("url"), &Value::string("https://a"));
    assert_eq!(out.attr("secret_wo"), &Value::Null);
}

#[test]
fn validators_report_paths_and_warnings() {
    let s = Schema::new(
        "v",
        vec![
            Attribute::string("plan")
                .optional()
                .validate(rules::known_values(&["starter"])),
            Attribute::string("kind")
                .optional()
                .validate(rules::one_of(&["a", "b"])),
            Attribute::nested(
                "items",
                Nesting::List,
                vec![Attribute::int("n")
                    .optional()
                    .validate(rules::int_between(1, 3))],
            )
            .optional(),
        ],
    );
    let cfg = Value::object([
        ("plan", Value::string("mega")),
        ("kind", Value::string("c")),
        (
            "items",
            Value::List(vec![
                Value::object([("n", Value::int(2))]),
                Value::object([("n", Value::int(9))]),
            ]),
        ),
    ]);
    let mut d = Diagnostics::new();
    validate::validate_block(&s.block, &cfg, &Path::empty(), &mut d);
    let got: Vec<(Severity, String)> = d
        .iter()
        .map(|x| {
            (
                x.severity,
                x.path.as_ref().map(|p| p.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (Severity::Error, "items[1].n".to_string()),
            (Severity::Error, "kind".to_string()),
            (Severity::Warning, "plan".to_string()),
        ]
    );
    // Unknown values are not validated.
    let mut d2 = Diagnostics::new();
    validate::validate_block(
        &s.block,
        &Value::object([("kind", Value::Unknown)]),
        &Path::empty(),
        &mut d2,
    );
    assert!(d2.is_empty());
}

#[test]
fn defaults_inside_nested_objects_apply_only_to_configured_objects() {
    let s = Schema::new(
        "n",
        vec![Attribute::nested(
            "allow",
            Nesting::List,
            vec![
                Attribute::string("cidr").required(),
                Attribute::string("note").default(Value::string("")),
            ],
        )
        .optional_computed()],
    );
    let prior = Value::object([(
        "allow",
        Value::List(vec![Value::object([
            ("cidr", Value::string("0.0.0.0/0")),
            ("note", Value::string("everywhere")),
        ])]),
    )]);
    let cfg = Value::object([("allow", Value::Null)]);
    // Terraform proposes the prior objects for an unset optional+computed attribute.
    let out = plan_change(&Fixture(s.clone()), &s, &prior, &prior, &cfg);
    assert_eq!(
        out.planned, prior,
        "the server's objects are not rewritten by defaults"
    );
    // A configured object does get the default.
    let cfg2 = Value::object([(
        "allow",
        Value::List(vec![Value::object([
            ("cidr", Value::string("10.0.0.0/8")),
            ("note", Value::Null),
        ])]),
    )]);
    let out2 = plan_change(&Fixture(s.clone()), &s, &prior, &cfg2, &cfg2);
    assert_eq!(
        out2.planned
            .attr("allow")
            .elements()
            .and_then(|e| e.first())
            .map(|e| e.attr("note").clone()),
        Some(Value::string(""))
    );
}

#[test]
fn unset_computed_nested_attribute_keeps_prior_even_when_proposed_null() {
    let s = Schema::new(
        "n",
        vec![
            Attribute::string("name").required(),
            Attribute::nested(
                "allow",
                Nesting::List,
                vec![Attribute::string("cidr").required()],
            )
            .optional_computed(),
        ],
    );
    let prior = Value::object([
        ("name", Value::string("a")),
        (
            "allow",
            Value::List(vec![Value::object([("cidr", Value::string("0.0.0.0/0"))])]),
        ),
    ]);
    let cfg = Value::object([("name", Value::string("a")), ("allow", Value::Null)]);
    // What Terraform really sends for a nested attribute: null, not the prior objects.
    let out = plan_change(&Fixture(s.clone()), &s, &prior, &cfg, &cfg);
    assert_eq!(out.planned, prior);
}

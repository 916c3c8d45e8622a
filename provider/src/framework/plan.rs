//! The plan pipeline, written once for every resource:
//! defaults → write-only nulled → computed-and-unset ⇒ unknown (only when something changes) →
//! attribute plan modifiers (use-state-for-unknown, semantic equality, requires-replace) →
//! the resource's own `modify_plan` → sorted, de-duplicated replace paths.
//! Also the post-apply reconciliation that keeps applied state consistent with the plan.
//! Must not import protocol or clouds.

use super::diagnostics::Diagnostics;
use super::path::Path;
use super::resource::{PlanContext, Resource};
use super::rules::PlanModifier;
use super::schema::{Attribute, Nesting, Schema};
use super::value::Value;

pub struct PlanOutcome {
    pub planned: Value,
    pub requires_replace: Vec<Path>,
    pub diags: Diagnostics,
}

/// Plan one resource change. `proposed` is Terraform's proposed new state (config merged with
/// prior state for computed attributes).
pub fn plan_change(
    resource: &dyn Resource,
    schema: &Schema,
    prior: &Value,
    proposed: &Value,
    config: &Value,
) -> PlanOutcome {
    let mut diags = Diagnostics::new();
    if proposed.is_null() {
        return PlanOutcome {
            planned: Value::Null,
            requires_replace: Vec::new(),
            diags,
        };
    }
    let mut planned = proposed.clone();
    let creating = prior.is_null();
    apply_defaults_and_write_only(&schema.block.attributes, config, &mut planned);
    if !creating {
        // Terraform proposes null (not the prior value) for an unset optional+computed *nested*
        // attribute; treat every unset computed attribute alike and start from the prior value.
        for a in &schema.block.attributes {
            if a.mode.is_computed()
                && a.default.is_none()
                && !a.write_only
                && config.attr(&a.name).is_null()
            {
                planned.set_attr(&a.name, prior.attr(&a.name).clone());
            }
        }
        // Before deciding whether anything changed: a value that means the same as the prior one
        // (e.g. differs only in case) is no change at all.
        apply_semantic_equality(&schema.block.attributes, prior, &mut planned);
    }

    let changed = creating || api_view(schema, &planned) != api_view(schema, prior);
    if changed {
        mark_unknown(&schema.block.attributes, config, &mut planned);
    }
    let mut replace = Vec::new();
    if !creating {
        apply_modifiers(
            &schema.block.attributes,
            prior,
            config,
            &mut planned,
            &Path::empty(),
            &mut replace,
        );
    }
    let mut ctx = PlanContext {
        prior,
        config,
        planned: &mut planned,
        requires_replace: &mut replace,
        diags: &mut diags,
    };
    resource.modify_plan(&mut ctx);
    replace.sort();
    replace.dedup();
    PlanOutcome {
        planned,
        requires_replace: replace,
        diags,
    }
}

/// The value without what lives in state only (state-only attributes and the `timeouts`
/// block): what the API would see change.
fn api_view(schema: &Schema, v: &Value) -> Value {
    let mut out = v.clone();
    for a in schema.block.attributes.iter().filter(|a| a.state_only) {
        out.set_attr(&a.name, Value::Null);
    }
    out.set_attr("timeouts", Value::Null);
    out
}

fn child(base: &Path, name: &str) -> Path {
    if base.is_empty() {
        Path::root(name)
    } else {
        base.clone().attr(name)
    }
}

/// Defaults where the configuration is null; write-only attributes never enter the plan.
fn apply_defaults_and_write_only(attrs: &[Attribute], config: &Value, planned: &mut Value) {
    for a in attrs {
        let cfg = config.attr(&a.name);
        if a.write_only {
            planned.set_attr(&a.name, Value::Null);
            continue;
        }
        if cfg.is_null() {
            if let Some(d) = &a.default {
                planned.set_attr(&a.name, d.clone());
            }
        }
        // Only configured objects get defaults: an unset optional+computed attribute carries the
        // prior state's objects, which must stay as they are.
        if let (Some((nesting, inner)), false) = (&a.nested, cfg.is_null()) {
            let mut v = planned.attr(&a.name).clone();
            for_each_nested(*nesting, &mut v, cfg, |elem, elem_cfg| {
                apply_defaults_and_write_only(inner, elem_cfg, elem)
            });
            planned.set_attr(&a.name, v);
        }
    }
}

/// Computed attributes the configuration leaves null become unknown: the apply may change them.
/// Nested: only for attributes inside single objects and inside collection elements that are new.
fn mark_unknown(attrs: &[Attribute], config: &Value, planned: &mut Value) {
    for a in attrs {
        let cfg = config.attr(&a.name);
        if a.mode.is_computed() && cfg.is_null() && a.default.is_none() && !a.write_only {
            planned.set_attr(&a.name, Value::Unknown);
            continue;
        }
        if let (Some((nesting, inner)), false) = (&a.nested, cfg.is_null()) {
            let mut v = planned.attr(&a.name).clone();
            for_each_nested(*nesting, &mut v, cfg, |elem, elem_cfg| {
                mark_unknown(inner, elem_cfg, elem)
            });
            planned.set_attr(&a.name, v);
        }
    }
}

/// Visit each object of a nested attribute with its configuration counterpart.
fn for_each_nested(
    nesting: Nesting,
    v: &mut Value,
    cfg: &Value,
    mut f: impl FnMut(&mut Value, &Value),
) {
    match (nesting, v) {
        (_, Value::Null) | (_, Value::Unknown) => {}
        (Nesting::Single, obj @ Value::Object(_)) => f(obj, cfg),
        (Nesting::List, Value::List(elems)) => {
            for (i, e) in elems.iter_mut().enumerate() {
                let c = cfg
                    .elements()
                    .and_then(|c| c.get(i))
                    .cloned()
                    .unwrap_or(Value::Null);
                f(e, &c);
            }
        }
        (Nesting::Set, Value::Set(elems)) => {
            // Set elements carry their configured values; the element itself is its config.
            for e in elems.iter_mut() {
                let c = e.clone();
                f(e, &c);
            }
        }
        (Nesting::Map, Value::Map(m)) => {
            for (k, e) in m.iter_mut() {
                let c = cfg.attr(k).clone();
                f(e, &c);
            }
        }
        _ => {}
    }
}

fn apply_modifiers(
    attrs: &[Attribute],
    prior: &Value,
    config: &Value,
    planned: &mut Value,
    base: &Path,
    replace: &mut Vec<Path>,
) {
    for a in attrs {
        let path = child(base, &a.name);
        let prior_v = prior.attr(&a.name);
        let cfg = config.attr(&a.name);
        for m in &a.modifiers {
            let planned_v = planned.attr(&a.name).clone();
            match m {
                PlanModifier::UseStateForUnknown => {
                    if planned_v.is_unknown() && !prior_v.is_null() {
                        planned.set_attr(&a.name, prior_v.clone());
                    }
                }
                PlanModifier::SemanticEquality { .. } => {}
                PlanModifier::KeepUnlessChanged { inputs } => {
                    let same = inputs.iter().all(|i| planned.attr(i) == prior.attr(i));
                    if planned_v.is_unknown() && !prior.is_null() && same {
                        planned.set_attr(&a.name, prior_v.clone());
                    }
                }
                PlanModifier::Custom { f, .. } => {
                    let view = super::rules::AttributePlan {
                        prior: prior_v,
                        config: cfg,
                        planned: &planned_v,
                        prior_object: prior,
                        planned_object: planned,
                    };
                    if let Some(v) = f(&view) {
                        planned.set_attr(&a.name, v);
                    }
                }
                PlanModifier::RequiresReplace => {
                    let just_unset_computed = a.mode.is_computed() && cfg.is_null();
                    // Only what the user can set counts: a computed sub-attribute going unknown
                    // (e.g. a branch the API reports) is no reason to replace.
                    let differs = configurable_view(a, &planned_v) != configurable_view(a, prior_v);
                    if differs && !just_unset_computed {
                        replace.push(path.clone());
                    }
                }
                PlanModifier::RequiresReplaceIf { f, .. } => {
                    if &planned_v != prior_v && f(prior_v, &planned_v) {
                        replace.push(path.clone());
                    }
                }
            }
        }
        if let Some((Nesting::Single, inner)) = &a.nested {
            let mut v = planned.attr(&a.name).clone();
            if matches!(v, Value::Object(_)) {
                apply_modifiers(inner, prior_v, cfg, &mut v, &path, replace);
                planned.set_attr(&a.name, v);
            }
        }
    }
}

/// The value with computed-only nested attributes nulled, recursively.
fn configurable_view(a: &Attribute, v: &Value) -> Value {
    let Some((nesting, inner)) = &a.nested else {
        return v.clone();
    };
    let mut out = v.clone();
    let strip = |obj: &mut Value| {
        for sub in inner.iter() {
            if sub.mode == super::schema::Mode::Computed {
                obj.set_attr(&sub.name, Value::Null);
            } else if sub.nested.is_some() {
                let nv = configurable_view(sub, obj.attr(&sub.name));
                obj.set_attr(&sub.name, nv);
            }
        }
    };
    let cfg = out.clone();
    for_each_nested(*nesting, &mut out, &cfg, |e, _| strip(e));
    if let Value::Set(elems) = out {
        return Value::set(elems);
    }
    out
}

fn apply_semantic_equality(attrs: &[Attribute], prior: &Value, planned: &mut Value) {
    for a in attrs {
        let prior_v = prior.attr(&a.name);
        for m in &a.modifiers {
            if let PlanModifier::SemanticEquality { f, .. } = m {
                let planned_v = planned.attr(&a.name);
                if !prior_v.is_null()
                    && planned_v.is_known()
                    && !planned_v.is_null()
                    && f(prior_v, planned_v)
                {
                    planned.set_attr(&a.name, prior_v.clone());
                }
            }
        }
        if let Some((Nesting::Single, inner)) = &a.nested {
            let mut v = planned.attr(&a.name).clone();
            if matches!(v, Value::Object(_)) {
                apply_semantic_equality(inner, prior_v, &mut v);
                planned.set_attr(&a.name, v);
            }
        }
    }
}

/// After create/update: every value the plan already knew wins over what the resource returned
/// (Terraform rejects an apply whose result contradicts a known planned value); unknown planned
/// values take the resource's value; write-only attributes are null; no unknown survives.
pub fn reconcile_with_plan(schema: &Schema, planned: &Value, applied: Value) -> Value {
    if applied.is_null() {
        return Value::Null;
    }
    let mut out = reconcile(planned, applied);
    null_write_only(&schema.block.attributes, &mut out);
    strip_unknown(out)
}

fn reconcile(planned: &Value, applied: Value) -> Value {
    match planned {
        Value::Unknown => applied,
        p if !p.contains_unknown() => p.clone(),
        Value::Object(pm) => {
            let mut am = match applied {
                Value::Object(m) => m,
                _ => return planned.clone(),
            };
            for (k, pv) in pm {
                let av = am.remove(k).unwrap_or(Value::Null);
                am.insert(k.clone(), reconcile(pv, av));
            }
            Value::Object(am)
        }
        _ => applied,
    }
}

/// Null every write-only attribute (they are never stored).
pub fn null_write_only(attrs: &[Attribute], v: &mut Value) {
    for a in attrs {
        if a.write_only {
            v.set_attr(&a.name, Value::Null);
        } else if let Some((nesting, inner)) = &a.nested {
            let mut nv = v.attr(&a.name).clone();
            let cfg = nv.clone();
            for_each_nested(*nesting, &mut nv, &cfg, |e, _| null_write_only(inner, e));
            v.set_attr(&a.name, nv);
        }
    }
}

/// Replace any unknown left in an applied state with null (Terraform refuses unknowns there).
pub fn strip_unknown(v: Value) -> Value {
    match v {
        Value::Unknown => Value::Null,
        Value::List(e) => Value::List(e.into_iter().map(strip_unknown).collect()),
        Value::Set(e) => Value::set(e.into_iter().map(strip_unknown).collect()),
        Value::Tuple(e) => Value::Tuple(e.into_iter().map(strip_unknown).collect()),
        Value::Map(m) => Value::Map(m.into_iter().map(|(k, v)| (k, strip_unknown(v))).collect()),
        Value::Object(m) => {
            Value::Object(m.into_iter().map(|(k, v)| (k, strip_unknown(v))).collect())
        }
        other => other,
    }
}

//! Blueprint `envVarGroups:` → one `render_env_group` per group (placed in its environment when
//! it is listed in one), and one `render_env_group_link` per group that services use
//! (`fromGroup`), so every linked service sees the group's one generated value, as on Render.
//! A group's variables take only `value` and `generateValue` (Render's rule): `sync: false` is
//! ignored by Render and dropped here with a warning; a reference to another resource is refused
//! by Render and is an error at its path.
//! Imports `model`, `hcl`, `mapping` and the render schema's env var name rule; no I/O.

use std::collections::BTreeSet;

use super::hcl::{snake, Block, Expr};
use super::mapping::{
    attr, err, unique_name, Ctx, Group, Scope, ENV_GROUP_LINK_RESOURCE, ENV_GROUP_RESOURCE,
};
use super::model::EnvVarGroup;
use super::BlueprintError;
use crate::clouds::render::service::schema::env_var_name_error;

/// Record every group under (scope, name), with its resource address. A second group of one
/// name in one scope is ignored with a warning (references could not tell them apart).
pub fn register<'a>(
    groups: &[(String, &'a EnvVarGroup, Scope)],
    ctx: &mut Ctx<'a>,
) -> Result<(), BlueprintError> {
    let mut taken = BTreeSet::new();
    let mut scopes_of: std::collections::BTreeMap<&str, BTreeSet<&str>> = Default::default();
    for (_, g, scope) in groups {
        if let Some(n) = &g.name {
            scopes_of.entry(n).or_default().insert(&scope.key);
        }
    }
    for (path, g, scope) in groups {
        let Some(name) = g.name.clone() else {
            return Err(err(
                &format!("{path}.name"),
                "an envVarGroup needs a `name`",
            ));
        };
        let key = (scope.key.clone(), name.clone());
        if ctx.groups.contains_key(&key) {
            ctx.warn(
                path,
                format!("another envVarGroup is also named {name:?}; this one is ignored"),
            );
            continue;
        }
        let shared = scopes_of.get(name.as_str()).is_some_and(|s| s.len() > 1);
        let base = match (&scope.env_name, shared) {
            (Some(env), true) => snake(&format!("{name}_{env}")),
            _ => snake(&name),
        };
        let tf = unique_name(&base, &taken);
        taken.insert(tf.clone());
        ctx.groups.insert(
            key,
            Group {
                path: path.clone(),
                name,
                group: g,
                address: format!("{ENV_GROUP_RESOURCE}.{tf}"),
                scope: scope.clone(),
            },
        );
    }
    Ok(())
}

/// The groups in Blueprint order (the ignored duplicates left out).
fn in_order<'a>(ctx: &Ctx<'a>, order: &[String]) -> Vec<Group<'a>> {
    order
        .iter()
        .filter_map(|p| ctx.groups.values().find(|g| &g.path == p).cloned())
        .collect()
}

/// The `render_env_group` blocks, in Blueprint order (`order`: the groups' YAML paths).
pub fn group_blocks(ctx: &mut Ctx<'_>, order: &[String]) -> Result<Vec<Block>, BlueprintError> {
    let mut out = Vec::new();
    for g in in_order(ctx, order) {
        let tf = g.address.split('.').nth(1).unwrap_or_default();
        let mut b = Block::new("resource", &[ENV_GROUP_RESOURCE, tf]);
        b.attr(attr::NAME, Expr::str(&g.name));
        if let Some(env) = &g.scope.environment_id {
            b.attr(attr::ENVIRONMENT_ID, env.clone());
        }
        let vars = group_env_vars(ctx, &g)?;
        if !vars.is_empty() {
            b.attr(attr::ENV_VARS, Expr::Object(vars));
        }
        out.push(b);
    }
    Ok(out)
}

/// A group's variables: key → `{ value = … }` / `{ generate_value = true }`.
fn group_env_vars(ctx: &mut Ctx<'_>, g: &Group<'_>) -> Result<Vec<(String, Expr)>, BlueprintError> {
    let mut out: Vec<(String, Expr)> = Vec::new();
    let mut first_at: Vec<String> = Vec::new();
    for (j, ev) in g.group.env_vars.iter().flatten().enumerate() {
        let path = format!("{}.envVars[{j}]", g.path);
        for (key, set) in [
            ("fromService", ev.from_service.is_some()),
            ("fromDatabase", ev.from_database.is_some()),
        ] {
            if set {
                return Err(err(
                    &format!("{path}.{key}"),
                    "an env group's variables cannot reference other resources (Render refuses the Blueprint); set this variable on the services instead",
                ));
            }
        }
        let Some(key) = ev.key.clone() else {
            ctx.warn(&path, "an env var needs `key`; skipped");
            continue;
        };
        if let Some(msg) = env_var_name_error(&key) {
            ctx.warn(&format!("{path}.key"), format!("{msg} Skipped."));
            continue;
        }
        if ev.from_group.is_some() {
            ctx.warn(
                &format!("{path}.fromGroup"),
                "groups cannot include other groups; ignored",
            );
        }
        if ev.preview_value.is_some() {
            ctx.warn(
                &format!("{path}.previewValue"),
                "preview environments are not expressed; ignored",
            );
        }
        let entry = match (&ev.value, ev.generate_value == Some(true)) {
            (Some(v), generate) => {
                if generate {
                    ctx.warn(
                        &path,
                        format!("{key} has both `value` and `generateValue`; using value"),
                    );
                }
                Expr::object([(attr::VALUE, Expr::str(v.text()))])
            }
            (None, true) => Expr::object([(attr::GENERATE_VALUE, Expr::Bool(true))]),
            (None, false) => {
                ctx.warn(&path, format!("{key}: Render ignores an env group variable without `value` or `generateValue` (`sync: false` does not apply to groups); dropped — set it with the group's `env_vars_wo`, or on the services"));
                continue;
            }
        };
        match out.iter().position(|(k, _)| *k == key) {
            Some(i) => {
                ctx.warn(
                    &path,
                    format!(
                        "{key} is set again (first at {}); this entry wins",
                        first_at[i]
                    ),
                );
                out[i].1 = entry;
            }
            None => {
                out.push((key, entry));
                first_at.push(path);
            }
        }
    }
    Ok(out)
}

/// The `render_env_group_link` blocks: one per group that services use, authoritative for its
/// links (the resource's contract), named after the group.
pub fn link_blocks(ctx: &Ctx<'_>, order: &[String]) -> Vec<Block> {
    let mut out = Vec::new();
    for g in in_order(ctx, order) {
        let Some(services) = ctx.links.get(&g.address) else {
            continue;
        };
        let tf = g.address.split('.').nth(1).unwrap_or_default();
        let mut b = Block::new("resource", &[ENV_GROUP_LINK_RESOURCE, tf]);
        b.attr(
            attr::ENV_GROUP_ID,
            Expr::raw(format!("{}.{}", g.address, attr::ID)),
        )
        .attr(
            attr::SERVICE_IDS,
            Expr::List(
                services
                    .iter()
                    .map(|s| Expr::raw(format!("{s}.{}", attr::ID)))
                    .collect(),
            ),
        );
        out.push(b);
    }
    out
}

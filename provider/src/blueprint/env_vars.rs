//! Blueprint `envVars` of a service → render_service `env_vars`: literals, `generateValue`,
//! `sync: false` (a sensitive input variable), `fromDatabase` / `fromService` (HCL references to
//! the other resources' attributes, resolved in the service's environment first), and
//! `fromGroup` (recorded as a link to the group's `render_env_group`; see `groups`). What cannot
//! be wired becomes an input variable and a warning naming the YAML path.
//! Imports `model`, `hcl`, `mapping` and the render schema's env var name rule; no I/O.

use std::collections::BTreeMap;

use super::hcl::{snake, Expr, Part};
use super::mapping::{attr, lookup, Ctx, Group, Kind, Scope, Target};
use super::model::{EnvVar, FromDatabase, FromService, Service};
use super::VariableKind;
use crate::clouds::render::service::schema::env_var_name_error;

/// The port Render gives a service that does not choose one (its default `PORT`).
const RENDER_DEFAULT_PORT: &str = "10000";

/// `fromDatabase.property` (Postgres) → render_database attribute; `hostport` is built.
const POSTGRES_PROPERTIES: &[(&str, &str)] = &[
    ("connectionString", attr::INTERNAL_CONNECTION_STRING),
    ("host", attr::HOST),
    ("port", attr::PORT),
    ("user", attr::USER),
    ("password", attr::PASSWORD),
    ("database", attr::DATABASE_NAME),
];
/// `fromService.property` of a Key Value instance → render_database attribute.
const KEY_VALUE_PROPERTIES: &[(&str, &str)] = &[
    ("connectionString", attr::INTERNAL_CONNECTION_STRING),
    ("host", attr::HOST),
    ("port", attr::PORT),
];

/// What one env var becomes.
enum EnvValue {
    Value(Expr),
    Generate,
}

struct Resolved {
    key: String,
    value: EnvValue,
    path: String,
}

/// The keys a service declares, each with the address of the group it comes from (`None`: its
/// own), the service's own first (they win over a group's, Render's rule), and its literal
/// `PORT`, if any.
pub fn declared_keys(
    s: &Service,
    scope: &Scope,
    groups: &BTreeMap<(String, String), Group<'_>>,
) -> (Vec<(String, Option<String>)>, Option<String>) {
    let mut own = Vec::new();
    let mut grouped = Vec::new();
    let mut port = None;
    for ev in s.env_vars.iter().flatten() {
        match ev
            .from_group
            .as_ref()
            .and_then(|g| lookup(groups, scope, g))
        {
            Some(g) => {
                for gv in g.group.env_vars.iter().flatten() {
                    if let Some(k) = &gv.key {
                        if k == "PORT" && port.is_none() {
                            port = gv.value.as_ref().map(|v| v.text());
                        }
                        grouped.push((k.clone(), Some(g.address.clone())));
                    }
                }
            }
            None => {
                if let Some(k) = &ev.key {
                    if k == "PORT" {
                        port = ev.value.as_ref().map(|v| v.text());
                    }
                    own.push((k.clone(), None));
                }
            }
        }
    }
    own.extend(grouped);
    (own, port)
}

/// The `env_vars` object of a service: key → `{ value = … }` / `{ generate_value = true }`,
/// in Blueprint order; a service's own entry wins over a group's.
pub fn service_env_vars(ctx: &mut Ctx<'_>, me: &Target, s: &Service) -> Vec<(String, Expr)> {
    let mut out: Vec<Resolved> = Vec::new();
    for (i, ev) in s.env_vars.iter().flatten().enumerate() {
        let path = format!("{}.envVars[{i}]", me.path);
        if let Some(group) = &ev.from_group {
            link_group(ctx, me, &path, ev, group);
            continue;
        }
        if let Some(r) = resolve(ctx, me, ev, &path) {
            merge(ctx, &mut out, r);
        }
    }
    out.into_iter()
        .map(|r| {
            let entry = match r.value {
                EnvValue::Value(e) => Expr::object([(attr::VALUE, e)]),
                EnvValue::Generate => Expr::object([(attr::GENERATE_VALUE, Expr::Bool(true))]),
            };
            (r.key, entry)
        })
        .collect()
}

/// `fromGroup`: the service is linked to the group's `render_env_group` (one link resource per
/// group, see `groups::link_blocks`), which shares the group's values, generated ones included.
fn link_group(ctx: &mut Ctx<'_>, me: &Target, path: &str, ev: &EnvVar, group: &str) {
    if ev.key.is_some()
        || ev.value.is_some()
        || ev.from_service.is_some()
        || ev.from_database.is_some()
    {
        ctx.warn(path, "`fromGroup` takes no other fields; they are ignored");
    }
    let Some(g) = lookup(&ctx.groups, &me.scope, group).cloned() else {
        ctx.warn(&format!("{path}.fromGroup"), format!("no envVarGroup named {group:?} in this Blueprint (groups made in the dashboard are not visible here); skipped"));
        return;
    };
    let linked = ctx.links.entry(g.address).or_default();
    if !linked.contains(&me.address) {
        linked.push(me.address.clone());
    }
}

/// Add `r`; a repeated key replaces the earlier one.
fn merge(ctx: &mut Ctx<'_>, out: &mut Vec<Resolved>, r: Resolved) {
    match out.iter().position(|o| o.key == r.key) {
        None => out.push(r),
        Some(i) => {
            ctx.warn(
                &r.path,
                format!(
                    "{} is set again (first at {}); this entry wins",
                    r.key, out[i].path
                ),
            );
            out[i] = r;
        }
    }
}

fn resolve(ctx: &mut Ctx<'_>, me: &Target, ev: &EnvVar, path: &str) -> Option<Resolved> {
    let Some(key) = ev.key.clone() else {
        ctx.warn(path, "an env var needs `key` (or `fromGroup`); skipped");
        return None;
    };
    if let Some(msg) = env_var_name_error(&key) {
        ctx.warn(&format!("{path}.key"), format!("{msg} Skipped."));
        return None;
    }
    if ev.preview_value.is_some() {
        ctx.warn(
            &format!("{path}.previewValue"),
            "preview environments are not expressed; ignored",
        );
    }
    let sources: Vec<&str> = [
        ("fromDatabase", ev.from_database.is_some()),
        ("fromService", ev.from_service.is_some()),
        ("value", ev.value.is_some()),
        ("generateValue", ev.generate_value == Some(true)),
        ("sync", ev.sync == Some(false)),
    ]
    .iter()
    .filter(|(_, set)| *set)
    .map(|(n, _)| *n)
    .collect();
    if sources.len() > 1 {
        ctx.warn(
            path,
            format!(
                "{key} has several sources ({}); using {}",
                sources.join(", "),
                sources[0]
            ),
        );
    }
    let value = match sources.first().copied() {
        Some("fromDatabase") => EnvValue::Value(from_database(
            ctx,
            me,
            &key,
            ev.from_database.as_ref()?,
            path,
        )),
        Some("fromService") => {
            EnvValue::Value(from_service(ctx, me, &key, ev.from_service.as_ref()?, path))
        }
        Some("value") => EnvValue::Value(Expr::str(ev.value.as_ref()?.text())),
        Some("generateValue") => EnvValue::Generate,
        // `sync: false`, or a bare key: Render asks for the value; here it is an input.
        _ => EnvValue::Value(ctx.variable(&snake(&key), VariableKind::Secret, &key, &me.name)),
    };
    Some(Resolved {
        key,
        value,
        path: path.to_string(),
    })
}

/// An input variable standing in for a value that cannot be wired, with a warning.
fn unresolved(ctx: &mut Ctx<'_>, me: &Target, key: &str, path: &str, why: String) -> Expr {
    let var = ctx.variable(&snake(key), VariableKind::Unresolved, key, &me.name);
    let Expr::Raw(name) = &var else { return var };
    ctx.warn(
        path,
        format!("{why}; {key} comes from the input {name} instead"),
    );
    var
}

/// A reference from `me` to `target`, unless it would make a cycle.
fn reference(
    ctx: &mut Ctx<'_>,
    me: &Target,
    target: &Target,
    key: &str,
    path: &str,
    expr: Expr,
) -> Expr {
    reference_to(ctx, me, (&target.address, &target.name), key, path, expr)
}

/// A reference from `me` to the resource at `address` (named `name` in the Blueprint).
fn reference_to(
    ctx: &mut Ctx<'_>,
    me: &Target,
    (address, name): (&str, &str),
    key: &str,
    path: &str,
    expr: Expr,
) -> Expr {
    if ctx.link(&me.address, address) {
        return expr;
    }
    let why = if me.address == address {
        format!(
            "{} references itself, which Terraform cannot express",
            me.name
        )
    } else {
        format!(
            "referencing {name} from {} would make a cycle, which Terraform rejects",
            me.name
        )
    };
    unresolved(ctx, me, key, path, why)
}

fn attribute(target: &Target, a: &str) -> Expr {
    Expr::raw(format!("{}.{a}", target.address))
}

fn host_port(target: &Target, port: Part) -> Expr {
    Expr::Template(vec![
        Part::Interp(format!("{}.{}", target.address, attr::HOST)),
        Part::Lit(":".into()),
        port,
    ])
}

fn from_database(ctx: &mut Ctx<'_>, me: &Target, key: &str, fd: &FromDatabase, path: &str) -> Expr {
    let path = format!("{path}.fromDatabase");
    let Some(name) = fd.name.as_deref() else {
        return unresolved(ctx, me, key, &path, "fromDatabase has no `name`".into());
    };
    let Some(target) = lookup(&ctx.databases, &me.scope, name).cloned() else {
        return unresolved(
            ctx,
            me,
            key,
            &path,
            format!("no database named {name:?} in this Blueprint"),
        );
    };
    let property = fd.property.as_deref().unwrap_or_default();
    let table = if target.kind == Kind::KeyValue {
        KEY_VALUE_PROPERTIES
    } else {
        POSTGRES_PROPERTIES
    };
    let expr = match (property, table.iter().find(|(p, _)| *p == property)) {
        ("hostport", _) => host_port(
            &target,
            Part::Interp(format!("{}.{}", target.address, attr::PORT)),
        ),
        (_, Some((_, a))) => attribute(&target, a),
        _ => {
            let known: Vec<&str> = table.iter().map(|(p, _)| *p).chain(["hostport"]).collect();
            return unresolved(
                ctx,
                me,
                key,
                &format!("{path}.property"),
                format!(
                    "unknown property {property:?} (one of {})",
                    known.join(", ")
                ),
            );
        }
    };
    reference(ctx, me, &target, key, &path, expr)
}

/// Blueprint `fromService.type` names, as the Blueprint's own `type` field writes them.
fn same_type(wanted: &str, actual: &str) -> bool {
    let norm = |t: &str| {
        if t == "redis" {
            "keyvalue".to_string()
        } else {
            t.to_string()
        }
    };
    norm(wanted) == norm(actual)
}

fn from_service(ctx: &mut Ctx<'_>, me: &Target, key: &str, fs: &FromService, path: &str) -> Expr {
    let path = format!("{path}.fromService");
    let Some(name) = fs.name.as_deref() else {
        return unresolved(ctx, me, key, &path, "fromService has no `name`".into());
    };
    let Some(target) = lookup(&ctx.services, &me.scope, name).cloned() else {
        return unresolved(
            ctx,
            me,
            key,
            &path,
            format!("no service named {name:?} in this Blueprint"),
        );
    };
    if let Some(wanted) = fs.kind.as_deref() {
        if !same_type(wanted, &target.yaml_type) {
            ctx.warn(&format!("{path}.type"), format!("{name:?} is a `{}` service, not `{wanted}` (Render matches on both); referenced by name", target.yaml_type));
        }
    }
    if let Some(k) = fs.env_var_key.as_deref() {
        return env_var_of(ctx, me, key, &target, k, &path);
    }
    let property = fs.property.as_deref().unwrap_or_default();
    let expr = match (&target.kind, property) {
        (Kind::KeyValue, "hostport") => host_port(
            &target,
            Part::Interp(format!("{}.{}", target.address, attr::PORT)),
        ),
        (Kind::KeyValue, p) => match KEY_VALUE_PROPERTIES.iter().find(|(q, _)| *q == p) {
            Some((_, a)) => attribute(&target, a),
            None => {
                return unresolved(
                    ctx,
                    me,
                    key,
                    &format!("{path}.property"),
                    format!(
                    "unknown Key Value property {p:?} (connectionString, host, port or hostport)"
                ),
                )
            }
        },
        (_, "host") => attribute(&target, attr::HOST),
        (_, "port") => Expr::str(service_port(ctx, &target, &path)),
        (_, "hostport") => {
            let port = service_port(ctx, &target, &path);
            host_port(&target, Part::Lit(port))
        }
        (Kind::Service(ty), "url") => {
            if matches!(*ty, "web_service" | "static_site") {
                attribute(&target, attr::URL)
            } else {
                let port = service_port(ctx, &target, &path);
                ctx.warn(&format!("{path}.property"), format!("`url` is not a Blueprint property and a {ty} has no public URL; using http://<internal host>:{port}"));
                Expr::Template(vec![
                    Part::Lit("http://".into()),
                    Part::Interp(format!("{}.{}", target.address, attr::HOST)),
                    Part::Lit(format!(":{port}")),
                ])
            }
        }
        (_, p) => {
            return unresolved(
                ctx,
                me,
                key,
                &format!("{path}.property"),
                format!("unknown service property {p:?} (host, port, hostport, or envVarKey)"),
            )
        }
    };
    reference(ctx, me, &target, key, &path, expr)
}

/// The port a service listens on: its literal `PORT`, else Render's default (with a warning).
fn service_port(ctx: &mut Ctx<'_>, target: &Target, path: &str) -> String {
    match &target.port {
        Some(p) => p.clone(),
        None => {
            ctx.warn(
                path,
                format!(
                    "{} sets no literal PORT; assuming Render's default port {RENDER_DEFAULT_PORT}",
                    target.name
                ),
            );
            RENDER_DEFAULT_PORT.to_string()
        }
    }
}

/// `fromService.envVarKey`: the other service's env var, read from its state.
fn env_var_of(
    ctx: &mut Ctx<'_>,
    me: &Target,
    key: &str,
    target: &Target,
    wanted: &str,
    path: &str,
) -> Expr {
    let found = target.env_keys.iter().find(|(k, _)| k == wanted);
    let Some((_, group)) = found.filter(|_| target.kind != Kind::KeyValue) else {
        return unresolved(
            ctx,
            me,
            key,
            &format!("{path}.envVarKey"),
            format!("{} sets no env var {wanted:?}", target.name),
        );
    };
    // A key the service gets from a group is read from the group (the service's own
    // `env_vars` do not hold it).
    let owner = group.as_deref().unwrap_or(&target.address);
    let expr = Expr::raw(format!(
        "{owner}.{}[{}].{}",
        attr::ENV_VARS,
        super::hcl::quote(wanted),
        attr::VALUE
    ));
    match group {
        Some(g) => reference_to(ctx, me, (g, &target.name), key, path, expr),
        None => reference(ctx, me, target, key, path, expr),
    }
}

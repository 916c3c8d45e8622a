//! `adopt references`: rewrites the literal ids in configuration that `terraform query
//! -generate-config-out` wrote into references to the other adopted objects (a service's
//! `environment_id = "evm-…"` becomes `render_project.all_0.environments["production"].id`, an
//! env var holding a database's connection string becomes
//! `render_database.all_0.internal_connection_string`). Terraform generates each resource alone
//! (GenerateResourceConfig sees one object), so the provider cannot write references itself; this
//! runs after, on the file and on the JSON of a plan of the imports (`terraform show -json`),
//! which holds every imported object's full values — secrets included, so the rewrite can
//! replace a `null # sensitive` line whose value is another object's connection string. A
//! reference evaluates to the literal it replaces, so the plan stays imports only. Pure text
//! and JSON: no I/O here (the command in cli.rs reads and writes the files); must not import
//! protocol or clouds.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

/// What one rewrite changed, for the command's report.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The resource whose configuration changed (`render_service.all_0`).
    pub address: String,
    /// The attribute path in it (`env_vars.DATABASE_URL.value`).
    pub path: String,
    pub reference: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rewritten {
    pub text: String,
    pub changes: Vec<Change>,
}

/// Values other objects refer to, per type: (path of the value in the object, how the
/// reference names it). `*` stands for every key of a map; `{}` in the reference for that key.
/// Only values that identify an object or carry its secret: a name or a setting that happens to
/// be equal is no reference.
const TARGETS: &[(&str, &[(&str, &str)])] = &[
    (
        "render_project",
        &[("id", ".id"), ("environments.*.id", ".environments[{}].id")],
    ),
    (
        "render_database",
        &[
            ("id", ".id"),
            ("internal_connection_string", ".internal_connection_string"),
            ("external_connection_string", ".external_connection_string"),
        ],
    ),
    ("render_service", &[("id", ".id")]),
    ("render_env_group", &[("id", ".id")]),
    ("render_registry_credential", &[("id", ".id")]),
    ("vercel_project", &[("id", ".id")]),
    ("vercel_custom_environment", &[("id", ".id")]),
    ("railway_project", &[("id", ".id")]),
    ("railway_environment", &[("id", ".id")]),
    ("railway_service", &[("id", ".id")]),
    ("railway_volume", &[("id", ".id")]),
    ("cloudflare_tunnel", &[("id", ".id"), ("cname", ".cname")]),
];

/// A value worth a reference: long enough that an equal literal is no coincidence (every
/// vendor id is; TARGETS names no singleton such as `acl`).
fn referable(s: &str) -> bool {
    s.len() >= 8
}

/// An HCL string literal (with `${` and `%{` escaped, so a value is never read as a template).
fn quoted(s: &str) -> String {
    crate::blueprint::hcl::quote(s)
}

fn collect(
    v: &Json,
    path: &[&str],
    reference: &str,
    keys: &mut Vec<String>,
    out: &mut Vec<(String, String)>,
) {
    let Some((first, rest)) = path.split_first() else {
        if let Some(s) = v.as_str().filter(|s| referable(s)) {
            let mut r = reference.to_string();
            for k in keys.iter() {
                r = r.replacen("{}", &quoted(k), 1);
            }
            out.push((s.to_string(), r));
        }
        return;
    };
    if *first == "*" {
        for (k, inner) in v.as_object().into_iter().flatten() {
            keys.push(k.clone());
            collect(inner, rest, reference, keys, out);
            keys.pop();
        }
    } else if let Some(inner) = v.get(first) {
        collect(inner, rest, reference, keys, out);
    }
}

/// The objects of a `terraform show -json` plan: address → (type, planned values).
fn objects(plan: &Json) -> BTreeMap<String, (String, Json)> {
    let mut out = BTreeMap::new();
    for rc in plan["resource_changes"].as_array().into_iter().flatten() {
        if rc["mode"] != "managed" {
            continue;
        }
        let (Some(addr), Some(ty)) = (rc["address"].as_str(), rc["type"].as_str()) else {
            continue;
        };
        let after = &rc["change"]["after"];
        if after.is_object() {
            out.insert(addr.to_string(), (ty.to_string(), after.clone()));
        }
    }
    out
}

/// value → (address, reference expression); a value two objects share names neither.
fn index(objects: &BTreeMap<String, (String, Json)>) -> BTreeMap<String, (String, String)> {
    let mut found: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (addr, (ty, after)) in objects {
        let Some((_, targets)) = TARGETS.iter().find(|(t, _)| t == ty) else {
            continue;
        };
        for (path, suffix) in *targets {
            let parts: Vec<&str> = path.split('.').collect();
            let mut vals = Vec::new();
            collect(
                after,
                &parts,
                &format!("{addr}{suffix}"),
                &mut Vec::new(),
                &mut vals,
            );
            for (value, reference) in vals {
                found
                    .entry(value)
                    .or_default()
                    .push((addr.clone(), reference));
            }
        }
    }
    found
        .into_iter()
        .filter_map(|(v, mut refs)| (refs.len() == 1).then(|| (v, refs.remove(0))))
        .collect()
}

/// Splits `key = rest` (key bare or quoted); None for other lines.
fn assignment(line: &str) -> Option<(String, &str)> {
    let t = line.trim_start();
    let (key, rest) = if let Some(q) = t.strip_prefix('"') {
        let end = q.find('"')?;
        (q[..end].to_string(), &q[end + 1..])
    } else {
        let end = t.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))?;
        (t[..end].to_string(), &t[end..])
    };
    let rest = rest.trim_start().strip_prefix('=')?;
    (!key.is_empty()).then(|| (key, rest.trim()))
}

/// Brackets opened minus closed outside strings and comments.
fn balance(s: &str) -> i32 {
    let (mut n, mut in_str, mut esc) = (0, false, false);
    for c in s.chars() {
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, '\\') => esc = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '#' => break,
            '{' | '[' | '(' => n += 1,
            '}' | ']' | ')' => n -= 1,
            _ => {}
        }
    }
    n
}

/// A one-line value: a string, null, or a list of strings (None for anything else).
fn literal(rhs: &str) -> Option<Json> {
    let code = rhs.split(" #").next().unwrap_or(rhs).trim();
    if code == "null" {
        return Some(Json::Null);
    }
    serde_json::from_str::<Json>(code)
        .ok()
        .filter(|v| v.is_string() || v.as_array().is_some_and(|a| a.iter().all(Json::is_string)))
}

struct Graph(BTreeMap<String, BTreeSet<String>>);

impl Graph {
    fn reaches(&self, from: &str, to: &str) -> bool {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(n) = todo.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n.clone()) {
                todo.extend(self.0.get(&n).into_iter().flatten().cloned());
            }
        }
        false
    }
    /// Adds `from → to` unless it would close a cycle (Terraform refuses those).
    fn link(&mut self, from: &str, to: &str) -> bool {
        if from == to || self.reaches(to, from) {
            return false;
        }
        self.0
            .entry(from.to_string())
            .or_default()
            .insert(to.to_string());
        true
    }
}

/// The reference for one value of `addr`, if another object owns it.
fn reference_for(
    value: &str,
    addr: &str,
    idx: &BTreeMap<String, (String, String)>,
    graph: &mut Graph,
) -> Option<String> {
    let (target, reference) = idx.get(value)?;
    graph.link(addr, target).then(|| reference.clone())
}

/// Rewrites `generated` (the file Terraform wrote) with the objects of `plan` (`terraform show
/// -json` of a plan of its imports). Only resource blocks change; import blocks keep their
/// literal identities.
pub fn rewrite(generated: &str, plan: &Json) -> Rewritten {
    let objs = objects(plan);
    let idx = index(&objs);
    let mut graph = Graph(BTreeMap::new());
    let mut changes = Vec::new();
    let mut out = Vec::new();
    // Inside a resource block: its address, and the attribute path (None: a list or an
    // expression whose inner lines have no path).
    let mut current: Option<String> = None;
    let mut path: Vec<Option<String>> = Vec::new();
    for line in generated.lines() {
        let trimmed = line.trim();
        if current.is_none() {
            if let Some(rest) = trimmed.strip_prefix("resource ") {
                let names: Vec<&str> = rest
                    .split('"')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect();
                if let [ty, name, "{"] = names.as_slice() {
                    current = Some(format!("{ty}.{name}"));
                    path.clear();
                }
            }
            out.push(line.to_string());
            continue;
        }
        let addr = current.clone().unwrap_or_default();
        if trimmed == "}" && path.is_empty() {
            current = None;
            out.push(line.to_string());
            continue;
        }
        let mut new_line = line.to_string();
        match assignment(line) {
            Some((key, "{")) => path.push(Some(key)),
            Some((key, rhs)) => {
                let b = balance(rhs);
                if b > 0 {
                    path.extend((0..b).map(|_| None));
                } else if let (Some(lit), Some(keys)) = (
                    literal(rhs),
                    path.iter().cloned().collect::<Option<Vec<_>>>(),
                ) {
                    let after = objs.get(&addr).map(|(_, a)| a);
                    let mut v = after;
                    for k in keys.iter().chain(std::iter::once(&key)) {
                        v = v.and_then(|x| x.get(k));
                    }
                    let lhs = &line[..line.find('=').unwrap_or(0)];
                    let at = keys
                        .iter()
                        .chain(std::iter::once(&key))
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(".");
                    let replaced = match (v, &lit) {
                        // A literal (or a hidden secret) equal to another object's value.
                        (Some(Json::String(s)), Json::String(_) | Json::Null)
                            if lit.is_null() || lit.as_str() == Some(s) =>
                        {
                            reference_for(s, &addr, &idx, &mut graph)
                        }
                        (Some(Json::Array(vals)), Json::Array(lits))
                            if vals.len() == lits.len() =>
                        {
                            let mut any = false;
                            let items: Vec<String> = lits
                                .iter()
                                .filter_map(Json::as_str)
                                .map(|s| match reference_for(s, &addr, &idx, &mut graph) {
                                    Some(r) => {
                                        any = true;
                                        r
                                    }
                                    None => quoted(s),
                                })
                                .collect();
                            any.then(|| format!("[{}]", items.join(", ")))
                        }
                        _ => None,
                    };
                    if let Some(r) = replaced {
                        new_line = format!("{lhs}= {r}");
                        changes.push(Change {
                            address: addr.clone(),
                            path: at,
                            reference: r,
                        });
                    }
                }
            }
            None => {
                let b = balance(trimmed);
                if trimmed.ends_with('{') && b == 1 && !trimmed.contains('=') {
                    // A nested block: `name {`.
                    let name = trimmed.trim_end_matches('{').trim().to_string();
                    path.push(Some(name));
                } else if b > 0 {
                    path.extend((0..b).map(|_| None));
                } else {
                    for _ in 0..(-b) {
                        path.pop();
                    }
                }
            }
        }
        out.push(new_line);
    }
    let mut text = out.join("\n");
    if generated.ends_with('\n') {
        text.push('\n');
    }
    Rewritten { text, changes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plan(objects: &[(&str, Json)]) -> Json {
        let rcs: Vec<Json> = objects
            .iter()
            .map(|(addr, after)| {
                let ty = addr.split('.').next().unwrap_or_default();
                json!({ "address": addr, "mode": "managed", "type": ty, "change": { "after": after } })
            })
            .collect();
        json!({ "resource_changes": rcs })
    }

    fn kirby() -> Json {
        plan(&[
            (
                "render_project.all_0",
                json!({ "id": "prj-d1a2b3c4", "name": "kirby",
                        "environments": { "production": { "id": "evm-0a1b2c3d", "name": "production" } } }),
            ),
            (
                "render_database.all_0",
                json!({ "id": "dpg-9f8e7d6c", "environment_id": "evm-0a1b2c3d",
                        "internal_connection_string": "postgres://u:p4ss@dpg-9f8e7d6c/app",
                        "external_connection_string": "postgres://u:p4ss@dpg-9f8e7d6c.oregon/app" }),
            ),
            (
                "render_service.all_0",
                json!({ "id": "srv-1a2b3c4d", "environment_id": "evm-0a1b2c3d",
                        "env_vars": { "DATABASE_URL": { "value": "postgres://u:p4ss@dpg-9f8e7d6c/app" },
                                      "MODE": { "value": "fast-2024" } },
                        "env_group_ids": ["evg-5e6f7a8b", "evg-other0001"] }),
            ),
            ("render_env_group.all_0", json!({ "id": "evg-5e6f7a8b" })),
            (
                "vercel_project.all_0",
                json!({ "id": "prj_Ab12Cd34", "name": "shop" }),
            ),
            (
                "vercel_project_domain.all_0",
                json!({ "id": "shop.example.com", "project_id": "prj_Ab12Cd34", "domain": "shop.example.com" }),
            ),
        ])
    }

    /// (resource block as generated, the block after the rewrite).
    const TABLE: &[(&str, &str)] = &[
        // A service in a project's environment.
        (
            "resource \"render_service\" \"all_0\" {\n  environment_id = \"evm-0a1b2c3d\"\n}\n",
            "resource \"render_service\" \"all_0\" {\n  environment_id = render_project.all_0.environments[\"production\"].id\n}\n",
        ),
        // A hidden secret that is a database's connection string; the other stays.
        (
            "resource \"render_service\" \"all_0\" {\n  env_vars = {\n    DATABASE_URL = {\n      value = null # sensitive\n    }\n    MODE = {\n      value = \"fast-2024\"\n    }\n  }\n}\n",
            "resource \"render_service\" \"all_0\" {\n  env_vars = {\n    DATABASE_URL = {\n      value = render_database.all_0.internal_connection_string\n    }\n    MODE = {\n      value = \"fast-2024\"\n    }\n  }\n}\n",
        ),
        // A list: the id in the result becomes a reference, the one outside stays literal.
        (
            "resource \"render_service\" \"all_0\" {\n  env_group_ids    = [\"evg-5e6f7a8b\", \"evg-other0001\"]\n}\n",
            "resource \"render_service\" \"all_0\" {\n  env_group_ids    = [render_env_group.all_0.id, \"evg-other0001\"]\n}\n",
        ),
        // Vercel: a domain's project.
        (
            "resource \"vercel_project_domain\" \"all_0\" {\n  domain     = \"shop.example.com\"\n  project_id = \"prj_Ab12Cd34\"\n}\n",
            "resource \"vercel_project_domain\" \"all_0\" {\n  domain     = \"shop.example.com\"\n  project_id = vercel_project.all_0.id\n}\n",
        ),
        // Import blocks keep their literal identities; an object does not refer to itself.
        (
            "import {\n  to = render_project.all_0\n  identity = {\n    id = \"prj-d1a2b3c4\"\n  }\n}\nresource \"render_project\" \"all_0\" {\n  name = \"kirby\"\n}\n",
            "import {\n  to = render_project.all_0\n  identity = {\n    id = \"prj-d1a2b3c4\"\n  }\n}\nresource \"render_project\" \"all_0\" {\n  name = \"kirby\"\n}\n",
        ),
        // A literal that differs from the planned value (edited by hand) is left alone.
        (
            "resource \"render_database\" \"all_0\" {\n  environment_id = \"evm-99999999\"\n}\n",
            "resource \"render_database\" \"all_0\" {\n  environment_id = \"evm-99999999\"\n}\n",
        ),
    ];

    #[test]
    fn the_rewrite_table() {
        let p = kirby();
        for (i, (input, want)) in TABLE.iter().enumerate() {
            let got = rewrite(input, &p);
            assert_eq!(got.text, *want, "row {i}");
            assert_eq!(
                got.changes.is_empty(),
                input == want,
                "row {i}: {:?}",
                got.changes
            );
        }
    }

    #[test]
    fn a_change_names_the_address_and_path() {
        let got = rewrite(TABLE[1].0, &kirby());
        assert_eq!(
            got.changes,
            vec![Change {
                address: "render_service.all_0".into(),
                path: "env_vars.DATABASE_URL.value".into(),
                reference: "render_database.all_0.internal_connection_string".into(),
            }]
        );
    }

    #[test]
    fn references_that_would_close_a_cycle_are_left_literal() {
        let p = plan(&[
            (
                "railway_service.a",
                json!({ "id": "svc-11111111", "peer": "svc-22222222" }),
            ),
            (
                "railway_service.b",
                json!({ "id": "svc-22222222", "peer": "svc-11111111" }),
            ),
        ]);
        let text = "resource \"railway_service\" \"a\" {\n  peer = \"svc-22222222\"\n}\nresource \"railway_service\" \"b\" {\n  peer = \"svc-11111111\"\n}\n";
        let got = rewrite(text, &p);
        assert_eq!(got.changes.len(), 1, "{:?}", got.changes);
        assert!(got.text.contains("peer = railway_service.b.id"));
        assert!(got.text.contains("peer = \"svc-11111111\""));
    }

    #[test]
    fn a_value_two_objects_share_is_no_reference_and_short_ids_are_ignored() {
        let p = plan(&[
            ("render_env_group.a", json!({ "id": "evg-12345678" })),
            ("render_service.b", json!({ "id": "evg-12345678" })),
            (
                "render_service.c",
                json!({ "id": "srv-00000001", "x": "evg-12345678" }),
            ),
        ]);
        let got = rewrite(
            "resource \"render_service\" \"c\" {\n  x = \"evg-12345678\"\n}\n",
            &p,
        );
        assert!(got.changes.is_empty(), "{:?}", got.changes);
        assert!(!referable("prod") && referable("evm-0a1b2c3d"));
    }
}

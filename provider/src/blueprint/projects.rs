//! Blueprint `projects:` → one `render_project` per project, its `environments:` as the
//! resource's `environments` map (keyed by the environment's name, as an import keys them), and
//! the scope of each environment: where the services, databases and env groups listed in it are
//! placed (`environment_id = render_project.<p>.environments["<env>"].id`) and where their
//! references resolve first. Environment settings map where render_project has them
//! (`permissions.protection` → `protected_status`, `networking.isolation` → `network_isolated`).
//! Imports `model`, `hcl` and `mapping`; no I/O.

use std::collections::BTreeSet;

use super::hcl::{quote, snake, Block, Expr};
use super::mapping::{attr, err, unique_name, Scope, PROJECT_RESOURCE};
use super::model::{Environment, Project};
use super::BlueprintError;

/// `enabled` / `disabled`, the values Render accepts for both environment settings.
fn switch(path: &str, v: &Option<String>) -> Result<Option<bool>, BlueprintError> {
    match v.as_deref() {
        None => Ok(None),
        Some("enabled") => Ok(Some(true)),
        Some("disabled") => Ok(Some(false)),
        Some(other) => Err(err(
            path,
            format!("unknown value {other:?}: Render accepts enabled or disabled"),
        )),
    }
}

/// Each environment of a project with the scope of what it lists.
pub type Placed<'a> = Vec<(&'a Environment, Scope)>;

/// The `render_project` block of `projects[p]`, and each environment with its scope.
/// `taken` holds the resource names of the projects before it.
pub fn project<'a>(
    p: usize,
    project: &'a Project,
    taken: &mut BTreeSet<String>,
) -> Result<(Block, Placed<'a>), BlueprintError> {
    let path = format!("projects[{p}]");
    let Some(name) = &project.name else {
        return Err(err(&format!("{path}.name"), "a project needs a `name`"));
    };
    let envs = project.environments.as_deref().unwrap_or_default();
    if envs.is_empty() {
        return Err(err(
            &format!("{path}.environments"),
            "a project needs at least one environment (Render refuses a project without one)",
        ));
    }
    let tf = unique_name(&snake(name), taken);
    taken.insert(tf.clone());
    let mut map = Vec::new();
    let mut scopes = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, env) in envs.iter().enumerate() {
        let epath = format!("{path}.environments[{i}]");
        let Some(env_name) = &env.name else {
            return Err(err(
                &format!("{epath}.name"),
                "an environment needs a `name`",
            ));
        };
        if !seen.insert(env_name.clone()) {
            return Err(err(
                &format!("{epath}.name"),
                format!("project {name:?} already has an environment named {env_name:?} (Render refuses a second one)"),
            ));
        }
        let mut o = vec![(attr::NAME, Expr::str(env_name))];
        let protection = env.permissions.as_ref().and_then(|p| p.protection.clone());
        if let Some(on) = switch(&format!("{epath}.permissions.protection"), &protection)? {
            let status = if on { "protected" } else { "unprotected" };
            o.push((attr::PROTECTED_STATUS, Expr::str(status)));
        }
        let isolation = env.networking.as_ref().and_then(|n| n.isolation.clone());
        if let Some(on) = switch(&format!("{epath}.networking.isolation"), &isolation)? {
            o.push((attr::NETWORK_ISOLATED, Expr::Bool(on)));
        }
        map.push((env_name.clone(), Expr::object(o)));
        scopes.push((
            env,
            Scope {
                key: epath,
                env_name: Some(env_name.clone()),
                environment_id: Some(Expr::raw(format!(
                    "{PROJECT_RESOURCE}.{tf}.{}[{}].{}",
                    attr::ENVIRONMENTS,
                    quote(env_name),
                    attr::ID
                ))),
            },
        ));
    }
    let mut b = Block::new("resource", &[PROJECT_RESOURCE, &tf]);
    b.attr(attr::NAME, Expr::str(name))
        .attr(attr::ENVIRONMENTS, Expr::Object(map));
    Ok((b, scopes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blueprint::model::{Networking, Permissions};

    fn env(name: &str) -> Environment {
        Environment {
            name: Some(name.into()),
            ..Environment::default()
        }
    }

    #[test]
    fn environments_become_the_map_and_scopes() {
        let mut prod = env("production");
        prod.permissions = Some(Permissions {
            protection: Some("enabled".into()),
        });
        prod.networking = Some(Networking {
            isolation: Some("enabled".into()),
        });
        let app = Project {
            name: Some("My App".into()),
            environments: Some(vec![env("staging"), prod]),
            env_var_groups: None,
        };
        let mut taken = BTreeSet::new();
        let (b, scopes) = project(0, &app, &mut taken).expect("converts");
        // Alignment-independent: runs of spaces collapsed.
        let text: String = b
            .render()
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ") + "\n")
            .collect();
        assert!(
            text.contains(r#"resource "render_project" "my_app" {"#),
            "{text}"
        );
        assert!(text.contains(r#"staging = { name = "staging" }"#), "{text}");
        assert!(
            text.contains(r#"production = { name = "production", protected_status = "protected", network_isolated = true }"#),
            "{text}"
        );
        assert_eq!(scopes[1].1.key, "projects[0].environments[1]");
        assert_eq!(
            scopes[1].1.environment_id,
            Some(Expr::raw(
                r#"render_project.my_app.environments["production"].id"#
            ))
        );
        assert_eq!(
            scopes[1].1.chain(),
            ["projects[0].environments[1]", "projects[0]", ""]
        );
    }

    #[test]
    fn what_render_refuses_is_an_error_at_its_path() {
        let mut bad = env("prod");
        bad.networking = Some(Networking {
            isolation: Some("on".into()),
        });
        let cases = [
            (Project::default(), "projects[0].name"),
            (
                Project {
                    name: Some("p".into()),
                    ..Project::default()
                },
                "projects[0].environments",
            ),
            (
                Project {
                    name: Some("p".into()),
                    environments: Some(vec![env("a"), env("a")]),
                    env_var_groups: None,
                },
                "projects[0].environments[1].name",
            ),
            (
                Project {
                    name: Some("p".into()),
                    environments: Some(vec![bad]),
                    env_var_groups: None,
                },
                "projects[0].environments[0].networking.isolation",
            ),
        ];
        for (p, want) in cases {
            let e = project(0, &p, &mut BTreeSet::new()).expect_err("refused");
            assert_eq!(e.path.as_deref(), Some(want), "{e}");
        }
    }
}

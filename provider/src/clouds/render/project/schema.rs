//! `render_project`'s schemas: the resource's (a name and a map of environments, each with its
//! computed id) and the data source's (the same attributes, all computed, looked up by `id` or by
//! `name`). Declarations only: no I/O, no mapping.

use crate::framework::rules::{length_between, one_of};
use crate::framework::{Attribute, Nesting, Schema, Value};

pub const PROTECTED_STATUSES: &[&str] = &["unprotected", "protected"];

const ENVIRONMENTS: &str = "The project's environments, keyed by a name of your choosing (use the environment's name: an import keys them so). Reference one as `render_project.p.environments[\"staging\"].id`. Changing an entry's `name` renames the environment in place; removing an entry deletes the environment, which fails with a clear error while the environment still holds services, databases or env groups (paasform never deletes them with it); changing a key removes the old entry and adds a new one. Render's public API has no environment-level IP allow list: set `ip_allow_list` on each service and database instead.";

pub fn resource() -> Schema {
    Schema::new(
        "A Render project: a named group of environments (for example staging and production) that services, databases and env groups are placed in by environment id.",
        vec![
            Attribute::string("name")
                .required()
                .validate(length_between(1, 255))
                .description("Project name."),
            Attribute::nested(
                "environments",
                Nesting::Map,
                vec![
                    Attribute::string("name")
                        .required()
                        .validate(length_between(1, 255))
                        .description("Environment name, unique in the project."),
                    Attribute::string("protected_status")
                        .default(Value::string("unprotected"))
                        .validate(one_of(PROTECTED_STATUSES))
                        .description("`protected`: only workspace admins can perform destructive actions in the environment. Default `unprotected`."),
                    Attribute::bool("network_isolated")
                        .default(Value::Bool(false))
                        .description("Block private-network connections from other environments. Default false."),
                    Attribute::string("id")
                        .computed()
                        .description("Environment id (`evm-…`): what `environment_id` of a service, database or env group takes."),
                ],
            )
            .required()
            .description(ENVIRONMENTS),
            Attribute::string("id")
                .computed()
                .keep_state()
                .description("Project id (`prj-…`)."),
        ],
    )
}

pub fn data_source() -> Schema {
    let out = |name: &str, d: &str| Attribute::string(name).computed().description(d);
    Schema::new(
        "Looks up a Render project and its environments by id, or by name.",
        vec![
            Attribute::string("id")
                .optional_computed()
                .description("Project id (`prj-…`). Set exactly one of `id` and `name`."),
            Attribute::string("name").optional_computed().description(
                "Project name to look up. Render names are not unique: two matches is an error.",
            ),
            Attribute::nested(
                "environments",
                Nesting::Map,
                vec![
                    out("name", "Environment name."),
                    out("protected_status", "`protected` or `unprotected`."),
                    Attribute::bool("network_isolated").computed().description(
                        "Whether private-network connections from other environments are blocked.",
                    ),
                    out("id", "Environment id (`evm-…`)."),
                ],
            )
            .computed()
            .description("The project's environments, keyed by environment name."),
        ],
    )
}

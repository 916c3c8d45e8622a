//! `render_env_group`'s schemas: the resource's (name, environment, variables and secret files
//! with their write-only variants) and the data source's (looked up by `id` or `name`, every
//! value computed and sensitive). Declarations only: no I/O, no mapping.

use crate::framework::rules::length_between;
use crate::framework::{Attribute, Nesting, Schema, Type};

const DESCRIPTION: &str = "A Render env group: environment variables and secret files shared by several services. Link it to services with `render_env_group_link`.\n\n\
Why a separate link resource (as Render's own provider does): the group and the services that use it are often owned by different stacks, and a service can be created after the group; the link resource depends on both, so there is no cycle and no stack has to list every consumer. The link is authoritative for the group's service links.\n\n\
One owner per variable: a key belongs to exactly one of `env_vars` and `env_vars_wo` of one env group. A service's own `env_vars` of the same key take precedence over the group's (Render's rule), so define a shared key in the group only. Keys set in the group outside Terraform are left alone (only the keys in the configuration are managed). An import reads every key into `env_vars`, so the first plan after it shows the write-only keys leaving `env_vars`; that apply deletes nothing in Render. Render generates a value once for `generate_value = true`; every linked service sees that one value.";

pub fn resource() -> Schema {
    Schema::new(
        DESCRIPTION,
        vec![
            Attribute::string("name")
                .required()
                .validate(length_between(1, 255))
                .description("Env group name."),
            Attribute::string("environment_id")
                .optional()
                .description("Render environment (`evm-…`, e.g. from `render_project`) holding the group. Changing it moves the group in place."),
            Attribute::nested(
                "env_vars",
                Nesting::Map,
                vec![
                    Attribute::string("value").optional_computed().sensitive().description("The value (may come from another resource)."),
                    Attribute::bool("generate_value").optional().description("Let Render generate a random secret once (Blueprint `generateValue`); the value is kept in state (sensitive)."),
                ],
            )
            .optional()
            .description("Environment variables, key → exactly one of `value` or `generate_value = true`. Not authoritative: each key is written and deleted on its own, so keys set in the group outside Terraform are neither read into state nor removed."),
            Attribute::map("env_vars_wo", Type::String)
                .optional()
                .write_only()
                .sensitive()
                .description("Write-only environment variables (Terraform ≥ 1.11): never stored in state; sent on create and whenever `env_vars_wo_version` changes. A key removed from here is not deleted in Render (no record of it is kept): delete it by moving it to `env_vars` first, or in the dashboard."),
            Attribute::int("env_vars_wo_version")
                .optional()
                .description("Change to send `env_vars_wo` again."),
            Attribute::map("secret_files", Type::String)
                .optional()
                .sensitive()
                .description("Secret files: name → content. Not authoritative: files added to the group outside Terraform are neither read into state nor removed."),
            Attribute::map("secret_files_wo", Type::String)
                .optional()
                .write_only()
                .sensitive()
                .description("Write-only secret files, name → content (Terraform ≥ 1.11): never stored in state; sent on create and whenever `secret_files_wo_version` changes."),
            Attribute::int("secret_files_wo_version")
                .optional()
                .description("Change to send `secret_files_wo` again."),
            Attribute::string("id")
                .computed()
                .keep_state()
                .description("Env group id (`evg-…`)."),
        ],
    )
}

pub fn data_source() -> Schema {
    Schema::new(
        "Looks up a Render env group by id, or by name.",
        vec![
            Attribute::string("id")
                .optional_computed()
                .description("Env group id (`evg-…`). Set exactly one of `id` and `name`."),
            Attribute::string("name").optional_computed().description(
                "Env group name to look up. Render names are not unique: two matches is an error.",
            ),
            Attribute::string("environment_id")
                .computed()
                .description("Render environment holding the group, if any."),
            Attribute::map("env_vars", Type::String)
                .computed()
                .sensitive()
                .description("Every environment variable, key → value."),
            Attribute::map("secret_files", Type::String)
                .computed()
                .sensitive()
                .description("Every secret file, name → content."),
            Attribute::set("service_ids", Type::String)
                .computed()
                .description("Services the group is linked to."),
        ],
    )
}

//! `render_database`'s schemas: the resource's (engine-specific attributes, replace rules, the
//! create timeout) and the data source's (the same attributes, all computed, looked up by `id` or
//! by `name` + `engine`). Declarations only: no I/O, no mapping.

use super::super::enums::{ENGINES, MAXMEMORY_POLICIES, POSTGRES_VERSIONS, REGIONS};
use super::super::overrides;
use super::model::major;
use crate::framework::rules::{int_between, known_values, one_of};
use crate::framework::{Attribute, Nesting, PlanModifier, Schema, Value, WriteOnlySecret};

pub const POSTGRES_ONLY: &[&str] = &[
    "version",
    "database_name",
    "database_user",
    "disk_size_gb",
    "high_availability",
    "read_replicas",
    "datadog_api_key",
    "datadog_api_key_wo",
    "datadog_site",
];

/// Postgres' Datadog API key: at most one of the plain and the write-only one.
pub const DATADOG_KEY: WriteOnlySecret = WriteOnlySecret::optional(
    "datadog_api_key",
    "datadog_api_key_wo",
    "datadog_api_key_wo_version",
);
pub const KEY_VALUE_ONLY: &[&str] = &["maxmemory_policy"];

fn kept(a: Attribute) -> Attribute {
    a.optional_computed().keep_state()
}

/// The attributes only the API fills, shared by the resource and the data source.
fn reported() -> Vec<Attribute> {
    vec![
        Attribute::string("status")
            .computed()
            .keep_state()
            .description("Render status (`available` once created)."),
        Attribute::string("created_at")
            .computed()
            .keep_state()
            .description("Creation time (RFC 3339)."),
        Attribute::string("internal_connection_string")
            .computed()
            .sensitive()
            .keep_state()
            .description("Connection string inside Render's private network."),
        Attribute::string("external_connection_string")
            .computed()
            .sensitive()
            .keep_state()
            .description("Connection string from outside Render."),
        Attribute::string("host")
            .computed()
            .keep_state()
            .description("Internal host name."),
        Attribute::int("port")
            .computed()
            .keep_state()
            .description("Port."),
        Attribute::string("user")
            .computed()
            .keep_state()
            .description(
                "User name (Postgres; the Key Value user when its connection string names one).",
            ),
        Attribute::string("password")
            .computed()
            .sensitive()
            .keep_state()
            .description("Password."),
    ]
}

pub fn resource() -> Schema {
    let mut attrs = vec![
        Attribute::string("engine").default(Value::string("postgres")).replace().validate(one_of(ENGINES)).description(
            "The engine: Postgres, or `key_value` for Render Key Value (Redis-compatible).",
        ),
        Attribute::string("name").required().description("Instance name."),
        Attribute::string("plan").required().description("Instance plan (for example `basic_1gb`, `standard`, `starter`)."),
        kept(Attribute::string("region")).replace().validate(known_values(REGIONS)).description("Region."),
        kept(Attribute::string("version"))
            .validate(known_values(POSTGRES_VERSIONS))
            .modifier(PlanModifier::replace_if("Replaced when the major version goes down (Render cannot downgrade).", |prior, planned| {
                matches!((major(prior.as_str()), major(planned.as_str())), (Some(a), Some(b)) if b < a)
            }))
            .description("Postgres major version (default: the latest, 17). A downgrade replaces the instance; Key Value reports its Redis version here."),
        kept(Attribute::string("database_name")).replace().description("Postgres database name (default: generated)."),
        kept(Attribute::string("database_user")).replace().description("Postgres user (default: generated)."),
        kept(Attribute::int("disk_size_gb")).validate(int_between(1, 16384)).description("Postgres disk size in GB (can only grow)."),
        kept(Attribute::bool("high_availability")).description("Postgres high availability (standby instance)."),
        Attribute::nested(
            "ip_allow_list",
            Nesting::List,
            vec![
                Attribute::string("cidr_block").required().description("CIDR block allowed to connect from outside Render."),
                Attribute::string("description").default(Value::string("")).description("What the block is."),
            ],
        )
        .optional_computed()
        .keep_state()
        .description("External access rules. Unset: whatever Render has (new instances allow everything)."),
        Attribute::nested("read_replicas", Nesting::List, vec![Attribute::string("name").required().description("The replica's name.")])
            .optional()
            .description("Postgres read replicas."),
        Attribute::string("datadog_api_key").optional().sensitive().description(
            "Postgres: the Datadog API key the Datadog agent monitors the database with (stored in state, sensitive). Render never returns it; changing or removing it restarts Postgres.",
        ),
        Attribute::string("datadog_api_key_wo").optional().write_only().sensitive().description(
            "Postgres: write-only Datadog API key (Terraform ≥ 1.11): never stored; sent at create and when `datadog_api_key_wo_version` changes.",
        ),
        Attribute::int("datadog_api_key_wo_version").optional().description(
            "Change it to send a new `datadog_api_key_wo` (required with `datadog_api_key_wo`).",
        ),
        Attribute::string("datadog_site").optional().description(
            "Postgres: the Datadog site (region) to report to, e.g. `US1`, `US3`, `EU1` (Render's default: `US1`). Render never returns it.",
        ),
        overrides::log_stream_override_attribute(),
        kept(Attribute::string("maxmemory_policy")).validate(known_values(MAXMEMORY_POLICIES)).description("Key Value eviction policy."),
        kept(Attribute::string("environment_id")).description(
            "Render environment (project stage) holding the instance. Changing it moves the instance in place (the environment resources endpoints): same id, never destroyed.",
        ),
        Attribute::string("id").computed().keep_state().description("Instance id (`dpg-…` Postgres, `red-…` Key Value)."),
    ];
    attrs.extend(reported());
    Schema::new(
        "A Render Postgres database or Key Value (Redis-compatible) instance.",
        attrs,
    )
    .with_timeouts(&[("create", "30m")])
}

pub fn data_source() -> Schema {
    let out = |name: &str, d: &str| Attribute::string(name).computed().description(d);
    let mut attrs = vec![
        Attribute::string("id").optional_computed().description("Instance id (`dpg-…` Postgres, `red-…` Key Value). Set exactly one of `id` and `name`."),
        Attribute::string("name").optional_computed().description("Instance name to look up (with `engine`). Render names are not unique: two matches is an error."),
        Attribute::string("engine").optional_computed().validate(one_of(ENGINES)).description("`postgres` (default when looking up by name) or `key_value`. With `id`, the id's prefix decides."),
        out("plan", "Instance plan."),
        out("region", "Region."),
        out("version", "Postgres major version (Key Value: its Redis version)."),
        out("database_name", "Postgres database name."),
        out("database_user", "Postgres user."),
        Attribute::int("disk_size_gb").computed().description("Postgres disk size in GB."),
        Attribute::bool("high_availability").computed().description("Postgres high availability (standby instance)."),
        Attribute::nested(
            "ip_allow_list",
            Nesting::List,
            vec![
                out("cidr_block", "CIDR block allowed to connect from outside Render."),
                out("description", "What the block is."),
            ],
        )
        .computed()
        .description("External access rules."),
        Attribute::nested("read_replicas", Nesting::List, vec![out("name", "Replica name.")])
            .computed()
            .description("Postgres read replicas."),
        out("maxmemory_policy", "Key Value eviction policy."),
        out("environment_id", "Render environment holding the instance."),
    ];
    attrs.extend(reported());
    Schema::new(
        "Looks up a Render Postgres database or Key Value instance by id, or by name and engine.",
        attrs,
    )
}

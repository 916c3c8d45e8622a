//! Render's enumerations, copied by hand from the vendor spec (render.openapi.json, Render Public
//! API v1, components/schemas). Each list lives only here: update this file when Render adds a
//! plan, region or version. Vendor lists that go stale are used with `known_values` (a warning);
//! lists that define our own schema's shape (service types, engines) are hard `one_of`s.
//! Imports nothing.

/// `serviceType`.
pub const SERVICE_TYPES: &[&str] = &[
    "static_site",
    "web_service",
    "private_service",
    "background_worker",
    "cron_job",
];

/// `serviceRuntime`.
pub const RUNTIMES: &[&str] = &[
    "docker", "elixir", "go", "node", "python", "ruby", "rust", "image",
];

/// `autoDeployTrigger`.
pub const AUTO_DEPLOY_TRIGGERS: &[&str] = &["off", "commit", "checksPass"];

/// `previews.generation`.
pub const PREVIEW_GENERATIONS: &[&str] = &["off", "manual", "automatic"];

/// `renderSubdomainPolicy`.
pub const SUBDOMAIN_POLICIES: &[&str] = &["enabled", "disabled"];

/// `region`.
pub const REGIONS: &[&str] = &["frankfurt", "oregon", "ohio", "singapore", "virginia"];

/// Service `plan` (the response enum, a superset of the POST's `paidPlan`).
pub const SERVICE_PLANS: &[&str] = &[
    "starter",
    "starter_plus",
    "standard",
    "standard_plus",
    "pro",
    "pro_plus",
    "pro_max",
    "pro_ultra",
    "free",
    "custom",
];

/// `postgresVersion`.
pub const POSTGRES_VERSIONS: &[&str] = &["11", "12", "13", "14", "15", "16", "17"];

/// `postgres.plan`.
pub const POSTGRES_PLANS: &[&str] = &[
    "free",
    "starter",
    "standard",
    "pro",
    "pro_plus",
    "custom",
    "basic_256mb",
    "basic_1gb",
    "basic_4gb",
    "pro_4gb",
    "pro_8gb",
    "pro_16gb",
    "pro_32gb",
    "pro_64gb",
    "pro_128gb",
    "pro_192gb",
    "pro_256gb",
    "pro_384gb",
    "pro_512gb",
    "accelerated_16gb",
    "accelerated_32gb",
    "accelerated_64gb",
    "accelerated_128gb",
    "accelerated_256gb",
    "accelerated_384gb",
    "accelerated_512gb",
    "accelerated_768gb",
    "accelerated_1024gb",
];

/// `keyValuePlan`.
pub const KEY_VALUE_PLANS: &[&str] = &["free", "starter", "standard", "pro", "pro_plus", "custom"];

/// `maxmemoryPolicy`.
pub const MAXMEMORY_POLICIES: &[&str] = &[
    "noeviction",
    "allkeys_lfu",
    "allkeys_lru",
    "allkeys_random",
    "volatile_lfu",
    "volatile_lru",
    "volatile_random",
    "volatile_ttl",
];

/// `routeType`.
pub const ROUTE_TYPES: &[&str] = &["redirect", "rewrite"];

/// Our `render_database.engine` (not a Render enum: Render has two APIs, /postgres and /key-value).
pub const ENGINES: &[&str] = &["postgres", "key_value"];

/// Deploy statuses (`deployStatus`) after which a deploy will never become live.
pub const DEPLOY_FAILED: &[&str] = &[
    "build_failed",
    "update_failed",
    "canceled",
    "pre_deploy_failed",
    "deactivated",
];

/// Database statuses (`databaseStatus`) that mean creation failed or stalled for good.
pub const DATABASE_FAILED: &[&str] = &["unavailable", "recovery_failed", "suspended"];

/// The latest Postgres major version the spec lists (used when the configuration leaves it unset).
pub const LATEST_POSTGRES: &str = "17";

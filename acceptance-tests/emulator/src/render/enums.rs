//! Enumerations copied from the Render Public API v1 spec (components/schemas), used to reject
//! invalid values with a 400 the way Render does. Pure data; imports nothing.

pub const SERVICE_TYPES: &[&str] = &[
    "static_site",
    "web_service",
    "private_service",
    "background_worker",
    "cron_job",
];

/// `plan` (the response enum). Create/update bodies document `paidPlan`, a subset; Render also
/// accepts `free` for web services, so the emulator validates against the full enum.
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

pub const REGIONS: &[&str] = &["frankfurt", "oregon", "ohio", "singapore", "virginia"];

pub const RUNTIMES: &[&str] = &[
    "docker", "elixir", "go", "node", "python", "ruby", "rust", "image",
];

pub const YES_NO: &[&str] = &["yes", "no"];

pub const AUTO_DEPLOY_TRIGGERS: &[&str] = &["off", "commit", "checksPass"];

pub const PREVIEW_GENERATION: &[&str] = &["off", "manual", "automatic"];

pub const SUBDOMAIN_POLICY: &[&str] = &["enabled", "disabled"];

pub const CLEAR_CACHE: &[&str] = &["clear", "do_not_clear"];

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

pub const POSTGRES_VERSIONS: &[&str] = &["11", "12", "13", "14", "15", "16", "17"];

pub const KEY_VALUE_PLANS: &[&str] = &["free", "starter", "standard", "pro", "pro_plus", "custom"];

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

//! `render_database`: a Render Postgres (`engine = "postgres"`) or Key Value (`engine =
//! "key_value"`, Redis-compatible) instance. Create waits until `available` (so a service reading
//! the connection string gets a usable one), then reads the connection info (sensitive). Changes the
//! API cannot make in place replace the instance; import detects the engine from the id prefix.

use std::time::Duration;

use async_trait::async_trait;
use serde_json::{json, Map, Value as Json};

use super::client::databases::{ConnectionInfo, Database, Engine};
use super::client::RenderClient;
use super::enums::{
    DATABASE_FAILED, ENGINES, KEY_VALUE_PLANS, LATEST_POSTGRES, MAXMEMORY_POLICIES, POSTGRES_PLANS,
    POSTGRES_VERSIONS, REGIONS,
};
use super::service_mapping::s;
use crate::clouds::http::ApiError;
use crate::clouds::support::api_diag;
use crate::framework::rules::{int_between, known_values, one_of};
use crate::framework::timeouts::timeout;
use crate::framework::{
    ApplyResult, Attribute, Ctx, Diagnostic, Diagnostics, Nesting, Path, PlanContext, PlanModifier,
    Resource, Schema, Value,
};

pub struct DatabaseResource;

const DEFAULT_CREATE_TIMEOUT: Duration = Duration::from_secs(30 * 60);

const POSTGRES_ONLY: &[&str] = &[
    "version",
    "database_name",
    "database_user",
    "disk_size_gb",
    "high_availability",
    "read_replicas",
];
const KEY_VALUE_ONLY: &[&str] = &["maxmemory_policy"];

fn kept(a: Attribute) -> Attribute {
    a.optional_computed().keep_state()
}

/// The major version as a number (`"16"` → 16, `"8.1.4"` → 8).
fn major(v: &Value) -> Option<u32> {
    v.as_str()?.split('.').next()?.parse().ok()
}

fn engine_of(v: &Value) -> Engine {
    v.attr("engine")
        .as_str()
        .and_then(Engine::parse)
        .unwrap_or(Engine::Postgres)
}

fn schema() -> Schema {
    let attrs = vec![
        Attribute::string("engine").default(Value::string("postgres")).replace().validate(one_of(ENGINES)).description(
            "The engine: Postgres, or `key_value` for Render Key Value (Redis-compatible).",
        ),
        Attribute::string("name").required().description("Instance name."),
        Attribute::string("plan").required().description("Instance plan (for example `basic_1gb`, `standard`, `starter`)."),
        kept(Attribute::string("region")).replace().validate(known_values(REGIONS)).description("Region."),
        kept(Attribute::string("version"))
            .validate(known_values(POSTGRES_VERSIONS))
            .modifier(PlanModifier::replace_if("Replaced when the major version goes down (Render cannot downgrade).", |prior, planned| {
                matches!((major(prior), major(planned)), (Some(a), Some(b)) if b < a)
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
        kept(Attribute::string("maxmemory_policy")).validate(known_values(MAXMEMORY_POLICIES)).description("Key Value eviction policy."),
        kept(Attribute::string("environment_id")).replace().description("Render environment (project stage) holding the instance."),
        Attribute::string("id").computed().keep_state().description("Instance id (`dpg-…` Postgres, `red-…` Key Value)."),
        Attribute::string("status").computed().keep_state().description("Render status (`available` once created)."),
        Attribute::string("created_at").computed().keep_state().description("Creation time (RFC 3339)."),
        Attribute::string("internal_connection_string").computed().sensitive().keep_state().description("Connection string inside Render's private network."),
        Attribute::string("external_connection_string").computed().sensitive().keep_state().description("Connection string from outside Render."),
        Attribute::string("host").computed().keep_state().description("Internal host name."),
        Attribute::int("port").computed().keep_state().description("Port."),
        Attribute::string("user").computed().keep_state().description("User name (Postgres; the Key Value user when its connection string names one)."),
        Attribute::string("password").computed().sensitive().keep_state().description("Password."),
    ];
    Schema::new(
        "A Render Postgres database or Key Value (Redis-compatible) instance.",
        attrs,
    )
    .with_timeouts(&[("create", "30m")])
}

fn cidrs(v: &Value) -> Option<Json> {
    let list = v.attr("ip_allow_list");
    if list.is_null() || list.is_unknown() {
        return None;
    }
    let blocks: Vec<Json> = list
        .elements()
        .unwrap_or_default()
        .iter()
        .map(|b| json!({"cidrBlock": s(b, "cidr_block").unwrap_or_default(), "description": s(b, "description").unwrap_or_default()}))
        .collect();
    Some(Json::Array(blocks))
}

fn replicas(v: &Value) -> Json {
    Json::Array(
        v.attr("read_replicas")
            .elements()
            .unwrap_or_default()
            .iter()
            .map(|r| json!({"name": s(r, "name").unwrap_or_default()}))
            .collect(),
    )
}

fn put(m: &mut Map<String, Json>, key: &str, v: Option<Json>) {
    if let Some(v) = v {
        m.insert(key.into(), v);
    }
}

/// `postgresPOSTInput` / `keyValuePOSTInput`.
fn post_body(v: &Value, owner: &str) -> Json {
    let mut m = Map::new();
    m.insert("name".into(), json!(s(v, "name")));
    m.insert("ownerId".into(), json!(owner));
    m.insert("plan".into(), json!(s(v, "plan")));
    put(&mut m, "region", s(v, "region").map(Json::String));
    put(
        &mut m,
        "environmentId",
        s(v, "environment_id").map(Json::String),
    );
    put(&mut m, "ipAllowList", cidrs(v));
    match engine_of(v) {
        Engine::Postgres => {
            m.insert(
                "version".into(),
                json!(s(v, "version").unwrap_or_else(|| LATEST_POSTGRES.into())),
            );
            put(
                &mut m,
                "databaseName",
                s(v, "database_name").map(Json::String),
            );
            put(
                &mut m,
                "databaseUser",
                s(v, "database_user").map(Json::String),
            );
            put(
                &mut m,
                "diskSizeGB",
                v.attr("disk_size_gb").as_i64().map(Json::from),
            );
            put(
                &mut m,
                "enableHighAvailability",
                v.attr("high_availability").as_bool().map(Json::Bool),
            );
            if !v.attr("read_replicas").is_null() {
                m.insert("readReplicas".into(), replicas(v));
            }
        }
        Engine::KeyValue => put(
            &mut m,
            "maxmemoryPolicy",
            s(v, "maxmemory_policy").map(Json::String),
        ),
    }
    Json::Object(m)
}

/// `postgresPATCHInput` / `keyValuePATCHInput`; equal bodies for prior and plan mean no PATCH.
fn patch_body(v: &Value) -> Json {
    let mut m = Map::new();
    put(&mut m, "name", s(v, "name").map(Json::String));
    put(&mut m, "plan", s(v, "plan").map(Json::String));
    put(&mut m, "ipAllowList", cidrs(v));
    match engine_of(v) {
        Engine::Postgres => {
            put(
                &mut m,
                "diskSizeGB",
                v.attr("disk_size_gb").as_i64().map(Json::from),
            );
            put(
                &mut m,
                "enableHighAvailability",
                v.attr("high_availability").as_bool().map(Json::Bool),
            );
            m.insert("readReplicas".into(), replicas(v));
        }
        Engine::KeyValue => put(
            &mut m,
            "maxmemoryPolicy",
            s(v, "maxmemory_policy").map(Json::String),
        ),
    }
    Json::Object(m)
}

/// Fill `base` from the API's answer.
fn apply_database(mut base: Value, engine: Engine, db: &Database) -> Value {
    let opt = |x: &Option<String>| {
        x.clone()
            .filter(|s| !s.is_empty())
            .map_or(Value::Null, Value::String)
    };
    base.set_attr("engine", Value::string(engine.name()));
    base.set_attr("id", Value::string(&db.id));
    base.set_attr("name", Value::string(&db.name));
    base.set_attr("status", Value::string(&db.status));
    base.set_attr("plan", opt(&db.plan));
    base.set_attr("region", opt(&db.region));
    base.set_attr("version", opt(&db.version));
    base.set_attr("created_at", opt(&db.created_at));
    base.set_attr("environment_id", opt(&db.environment_id));
    base.set_attr(
        "ip_allow_list",
        Value::List(
            db.ip_allow_list
                .iter()
                .map(|c| {
                    Value::object([
                        ("cidr_block", Value::string(&c.cidr_block)),
                        ("description", Value::string(&c.description)),
                    ])
                })
                .collect(),
        ),
    );
    match engine {
        Engine::Postgres => {
            base.set_attr("database_name", opt(&db.database_name));
            base.set_attr("database_user", opt(&db.database_user));
            base.set_attr("user", opt(&db.database_user));
            base.set_attr(
                "disk_size_gb",
                db.disk_size_gb.map_or(Value::Null, Value::int),
            );
            base.set_attr(
                "high_availability",
                db.high_availability_enabled
                    .map_or(Value::Null, Value::Bool),
            );
            let reps: Vec<Value> = db
                .read_replicas
                .iter()
                .map(|r| Value::object([("name", Value::string(&r.name))]))
                .collect();
            base.set_attr(
                "read_replicas",
                if reps.is_empty() {
                    Value::Null
                } else {
                    Value::List(reps)
                },
            );
        }
        Engine::KeyValue => {
            base.set_attr(
                "maxmemory_policy",
                opt(&db.options.as_ref().and_then(|o| o.maxmemory_policy.clone())),
            );
        }
    }
    base
}

/// The parts of `scheme://user:password@host:port/path`.
struct ConnParts {
    user: Option<String>,
    password: Option<String>,
    host: String,
    port: Option<i64>,
}

fn parse_connection_string(s: &str) -> Option<ConnParts> {
    let rest = s.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let (user, password) =
        match userinfo.map(|u| u.split_once(':').map_or((u, None), |(a, b)| (a, Some(b)))) {
            Some((u, p)) => (
                (!u.is_empty()).then(|| u.to_string()),
                p.map(str::to_string),
            ),
            None => (None, None),
        };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() => {
            (h.to_string(), p.parse().ok())
        }
        _ => (hostport.to_string(), None),
    };
    (!host.is_empty()).then_some(ConnParts {
        user,
        password,
        host,
        port,
    })
}

fn apply_connection(mut base: Value, engine: Engine, info: &ConnectionInfo) -> Value {
    base.set_attr(
        "internal_connection_string",
        Value::string(&info.internal_connection_string),
    );
    base.set_attr(
        "external_connection_string",
        Value::string(&info.external_connection_string),
    );
    let parts = parse_connection_string(&info.internal_connection_string)
        .or_else(|| parse_connection_string(&info.external_connection_string));
    let default_port = match engine {
        Engine::Postgres => 5432,
        Engine::KeyValue => 6379,
    };
    if let Some(p) = &parts {
        base.set_attr("host", Value::string(&p.host));
        base.set_attr("port", Value::int(p.port.unwrap_or(default_port)));
        if engine == Engine::KeyValue {
            base.set_attr("user", p.user.clone().map_or(Value::Null, Value::String));
        }
    }
    let password = info
        .password
        .clone()
        .or_else(|| parts.as_ref().and_then(|p| p.password.clone()));
    base.set_attr("password", password.map_or(Value::Null, Value::String));
    base
}

/// Poll until `available`, with backoff, bounded by `limit`, interruptible by StopProvider.
async fn wait_available(
    ctx: &Ctx,
    client: &RenderClient,
    engine: Engine,
    id: &str,
    limit: Duration,
) -> Result<Database, Diagnostics> {
    let started = tokio::time::Instant::now();
    let mut delay = Duration::from_millis(200);
    loop {
        let db = client
            .get_database(engine, id)
            .await
            .map_err(|e| api_diag("Failed to read Render database while waiting", &e))?;
        if db.status == "available" {
            tracing::info!(
                id,
                elapsed_s = started.elapsed().as_secs(),
                "database is available"
            );
            return Ok(db);
        }
        if DATABASE_FAILED.contains(&db.status.as_str()) {
            return Err(Diagnostic::error(
                "Render database did not become available",
                format!("{id} has status {}.", db.status),
            )
            .into());
        }
        if started.elapsed() + delay > limit {
            return Err(Diagnostic::error(
                "Timed out waiting for Render database",
                format!(
                    "{id} is still {} after {}s (timeouts.create).",
                    db.status,
                    limit.as_secs()
                ),
            )
            .into());
        }
        tracing::info!(
            id,
            status = db.status,
            elapsed_s = started.elapsed().as_secs(),
            "waiting for database to be available"
        );
        if ctx.stop.sleep(delay).await.is_err() {
            return Err(Diagnostic::error(
                "Interrupted",
                "Terraform asked the provider to stop while waiting for the database.",
            )
            .into());
        }
        delay = (delay * 2).min(Duration::from_secs(15));
    }
}

async fn adopt(client: &RenderClient, engine: Engine, plan: &Value) -> Option<Database> {
    let name = s(plan, "name")?;
    let mut found = client.find_databases_by_name(engine, &name).await.ok()?;
    (found.len() == 1).then(|| found.pop()).flatten()
}

#[async_trait]
impl Resource for DatabaseResource {
    fn type_name(&self) -> &'static str {
        "render_database"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let engine = config.attr("engine");
        let engine = if engine.is_null() {
            Some("postgres")
        } else {
            engine.as_str()
        };
        let Some(engine) = engine else { return };
        let (foreign, plans): (&[&str], &[&str]) = match engine {
            "postgres" => (KEY_VALUE_ONLY, POSTGRES_PLANS),
            "key_value" => (POSTGRES_ONLY, KEY_VALUE_PLANS),
            _ => return,
        };
        for attr in foreign {
            if !config.attr(attr).is_null() {
                diags.error_at(
                    Path::root(attr),
                    "Attribute does not apply to this engine",
                    format!("`{attr}` does not apply to engine {engine:?}."),
                );
            }
        }
        if let Some(plan) = config.attr("plan").as_str() {
            if !plans.contains(&plan) {
                diags.warning_at(
                    Path::root("plan"),
                    "Unusual value for plan",
                    format!("{plan:?} is not a {engine} plan this provider knows ({}). It is passed to the API as is.", plans.join(", ")),
                );
            }
        }
    }

    fn modify_plan(&self, ctx: &mut PlanContext<'_>) {
        if ctx.prior.is_null() || ctx.planned.is_null() || engine_of(ctx.prior) != Engine::Postgres
        {
            return;
        }
        if let (Some(a), Some(b)) = (
            major(ctx.prior.attr("version")),
            major(ctx.planned.attr("version")),
        ) {
            if b > a {
                ctx.diags.error_at(
                    Path::root("version"),
                    "Postgres upgrades are not available through the API",
                    format!("Render's public API cannot upgrade Postgres {a} to {b} in place. Upgrade it in the Render dashboard, then set version = \"{b}\"."),
                );
            }
        }
    }

    async fn create(&self, ctx: &Ctx, plan: &Value, _config: &Value) -> ApplyResult {
        let client = match ctx.client::<RenderClient>() {
            Ok(c) => c,
            Err(d) => return ApplyResult::failed(Value::Null, d),
        };
        let engine = engine_of(plan);
        let db = match client
            .create_database(engine, post_body(plan, client.owner_id()))
            .await
        {
            Ok(db) => db,
            Err(e) if e.is_ambiguous() => match adopt(client, engine, plan).await {
                Some(db) => db,
                None => {
                    return ApplyResult::failed(
                        Value::Null,
                        api_diag("Failed to create Render database", &e),
                    )
                }
            },
            Err(e) => {
                return ApplyResult::failed(
                    Value::Null,
                    api_diag("Failed to create Render database", &e),
                )
            }
        };
        let mut state = apply_database(plan.clone(), engine, &db);
        let limit = timeout(plan, "create", DEFAULT_CREATE_TIMEOUT);
        let db = match wait_available(ctx, client, engine, &db.id, limit).await {
            Ok(db) => db,
            Err(d) => return ApplyResult::failed(state, d),
        };
        state = apply_database(state, engine, &db);
        match client.connection_info(engine, &db.id).await {
            Ok(info) => ApplyResult::ok(apply_connection(state, engine, &info)),
            Err(e) => ApplyResult::failed(
                state,
                api_diag(
                    "Database created, but reading its connection info failed",
                    &e,
                ),
            ),
        }
    }

    async fn read(&self, ctx: &Ctx, state: &Value) -> Result<Value, Diagnostics> {
        let client = ctx.client::<RenderClient>()?;
        let id = s(state, "id").unwrap_or_default();
        let engine = state
            .attr("engine")
            .as_str()
            .and_then(Engine::parse)
            .or_else(|| Engine::from_id(&id))
            .unwrap_or(Engine::Postgres);
        let db = match client.get_database(engine, &id).await {
            Ok(db) => db,
            Err(e) if e.is_not_found() => return Ok(Value::Null),
            Err(e) => return Err(api_diag("Failed to read Render database", &e)),
        };
        let next = apply_database(state.clone(), engine, &db);
        if db.status != "available" {
            return Ok(next);
        }
        match client.connection_info(engine, &id).await {
            Ok(info) => Ok(apply_connection(next, engine, &info)),
            Err(e) if e.is_not_found() => Ok(Value::Null),
            Err(e) => Err(api_diag(
                "Failed to read Render database connection info",
                &e,
            )),
        }
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, plan: &Value, _config: &Value) -> ApplyResult {
        let client = match ctx.client::<RenderClient>() {
            Ok(c) => c,
            Err(d) => return ApplyResult::failed(prior.clone(), d),
        };
        let engine = engine_of(prior);
        let id = s(prior, "id").unwrap_or_default();
        let body = patch_body(plan);
        let result: Result<Option<Database>, ApiError> = if patch_body(prior) != body {
            client.update_database(engine, &id, body).await.map(Some)
        } else {
            Ok(None)
        };
        match result {
            Ok(Some(db)) => ApplyResult::ok(apply_database(plan.clone(), engine, &db)),
            Ok(None) => ApplyResult::ok(plan.clone()),
            Err(e) => ApplyResult::failed(
                prior.clone(),
                api_diag("Failed to update Render database", &e),
            ),
        }
    }

    async fn delete(&self, ctx: &Ctx, state: &Value) -> Diagnostics {
        let client = match ctx.client::<RenderClient>() {
            Ok(c) => c,
            Err(d) => return d,
        };
        match client
            .delete_database(engine_of(state), &s(state, "id").unwrap_or_default())
            .await
        {
            Ok(()) => Diagnostics::new(),
            Err(e) => api_diag("Failed to delete Render database", &e),
        }
    }

    fn import(&self, id: &str) -> Result<Value, Diagnostics> {
        let id = id.trim();
        let engine = Engine::from_id(id).filter(|_| super::service::is_render_id(id));
        let Some(engine) = engine else {
            return Err(Diagnostic::error(
                "Invalid import id",
                format!("Expected a Render Postgres id (\"dpg-…\") or Key Value id (\"red-…\"), got {id:?}."),
            )
            .at(Path::root("id"))
            .into());
        };
        Ok(Value::object([
            ("id", Value::string(id)),
            ("engine", Value::string(engine.name())),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_strings() {
        let p =
            parse_connection_string("postgresql://app:s3cret@dpg-abc-a/app_db").expect("parses");
        assert_eq!(
            (
                p.user.as_deref(),
                p.password.as_deref(),
                p.host.as_str(),
                p.port
            ),
            (Some("app"), Some("s3cret"), "dpg-abc-a", None)
        );
        let r = parse_connection_string("redis://red-xyz:6379").expect("parses");
        assert_eq!(
            (r.user, r.host.as_str(), r.port),
            (None, "red-xyz", Some(6379))
        );
        let r = parse_connection_string("rediss://default:pw@oregon-keyvalue.render.com:6379")
            .expect("parses");
        assert_eq!((r.password.as_deref(), r.port), (Some("pw"), Some(6379)));
        assert!(parse_connection_string("not a url").is_none());
    }

    #[test]
    fn version_majors() {
        assert_eq!(major(&Value::string("16")), Some(16));
        assert_eq!(major(&Value::string("8.1.4")), Some(8));
        assert_eq!(major(&Value::Unknown), None);
    }
}

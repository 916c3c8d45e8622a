//! `render_database`: a Render Postgres (`engine = "postgres"`) or Key Value (`engine =
//! "key_value"`, Redis-compatible) instance, and the `render_database` data source. Create waits
//! until `available` (so a service reading the connection string gets a usable one), then reads
//! the connection info (sensitive). Changes the API cannot make in place replace the instance;
//! import detects the engine from the id prefix. CRUD here is "call the client, map the answer";
//! the mapping and the orphan rule live in `model.rs`, the schemas in `schema.rs`. Must not
//! import the other Render resources' modules.
//!
//! Orphans (issue #19). Render database names are not unique, so a create whose answer was lost,
//! or a provider killed while waiting for `available`, would let the next apply bill a second
//! instance. Every create therefore first lists this engine's databases with the planned name, and
//! lists again after an ambiguous POST. It adopts exactly one namesake created less than an hour
//! ago with the planned plan (and the planned region and environment where the configuration sets
//! them); it stops, naming the id, its age and the `terraform import` command, when another
//! namesake younger than an hour exists; older namesakes are left alone.

mod model;
mod schema;

use std::time::Duration;

use async_trait::async_trait;

use self::model::{judge, major, DatabaseModel, Existing};
use self::schema::{DATADOG_KEY, KEY_VALUE_ONLY, POSTGRES_ONLY};
use super::client::databases::{Database, Engine};
use super::client::RenderClient;
use super::enums::{DATABASE_FAILED, KEY_VALUE_PLANS, POSTGRES_PLANS};
use super::overrides::{
    apply_log_stream_override, validate_log_stream_override, LogStreamOverrideModel,
};
use crate::clouds::http::ApiError;
use crate::clouds::support::{api_diag, when};
use crate::framework::apply::KeepPartial;
use crate::framework::data_source::exactly_one;
use crate::framework::orphan::{self, now_unix};
use crate::framework::{
    create_or_adopt, poll_until, Applied, ApplyCx, Create, Diagnostic, Diagnostics, ImportId, Path,
    PlanContext, Poll, Schema, TypedDataSource, TypedResource, Update, Val, Value, WaitSpec,
};

pub struct DatabaseResource;

const TYPE: &str = "render_database";
const DEFAULT_CREATE_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// A Render id whose prefix names an engine: `dpg-…` or `red-…`, then letters, digits, `-`, `_`.
fn database_id_error(f: &std::collections::BTreeMap<String, String>) -> Option<String> {
    let id = f.get("id").map(String::as_str).unwrap_or_default();
    let rest = id
        .strip_prefix("dpg-")
        .or_else(|| id.strip_prefix("red-"))
        .unwrap_or_default();
    let ok = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    (!ok).then(|| {
        "expected a Render Postgres id (\"dpg-…\") or Key Value id (\"red-…\")".to_string()
    })
}

/// Every database of `engine` named like the plan; a failed list is an error (creating blind
/// could bill a duplicate).
async fn namesakes(
    c: &RenderClient,
    engine: Engine,
    m: &DatabaseModel,
) -> Result<Vec<Database>, ApiError> {
    c.find_databases_by_name(engine, m.name.as_deref().unwrap_or_default())
        .await
}

/// The orphan rule applied to what the list shows: `Ok(Some)` adopt, `Ok(None)` create.
fn decide(plan: &DatabaseModel, found: &[Database]) -> Result<Option<Database>, Diagnostics> {
    match judge(plan, found, now_unix()) {
        Existing::Create => Ok(None),
        Existing::Adopt(db) => {
            tracing::info!(
                id = db.id,
                "adopting the database a lost or interrupted create made"
            );
            Ok(Some(db.clone()))
        }
        Existing::Refuse(db, age) => Err(orphan::already_exists(
            TYPE,
            plan.name.as_deref().unwrap_or_default(),
            &db.id,
            age,
            "paasform adopts a namesake only when exactly one was created within the last hour with the same plan (and region and environment, where set); Render names are not unique, so creating another would bill a second instance.",
            "name",
        )
        .into()),
    }
}

/// Poll until `available`; a failed status ends the wait.
async fn wait_available(
    c: &RenderClient,
    cx: &ApplyCx,
    engine: Engine,
    id: &str,
    limit: Duration,
) -> Result<Database, Diagnostics> {
    let mut spec = WaitSpec::new(format!("Render database {id}"), "timeouts.create", limit);
    spec.max_delay = Duration::from_secs(15);
    poll_until(&cx.stop, &spec, || async {
        let db = c
            .get_database(engine, id)
            .await
            .map_err(|e| api_diag("Failed to read Render database while waiting", &e))?;
        if db.status == "available" {
            return Ok(Poll::Ready(db));
        }
        if DATABASE_FAILED.contains(&db.status.as_str()) {
            return Err(Diagnostic::error(
                "Render database did not become available",
                format!("{id} has status {}.", db.status),
            )
            .into());
        }
        Ok(Poll::Pending(db.status))
    })
    .await
}

/// The state with connection info, or `None` when the database is gone.
async fn refresh(
    c: &RenderClient,
    base: &DatabaseModel,
    id: &str,
) -> Result<Option<DatabaseModel>, Diagnostics> {
    let engine = base.engine();
    // The log stream override is read only when managed (or imported), beside the instance.
    let managed = !base.log_stream_override.is_null();
    let (db, logs) = tokio::join!(
        c.get_database(engine, id),
        when(managed, || c.get_resource_log_stream(id))
    );
    let db = match db {
        Ok(db) => db,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(api_diag("Failed to read Render database", &e)),
    };
    let mut next = DatabaseModel::from_api(&db, engine, base);
    let logs = logs.map_err(|e| api_diag("Failed to read the Render log stream override", &e))?;
    if let Some(s) = logs {
        next.log_stream_override =
            LogStreamOverrideModel::from_api(s.as_ref(), &base.log_stream_override);
    }
    if db.status != "available" {
        return Ok(Some(next));
    }
    match c.connection_info(engine, id).await {
        Ok(info) => Ok(Some(next.with_connection(engine, &info))),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(api_diag(
            "Failed to read Render database connection info",
            &e,
        )),
    }
}

#[async_trait]
impl TypedResource for DatabaseResource {
    type Model = DatabaseModel;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = TYPE;

    fn move_sources(&self) -> Vec<crate::framework::MoveSource> {
        super::moves::database_sources()
    }

    fn schema(&self) -> Schema {
        schema::resource()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let engine = config.attr("engine");
        let engine = if engine.is_null() {
            Some("postgres")
        } else {
            engine.as_str()
        };
        DATADOG_KEY.validate(config, &Path::empty(), diags);
        validate_log_stream_override(config, diags);
        for attr in ["datadog_api_key", "datadog_site"] {
            if config
                .attr(attr)
                .as_str()
                .is_some_and(|v| v.trim().is_empty())
            {
                diags.error_at(
                    Path::root(attr),
                    "Empty value",
                    format!("`{attr}` must not be blank: remove it to unset it."),
                );
            }
        }
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
        if ctx.prior.is_null()
            || ctx.planned.is_null()
            || ctx
                .prior
                .attr("engine")
                .as_str()
                .is_some_and(|e| e != "postgres")
        {
            return;
        }
        if let (Some(a), Some(b)) = (
            major(ctx.prior.attr("version").as_str()),
            major(ctx.planned.attr("version").as_str()),
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

    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<id>"])
            .check(database_id_error)
            .read_in_full(&[super::overrides::LOG_STREAM_OVERRIDE])
    }

    async fn create(
        &self,
        c: &RenderClient,
        op: Create<DatabaseModel>,
        cx: &ApplyCx,
    ) -> Applied<DatabaseModel> {
        let plan = op.plan;
        let engine = plan.engine();
        let summary = "Failed to create Render database";
        let found = namesakes(c, engine, &plan)
            .await
            .map_err(|e| api_diag("Failed to look for an existing Render database", &e))?;
        let db = match decide(&plan, &found)? {
            Some(db) => db,
            None => {
                let input = plan.to_create_request(c.owner_id(), &op.config);
                create_or_adopt(summary, c.create_database(&input), || async {
                    let found = namesakes(c, engine, &plan).await?;
                    // A refusal here means "not safely ours": report the create's error.
                    Ok(decide(&plan, &found).ok().flatten())
                })
                .await?
            }
        };
        let state = DatabaseModel::from_api(&db, engine, &plan);
        let limit = plan.create_timeout(DEFAULT_CREATE_TIMEOUT);
        let db = wait_available(c, cx, engine, &db.id, limit)
            .await
            .keep(state.clone())?;
        let state = DatabaseModel::from_api(&db, engine, &state);
        let overridden = &plan.log_stream_override;
        apply_log_stream_override(
            c,
            &db.id,
            &Val::Null,
            overridden,
            &op.config.log_stream_override,
        )
        .await
        .map_err(|e| {
            api_diag(
                "Database created, but setting its log stream override failed",
                &e,
            )
        })
        .keep(state.clone())?;
        let info = c.connection_info(engine, &db.id).await.map_err(|e| {
            api_diag(
                "Database created, but reading its connection info failed",
                &e,
            )
        });
        Ok(state.clone().with_connection(engine, &info.keep(state)?))
    }

    async fn read(
        &self,
        c: &RenderClient,
        state: DatabaseModel,
        _cx: &ApplyCx,
    ) -> Result<Option<DatabaseModel>, Diagnostics> {
        let id = state.id.required("id")?.to_string();
        refresh(c, &state, &id).await
    }

    async fn update(
        &self,
        c: &RenderClient,
        op: Update<DatabaseModel>,
        _cx: &ApplyCx,
    ) -> Applied<DatabaseModel> {
        let id = op.prior.id.required("id")?;
        if op.plan.environment_id != op.prior.environment_id {
            // A move between environments is in place: the instance is never destroyed.
            let (from, to) = (
                op.prior.environment_id.known(),
                op.plan.environment_id.known(),
            );
            c.move_to_environment(id, from.map(String::as_str), to.map(String::as_str))
                .await
                .map_err(|e| api_diag("Failed to move Render database to its environment", &e))?;
        }
        apply_log_stream_override(
            c,
            id,
            &op.prior.log_stream_override,
            &op.plan.log_stream_override,
            &op.config.log_stream_override,
        )
        .await
        .map_err(|e| api_diag("Failed to update the Render log stream override", &e))?;
        let Some(input) = op.plan.to_update_request(&op.prior, &op.config) else {
            return Ok(op.plan);
        };
        let db = c
            .update_database(id, &input)
            .await
            .map_err(|e| api_diag("Failed to update Render database", &e))?;
        Ok(DatabaseModel::from_api(&db, op.prior.engine(), &op.plan))
    }

    async fn delete(
        &self,
        c: &RenderClient,
        state: DatabaseModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        c.delete_database(state.engine(), state.id.required("id")?)
            .await
            .map_err(|e| api_diag("Failed to delete Render database", &e))
    }
}

/// The `render_database` data source: one instance by `id`, or by `name` and `engine`.
pub struct DatabaseDataSource;

#[async_trait]
impl TypedDataSource for DatabaseDataSource {
    type Model = DatabaseModel;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = TYPE;

    fn schema(&self) -> Schema {
        schema::data_source()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let (id, name) = (config.attr("id"), config.attr("name"));
        if id.is_unknown() || name.is_unknown() {
            return;
        }
        match (id.as_str(), name.as_str()) {
            (Some(_), Some(_)) => diags.error_at(
                Path::root("name"),
                "Conflicting lookup",
                "Set exactly one of `id` and `name`, not both.",
            ),
            (None, None) => diags.error_at(
                Path::root("id"),
                "Missing lookup",
                "Set exactly one of `id` (`dpg-…` or `red-…`) and `name`.",
            ),
            (Some(id), None) => {
                let fields = [("id".to_string(), id.to_string())].into();
                if let Some(msg) = database_id_error(&fields) {
                    diags.error_at(Path::root("id"), "Invalid id", format!("{id:?}: {msg}."));
                } else if let (Some(e), Some(by_id)) =
                    (config.attr("engine").as_str(), Engine::from_id(id))
                {
                    if e != by_id.name() {
                        diags.error_at(
                            Path::root("engine"),
                            "Engine does not match the id",
                            format!("{id:?} is a {} id, not {e:?}.", by_id.name()),
                        );
                    }
                }
            }
            (None, Some(n)) if n.trim().is_empty() => diags.error_at(
                Path::root("name"),
                "Empty name",
                "`name` must not be empty.",
            ),
            (None, Some(_)) => {}
        }
    }

    async fn read(
        &self,
        c: &RenderClient,
        config: DatabaseModel,
        _cx: &ApplyCx,
    ) -> Result<DatabaseModel, Diagnostics> {
        let (id, base) = match config.id.as_deref() {
            Some(id) => (id.to_string(), config.clone()),
            None => {
                let engine = config.engine();
                let name = config.name.as_deref().unwrap_or_default();
                let found = c
                    .find_databases_by_name(engine, name)
                    .await
                    .map_err(|e| api_diag("Failed to list Render databases", &e))?;
                let what = format!("Render {} database named {name:?}", engine.name());
                let db = exactly_one(found, &what)?;
                let base = DatabaseModel {
                    engine: Val::Known(engine.name().to_string()),
                    ..config.clone()
                };
                (db.id, base)
            }
        };
        refresh(c, &base, &id).await?.ok_or_else(|| {
            Diagnostic::error(
                "Not found",
                format!("No Render database {id} exists (or the credentials cannot see it)."),
            )
            .into()
        })
    }
}

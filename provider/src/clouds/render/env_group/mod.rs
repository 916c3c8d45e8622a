//! `render_env_group` and its data source: a Render env group's name, environment, variables and
//! secret files. An update writes only the keys that changed (one PUT or DELETE per key, the
//! API's granularity), moves the group between environments in place through the environment
//! resources endpoints, and sends write-only values when their version changes. CRUD here is
//! "call the client, map the answer"; the mapping lives in `model.rs`, the schemas in
//! `schema.rs`. Must not import the other Render resources' modules.

mod model;
mod schema;

use std::collections::BTreeMap;

use async_trait::async_trait;

use self::model::{EnvGroupData, EnvGroupModel};
use super::client::projects::EnvGroup;
use super::client::RenderClient;
use crate::clouds::support::api_diag;
use crate::framework::apply::KeepPartial;
use crate::framework::data_source::exactly_one;
use crate::framework::{
    create_or_adopt, Applied, ApplyCx, Create, Diagnostic, Diagnostics, ImportId, Path,
    PlanContext, Schema, TypedDataSource, TypedResource, Update, Value,
};

pub struct EnvGroupResource;

const TYPE: &str = "render_env_group";

/// `evg-` then letters, digits, `-` or `_`.
pub fn env_group_id_error(id: &str) -> Option<String> {
    let ok = id.strip_prefix("evg-").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    (!ok).then(|| "expected a Render env group id (\"evg-…\")".to_string())
}

fn import_check(f: &BTreeMap<String, String>) -> Option<String> {
    env_group_id_error(f.get("id").map(String::as_str).unwrap_or_default())
}

/// The group now, or `None` when it is gone.
async fn fetch(c: &RenderClient, id: &str) -> Result<Option<EnvGroup>, Diagnostics> {
    match c.get_env_group(id).await {
        Ok(g) => Ok(Some(g)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(api_diag("Failed to read Render env group", &e)),
    }
}

/// Key-level checks: exactly one of `value` / `generate_value = true`; a key in one map only; a
/// write-only map needs its version.
fn validate_keys(config: &Value, diags: &mut Diagnostics) {
    let vars = config
        .attr("env_vars")
        .entries()
        .cloned()
        .unwrap_or_default();
    for (key, v) in &vars {
        let (value, generate) = (v.attr("value"), v.attr("generate_value"));
        if value.is_unknown() || generate.is_unknown() {
            continue;
        }
        let generates = generate.as_bool() == Some(true);
        if value.is_null() == generates {
            continue;
        }
        // On the attribute that conflicts (or is missing), as render_service does.
        let wrong = if generate.is_null() {
            "value"
        } else {
            "generate_value"
        };
        diags.error_at(
            Path::root("env_vars").key(key).attr(wrong),
            "Invalid env var",
            format!("{key}: set exactly one of `value` and `generate_value = true`."),
        );
    }
    for (plain, wo, version) in [
        ("env_vars", "env_vars_wo", "env_vars_wo_version"),
        ("secret_files", "secret_files_wo", "secret_files_wo_version"),
    ] {
        let Some(wo_entries) = config.attr(wo).entries() else {
            continue;
        };
        for key in wo_entries.keys() {
            if !config.attr(plain).attr(key).is_null() {
                diags.error_at(
                    Path::root(wo).key(key),
                    "Key set twice",
                    format!("{key} is set in both `{plain}` and `{wo}`; one owner per key."),
                );
            }
        }
        if !wo_entries.is_empty() && config.attr(version).is_null() {
            diags.error_at(
                Path::root(version),
                "Missing version",
                format!("`{wo}` is write-only: set `{version}` and change it to send new values."),
            );
        }
    }
}

#[async_trait]
impl TypedResource for EnvGroupResource {
    type Model = EnvGroupModel;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = TYPE;

    fn move_sources(&self) -> Vec<crate::framework::MoveSource> {
        super::moves::env_group_sources()
    }

    fn schema(&self) -> Schema {
        schema::resource()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_keys(config, diags);
    }

    /// A generated value stays what Render generated while `generate_value` stays true (the
    /// generic pipeline marks every nested computed value unknown on any change).
    fn modify_plan(&self, ctx: &mut PlanContext<'_>) {
        let Some(prior) = ctx.prior.attr("env_vars").entries().cloned() else {
            return;
        };
        let mut planned = ctx.planned.attr("env_vars").clone();
        let Some(entries) = planned.entries_mut() else {
            return;
        };
        for (key, e) in entries.iter_mut() {
            let Some(old) = prior.get(key) else { continue };
            let both_generate = e.attr("generate_value").as_bool() == Some(true)
                && old.attr("generate_value").as_bool() == Some(true);
            if both_generate && e.attr("value").is_unknown() {
                e.set_attr("value", old.attr("value").clone());
            }
        }
        ctx.planned.set_attr("env_vars", planned);
    }

    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<id>"])
            .check(import_check)
            .read_in_full(&["env_vars", "secret_files"])
    }

    async fn create(
        &self,
        c: &RenderClient,
        op: Create<EnvGroupModel>,
        _cx: &ApplyCx,
    ) -> Applied<EnvGroupModel> {
        let req = op.plan.to_create_request(&op.config, c.owner_id());
        let g = create_or_adopt(
            "Failed to create Render env group",
            c.create_env_group(&req),
            || async {
                let found = c.find_env_groups_by_name(&req.name).await?;
                let same_env: Vec<EnvGroup> = found
                    .into_iter()
                    .filter(|g| g.environment_id == req.environment_id)
                    .collect();
                match same_env.as_slice() {
                    [one] => c.get_env_group(&one.id).await.map(Some),
                    _ => Ok(None),
                }
            },
        )
        .await?;
        Ok(EnvGroupModel::from_api(&g, &op.plan))
    }

    async fn read(
        &self,
        c: &RenderClient,
        state: EnvGroupModel,
        _cx: &ApplyCx,
    ) -> Result<Option<EnvGroupModel>, Diagnostics> {
        let id = state.id.required("id")?.to_string();
        Ok(fetch(c, &id)
            .await?
            .map(|g| EnvGroupModel::from_api(&g, &state)))
    }

    async fn update(
        &self,
        c: &RenderClient,
        op: Update<EnvGroupModel>,
        _cx: &ApplyCx,
    ) -> Applied<EnvGroupModel> {
        let id = op.prior.id.required("id")?.to_string();
        let prior = op.prior.clone();
        let step = |e| api_diag("Failed to update Render env group", &e);
        if let Some(name) = op
            .plan
            .name
            .known()
            .filter(|n| op.prior.name.known() != Some(*n))
        {
            c.rename_env_group(&id, name)
                .await
                .map_err(step)
                .keep(prior.clone())?;
        }
        if op.plan.environment_id != op.prior.environment_id {
            let (from, to) = (
                op.prior.environment_id.known(),
                op.plan.environment_id.known(),
            );
            c.move_to_environment(&id, from.map(String::as_str), to.map(String::as_str))
                .await
                .map_err(step)
                .keep(prior.clone())?;
        }
        let w = op.plan.writes(&op.prior, &op.config);
        for (key, value) in &w.put_vars {
            c.put_env_group_var(&id, key, value)
                .await
                .map_err(step)
                .keep(prior.clone())?;
        }
        for key in &w.delete_vars {
            c.delete_env_group_var(&id, key)
                .await
                .map_err(step)
                .keep(prior.clone())?;
        }
        for (name, content) in &w.put_files {
            c.put_env_group_file(&id, name, content)
                .await
                .map_err(step)
                .keep(prior.clone())?;
        }
        for name in &w.delete_files {
            c.delete_env_group_file(&id, name)
                .await
                .map_err(step)
                .keep(prior.clone())?;
        }
        match fetch(c, &id).await.keep(prior)? {
            Some(g) => Ok(EnvGroupModel::from_api(&g, &op.plan)),
            None => Err(Diagnostic::error(
                "Render env group disappeared",
                format!("Env group {id} was deleted outside Terraform during the update."),
            )
            .into()),
        }
    }

    async fn delete(
        &self,
        c: &RenderClient,
        state: EnvGroupModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        c.delete_env_group(state.id.required("id")?)
            .await
            .map_err(|e| api_diag("Failed to delete Render env group", &e))
    }
}

/// The `render_env_group` data source: one group by `id`, or by `name`.
pub struct EnvGroupDataSource;

#[async_trait]
impl TypedDataSource for EnvGroupDataSource {
    type Model = EnvGroupData;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = TYPE;

    fn schema(&self) -> Schema {
        schema::data_source()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        super::lookup::id_or_name(config, diags, "`evg-…`", env_group_id_error);
    }

    async fn read(
        &self,
        c: &RenderClient,
        config: EnvGroupData,
        _cx: &ApplyCx,
    ) -> Result<EnvGroupData, Diagnostics> {
        let id = match config.id.as_deref() {
            Some(id) => id.to_string(),
            None => {
                let name = config.name.as_deref().unwrap_or_default();
                let found = c
                    .find_env_groups_by_name(name)
                    .await
                    .map_err(|e| api_diag("Failed to list Render env groups", &e))?;
                exactly_one(found, &format!("Render env group named {name:?}"))?.id
            }
        };
        match fetch(c, &id).await? {
            Some(g) => Ok(EnvGroupData::from_api(&g)),
            None => Err(Diagnostic::error(
                "Not found",
                format!("No Render env group {id} exists (or the credentials cannot see it)."),
            )
            .into()),
        }
    }
}

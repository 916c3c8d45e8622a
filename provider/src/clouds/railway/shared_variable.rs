//! `railway_shared_variable`: one shared (environment-level) variable, which every service of the
//! environment can reference as `${{shared.NAME}}`. The value comes from `value` (sensitive, kept
//! in state) or from the write-only `value_wo` (never in state or plan; sent at create and when
//! `value_wo_version` changes). Model, pure mapping and CRUD in one file; must not import protocol.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::models::{SharedVariableDeleteInput, SharedVariableUpsertInput};
use super::client::RailwayClient;
use super::environment::id_validator;
use super::railway_ids;
use super::service::schema::variable_name_error;
use crate::clouds::support::api_diag;
use crate::framework::rules::Validator;
use crate::framework::validate::conflicting;
use crate::framework::{
    Applied, ApplyCx, Attribute, Create, Diagnostic, Diagnostics, Identity, ImportId, Path, Schema,
    TypedResource, Update, Val, Value,
};

pub struct SharedVariableResource;

/// `railway_shared_variable` state. `Val`s for what an import's partial state may lack.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SharedVariableModel {
    pub id: Val<String>,
    pub project_id: Val<String>,
    pub environment_id: Val<String>,
    pub name: Val<String>,
    /// Known in state only when the configuration manages the value through it (or after an
    /// import, which reads it).
    pub value: Val<String>,
    /// Write-only: only the configuration holds it; plan and state hold null.
    pub value_wo: Option<String>,
    pub value_wo_version: Option<i64>,
}

fn name_validator() -> Validator {
    Validator::string(
        "A variable name: letters, digits and '_', not starting with a digit.",
        variable_name_error,
    )
}

pub(crate) fn schema() -> Schema {
    Schema::new(
        "A shared variable of one Railway environment: every service there can reference it as `${{shared.NAME}}`. \
Exactly one of `value` (sensitive, stored in state) and the write-only `value_wo` (never stored; sent at create and \
whenever `value_wo_version` changes). Changing the project, environment or name replaces it. Railway's API cannot \
read a write-only value back, so a change made outside Terraform to a `value_wo` variable is not detected (deleting \
it is).",
        vec![
            Attribute::string("id").computed().keep_state().description("The variable's name (a shared variable is named by project, environment and name)."),
            Attribute::string("project_id").required().replace().validate(id_validator()).description("The project the variable belongs to."),
            Attribute::string("environment_id").required().replace().validate(id_validator()).description("The environment whose services share the variable."),
            Attribute::string("name").required().replace().validate(name_validator()).description("The variable name (letters, digits and `_`, not starting with a digit)."),
            Attribute::string("value").optional().sensitive().description("The value, stored in state (sensitive). Conflicts with `value_wo`."),
            Attribute::string("value_wo").optional().write_only().sensitive().description("Write-only value (Terraform ≥ 1.11): never stored in state or plan. Sent at create and whenever `value_wo_version` changes. Conflicts with `value`."),
            Attribute::int("value_wo_version").optional().description("Change this number to send `value_wo` again (e.g. after rotating the secret)."),
        ],
    )
}

impl SharedVariableModel {
    /// The state after reading the environment's shared variables (pure): `None` when the
    /// variable is gone. `value` follows the API only where it was managed or is being imported
    /// (unknown); a write-only variable keeps null.
    pub fn from_api(
        mut self,
        vars: &std::collections::BTreeMap<String, String>,
    ) -> Option<SharedVariableModel> {
        let name = self.name.known()?.clone();
        let api = vars.get(&name)?;
        if self.value.is_known() || self.value.is_unknown() {
            self.value = Val::Known(api.clone());
        }
        self.id = Val::Known(name);
        Some(self)
    }

    /// The request that sets the variable: `value`, else the configuration's `value_wo`.
    pub fn to_upsert_input(
        &self,
        config: &SharedVariableModel,
    ) -> Result<SharedVariableUpsertInput, Diagnostics> {
        let value = self
            .value
            .known()
            .cloned()
            .or_else(|| config.value_wo.clone())
            .ok_or_else(|| {
                Diagnostics::from(
                    Diagnostic::error(
                        "Missing variable value",
                        "Set exactly one of `value` and `value_wo`.",
                    )
                    .at(Path::root("value")),
                )
            })?;
        Ok(SharedVariableUpsertInput {
            project_id: self.project_id.required("project_id")?.to_string(),
            environment_id: self.environment_id.required("environment_id")?.to_string(),
            name: self.name.required("name")?.to_string(),
            value,
        })
    }

    /// Whether an update must send the value again: `value` changed, or the write-only version
    /// moved.
    pub fn needs_write(&self, prior: &SharedVariableModel) -> bool {
        self.value != prior.value || self.value_wo_version != prior.value_wo_version
    }

    fn to_delete_input(&self) -> Result<SharedVariableDeleteInput, Diagnostics> {
        Ok(SharedVariableDeleteInput {
            project_id: self.project_id.required("project_id")?.to_string(),
            environment_id: self.environment_id.required("environment_id")?.to_string(),
            name: self.name.required("name")?.to_string(),
        })
    }
}

#[async_trait]
impl TypedResource for SharedVariableResource {
    type Model = SharedVariableModel;
    type Client = RailwayClient;
    const TYPE_NAME: &'static str = "railway_shared_variable";

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        conflicting(config, &["value", "value_wo"], diags);
        if config.attr("value").is_null() && config.attr("value_wo").is_null() {
            diags.error_at(
                Path::root("value"),
                "Missing variable value",
                "Set exactly one of `value` and `value_wo` (write-only, never stored).",
            );
        }
    }

    /// `<project_id>/<environment_id>/<name>`; the value is read (an import cannot know whether
    /// the configuration uses `value_wo`: the next apply then sends it once and forgets it).
    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<project_id>/<environment_id>/<name>"])
            .id_from("name")
            .read_in_full(&["value"])
            .check(railway_ids)
    }

    fn identity(&self) -> Identity {
        Identity::new(&["project_id", "environment_id", "name"])
    }

    async fn create(
        &self,
        c: &RailwayClient,
        op: Create<SharedVariableModel>,
        _cx: &ApplyCx,
    ) -> Applied<SharedVariableModel> {
        let input = op.plan.to_upsert_input(&op.config)?;
        // variableUpsert would silently take over a variable someone else set: refuse instead.
        let existing = c
            .shared_variables(&input.project_id, &input.environment_id)
            .await
            .map_err(|e| api_diag("Failed to read Railway shared variables", &e))?;
        if existing.contains_key(&input.name) {
            return Err(Diagnostic::error(
                "Railway shared variable already exists",
                format!(
                    "The environment already has a shared variable {:?}; nothing was changed. Import it \
(`terraform import <address> {}/{}/{}`) to manage it here.",
                    input.name, input.project_id, input.environment_id, input.name
                ),
            )
            .at(Path::root("name"))
            .into());
        }
        c.upsert_shared_variable(&input)
            .await
            .map_err(|e| api_diag("Failed to set Railway shared variable", &e))?;
        let mut state = op.plan;
        state.id = Val::Known(input.name);
        Ok(state)
    }

    async fn read(
        &self,
        c: &RailwayClient,
        state: SharedVariableModel,
        _cx: &ApplyCx,
    ) -> Result<Option<SharedVariableModel>, Diagnostics> {
        let project = state.project_id.required("project_id")?;
        let env = state.environment_id.required("environment_id")?;
        match c.shared_variables(project, env).await {
            Ok(vars) => Ok(state.from_api(&vars)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(api_diag("Failed to read Railway shared variables", &e)),
        }
    }

    async fn update(
        &self,
        c: &RailwayClient,
        op: Update<SharedVariableModel>,
        _cx: &ApplyCx,
    ) -> Applied<SharedVariableModel> {
        let mut plan = op.plan;
        if plan.needs_write(&op.prior) {
            let input = plan.to_upsert_input(&op.config)?;
            c.upsert_shared_variable(&input)
                .await
                .map_err(|e| api_diag("Failed to set Railway shared variable", &e))?;
        }
        plan.id = op.prior.id;
        Ok(plan)
    }

    async fn delete(
        &self,
        c: &RailwayClient,
        state: SharedVariableModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        c.delete_shared_variable(&state.to_delete_input()?)
            .await
            .map_err(|e| api_diag("Failed to delete Railway shared variable", &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn model(value: Val<String>, wo: Option<&str>, version: Option<i64>) -> SharedVariableModel {
        SharedVariableModel {
            id: Val::Null,
            project_id: Val::Known("p1".into()),
            environment_id: Val::Known("e1".into()),
            name: Val::Known("API_KEY".into()),
            value,
            value_wo: wo.map(str::to_string),
            value_wo_version: version,
        }
    }

    #[test]
    fn write_only_values_never_reach_state() {
        let vars = BTreeMap::from([("API_KEY".to_string(), "s3cret".to_string())]);
        let read = model(Val::Null, None, Some(1))
            .from_api(&vars)
            .expect("found");
        assert_eq!(read.value, Val::Null);
        assert_eq!(read.id, Val::Known("API_KEY".into()));
        let managed = model(Val::Known("old".into()), None, None)
            .from_api(&vars)
            .expect("found");
        assert_eq!(managed.value, Val::Known("s3cret".into()), "drift is seen");
        assert!(model(Val::Null, None, None)
            .from_api(&BTreeMap::new())
            .is_none());
    }

    #[test]
    fn the_upsert_takes_value_or_the_configured_write_only_value() {
        let plan = model(Val::Null, None, Some(1));
        let config = model(Val::Null, Some("wo-secret"), Some(1));
        assert_eq!(
            plan.to_upsert_input(&config).expect("input").value,
            "wo-secret"
        );
        assert!(plan.to_upsert_input(&plan).is_err());
        let plain = model(Val::Known("v".into()), None, None);
        assert_eq!(plain.to_upsert_input(&plain).expect("input").value, "v");
        assert!(model(Val::Null, None, Some(2)).needs_write(&plan));
        assert!(!plan.needs_write(&plan));
    }
}

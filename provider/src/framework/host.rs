//! The host: one provider's resources behind the operations Terraform asks for, in framework types.
//! The protocol layer decodes wire values against the schemas the host exposes, calls these
//! methods, and encodes the results. Must not import protocol or clouds.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use super::action::{Action, Progress};
use super::data_source::DataSource;
use super::diagnostics::{Diagnostic, Diagnostics};
use super::identity::IdentitySchema;
use super::list::{ListRequest, ListResource, Listed};
use super::plan::{self, PlanOutcome};
use super::resource::{ClientHandle, Ctx, EphemeralResource, Provider, Resource};
use super::schema::Schema;
use super::types::Type;
use super::validate::{refuse_empty_settings, validate_block};
use super::value::Value;
use crate::framework::path::Path;
use crate::stop::StopSignal;

pub struct Host {
    provider: Arc<dyn Provider>,
    provider_schema: Schema,
    resources: BTreeMap<String, (Arc<dyn Resource>, Schema)>,
    ephemerals: BTreeMap<String, (Arc<dyn EphemeralResource>, Schema)>,
    data_sources: BTreeMap<String, (Arc<dyn DataSource>, Schema)>,
    lists: BTreeMap<String, (Arc<dyn ListResource>, Schema)>,
    identities: BTreeMap<String, IdentitySchema>,
    actions: BTreeMap<String, (Arc<dyn Action>, Schema)>,
    client: RwLock<Option<ClientHandle>>,
    /// The provider block held unknown values at plan time: reads keep the prior state.
    deferred: RwLock<bool>,
    stop: StopSignal,
}

/// A stored object must carry its `id` (for resources whose schema has one).
fn stored_id(type_name: &str, schema: &Schema, state: &Value) -> Result<(), Diagnostics> {
    if schema.block.attribute("id").is_some() {
        super::apply::require_id(type_name, state, "id")?;
    }
    Ok(())
}

/// Does a raw state name top-level attributes the schema type does not have?
fn has_foreign_attributes(raw: &serde_json::Value, ty: &Type) -> bool {
    match (raw.as_object(), ty) {
        (Some(obj), Type::Object(attrs)) => obj.keys().any(|k| !attrs.contains_key(k)),
        _ => false,
    }
}

fn unknown_type(kind: &str, name: &str) -> Diagnostics {
    Diagnostic::error(
        format!("Unknown {kind} type"),
        format!("This provider has no {kind} named {name:?}."),
    )
    .into()
}

impl Host {
    pub fn new(provider: Arc<dyn Provider>) -> Host {
        let resources = provider
            .resources()
            .into_iter()
            .map(|r| (r.type_name().to_string(), (r.clone(), r.schema())))
            .collect();
        let ephemerals = provider
            .ephemeral_resources()
            .into_iter()
            .map(|r| (r.type_name().to_string(), (r.clone(), r.schema())))
            .collect();
        let data_sources = provider
            .data_sources()
            .into_iter()
            .map(|d| (d.type_name().to_string(), (d.clone(), d.schema())))
            .collect();
        let lists = provider
            .list_resources()
            .into_iter()
            .map(|l| (l.type_name().to_string(), (l.clone(), l.schema())))
            .collect();
        let identities = provider
            .resources()
            .into_iter()
            .filter_map(|r| Some((r.type_name().to_string(), r.identity_schema()?)))
            .collect();
        let actions = provider
            .actions()
            .into_iter()
            .map(|a| (a.type_name().to_string(), (a.clone(), a.schema())))
            .collect();
        Host {
            actions,
            provider_schema: provider.schema(),
            provider,
            resources,
            ephemerals,
            data_sources,
            lists,
            identities,
            client: RwLock::new(None),
            deferred: RwLock::new(false),
            stop: StopSignal::default(),
        }
    }

    pub fn name(&self) -> &'static str {
        self.provider.name()
    }
    pub fn provider_schema(&self) -> &Schema {
        &self.provider_schema
    }
    pub fn resource_schemas(&self) -> impl Iterator<Item = (&str, &Schema)> {
        self.resources.iter().map(|(k, (_, s))| (k.as_str(), s))
    }
    pub fn ephemeral_schemas(&self) -> impl Iterator<Item = (&str, &Schema)> {
        self.ephemerals.iter().map(|(k, (_, s))| (k.as_str(), s))
    }
    pub fn data_source_schemas(&self) -> impl Iterator<Item = (&str, &Schema)> {
        self.data_sources.iter().map(|(k, (_, s))| (k.as_str(), s))
    }
    pub fn data_source_schema(&self, type_name: &str) -> Option<&Schema> {
        self.data_sources.get(type_name).map(|(_, s)| s)
    }
    pub fn identity_schemas(&self) -> impl Iterator<Item = (&str, &IdentitySchema)> {
        self.identities.iter().map(|(k, s)| (k.as_str(), s))
    }
    pub fn identity_schema(&self, type_name: &str) -> Option<&IdentitySchema> {
        self.identities.get(type_name)
    }
    /// The identity of a state (null when the resource declares none or the state is null).
    pub fn identity_of(&self, type_name: &str, state: &Value) -> Value {
        self.identity_schema(type_name)
            .map_or(Value::Null, |s| s.project(state))
    }
    pub fn resource_schema(&self, type_name: &str) -> Option<&Schema> {
        self.resources.get(type_name).map(|(_, s)| s)
    }
    pub fn ephemeral_schema(&self, type_name: &str) -> Option<&Schema> {
        self.ephemerals.get(type_name).map(|(_, s)| s)
    }
    pub fn stop_signal(&self) -> StopSignal {
        self.stop.clone()
    }
    /// StopProvider: cancel in-flight waits and HTTP calls.
    pub fn stop(&self) {
        self.stop.stop();
    }

    fn ctx(&self) -> Ctx {
        let client = self.client.read().map(|c| c.clone()).unwrap_or(None);
        Ctx {
            client,
            stop: self.stop.clone(),
        }
    }

    fn resource(&self, type_name: &str) -> Result<&(Arc<dyn Resource>, Schema), Diagnostics> {
        self.resources
            .get(type_name)
            .ok_or_else(|| unknown_type("resource", type_name))
    }

    pub fn validate_provider_config(&self, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        validate_block(
            &self.provider_schema.block,
            config,
            &Path::empty(),
            &mut diags,
        );
        refuse_empty_settings(&self.provider_schema.block, config, &mut diags);
        self.provider.validate(config, &mut diags);
        diags
    }

    pub async fn configure(&self, config: &Value) -> Diagnostics {
        if config.contains_unknown() {
            // e.g. a token created earlier in the same apply: plan with what we have.
            if let Ok(mut d) = self.deferred.write() {
                *d = true;
            }
            return Diagnostics::new();
        }
        match self.provider.configure(config, self.stop.clone()).await {
            Ok(client) => {
                if let Ok(mut c) = self.client.write() {
                    *c = Some(client);
                }
                Diagnostics::new()
            }
            Err(d) => d,
        }
    }

    pub fn validate_resource_config(&self, type_name: &str, config: &Value) -> Diagnostics {
        let (res, schema) = match self.resource(type_name) {
            Ok(r) => r,
            Err(d) => return d,
        };
        let mut diags = Diagnostics::new();
        validate_block(&schema.block, config, &Path::empty(), &mut diags);
        res.validate(config, &mut diags);
        diags
    }

    /// Raw JSON state written by schema `version` → a value of the current schema type.
    pub fn upgrade_resource_state(
        &self,
        type_name: &str,
        version: i64,
        raw: serde_json::Value,
    ) -> (Value, Diagnostics) {
        let (res, schema) = match self.resource(type_name) {
            Ok(r) => r,
            Err(d) => return (Value::Null, d),
        };
        let upgraded = match res.upgrade_state(version, raw) {
            Ok(j) => j,
            Err(e) => {
                return (
                    Value::Null,
                    Diagnostic::error("Failed to upgrade resource state", e).into(),
                )
            }
        };
        // An official provider's type of the same name (render_env_group): Terraform switches
        // the provider without a `moved` block and hands us its state here. Its mapping runs
        // first, because such a state may also decode as ours while meaning something else
        // (`generate_value = false` where we store null); our own states carry attributes the
        // official schema lacks, so the mapping refuses them and they decode as they are.
        let same_name = res
            .move_sources()
            .into_iter()
            .find(|s| s.type_name == type_name && s.schema_versions.contains(&version));
        if let Some(source) = same_name {
            match super::moves::run(&source, type_name, &upgraded) {
                (Some(j), diags) => {
                    if let Ok(v) = Value::from_plain_json(&j, &schema.value_type()) {
                        return (v.conform(&schema.value_type()), diags);
                    }
                }
                // A refused state with attributes our schema lacks is not ours: decoding it
                // would drop them silently, so the mapping's reasons are the answer.
                (None, diags) if has_foreign_attributes(&upgraded, &schema.value_type()) => {
                    return (Value::Null, diags);
                }
                (None, _) => {}
            }
        }
        match Value::from_plain_json(&upgraded, &schema.value_type()) {
            Ok(v) => (v, Diagnostics::new()),
            Err(e) => (
                Value::Null,
                Diagnostic::error("Failed to decode resource state", e).into(),
            ),
        }
    }

    /// MoveResourceState: another provider's raw state → ours, through the target's move table.
    /// No network call (Terraform refreshes the moved object next).
    pub fn move_resource_state(
        &self,
        source_provider: &str,
        source_type: &str,
        source_version: i64,
        raw: &serde_json::Value,
        target_type: &str,
    ) -> (Value, Diagnostics) {
        let (res, schema) = match self.resource(target_type) {
            Ok(r) => r,
            Err(d) => return (Value::Null, d),
        };
        let sources = res.move_sources();
        let refuse = |summary: &str, detail: String| {
            (Value::Null, Diagnostic::error(summary, detail).into())
        };
        let accepted = || {
            let names: Vec<String> = sources
                .iter()
                .map(|s| format!("{}'s {}", s.provider, s.type_name))
                .collect();
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        };
        let Some(source) = sources.iter().find(|s| s.type_name == source_type) else {
            return refuse(
                "Move not supported",
                format!("{target_type} cannot take the state of {source_type:?} (from {source_provider}). It accepts moves from: {}. Remove the `moved` block and import the object instead.", accepted()),
            );
        };
        if !source.provider_matches(source_provider) {
            return refuse(
                "Move not supported",
                format!(
                    "{target_type} accepts {source_type} only from {}, not from {source_provider}.",
                    source.provider
                ),
            );
        }
        if !source.schema_versions.contains(&source_version) {
            return refuse(
                "Unsupported source schema version",
                format!("This {source_type} state was written with schema version {source_version}; paasform reads version {}. Run `terraform apply -refresh-only` with a {} release that writes that version first.", super::moves::versions_text(source.schema_versions), source.provider),
            );
        }
        let (mapped, mut diags) = super::moves::run(source, target_type, raw);
        let Some(mapped) = mapped else {
            return (Value::Null, diags);
        };
        match Value::from_plain_json(&mapped, &schema.value_type()) {
            Ok(v) => (v.conform(&schema.value_type()), diags),
            Err(e) => {
                diags.error(
                    "Failed to map moved state",
                    format!("The {source_type} state did not map onto {target_type}: {e}. This is a bug in paasform's move table."),
                );
                (Value::Null, diags)
            }
        }
    }

    pub async fn read_resource(&self, type_name: &str, state: &Value) -> (Value, Diagnostics) {
        let (res, schema) = match self.resource(type_name) {
            Ok(r) => r,
            Err(d) => return (state.clone(), d),
        };
        if state.is_null() || self.deferred.read().map(|d| *d).unwrap_or(false) {
            return (state.clone(), Diagnostics::new());
        }
        if let Err(d) = stored_id(type_name, schema, state) {
            return (state.clone(), d);
        }
        match res.read(&self.ctx(), state).await {
            Ok(mut v) => {
                plan::null_write_only(&schema.block.attributes, &mut v);
                (
                    plan::strip_unknown(v).conform(&schema.value_type()),
                    Diagnostics::new(),
                )
            }
            Err(d) => (state.clone(), d),
        }
    }

    pub fn plan_resource_change(
        &self,
        type_name: &str,
        prior: &Value,
        proposed: &Value,
        config: &Value,
    ) -> PlanOutcome {
        match self.resource(type_name) {
            Ok((res, schema)) => {
                let mut out = plan::plan_change(res.as_ref(), schema, prior, proposed, config);
                // A provider setting the resource needs is checked here, not at apply.
                if !out.planned.is_null() && !out.diags.has_errors() {
                    res.check_configured(&self.ctx(), config, &mut out.diags);
                }
                out.planned = out.planned.conform(&schema.value_type());
                out
            }
            Err(d) => PlanOutcome {
                planned: proposed.clone(),
                requires_replace: Vec::new(),
                diags: d,
            },
        }
    }

    /// Dispatch on null-ness: planned null = delete, prior null = create, else update.
    pub async fn apply_resource_change(
        &self,
        type_name: &str,
        prior: &Value,
        planned: &Value,
        config: &Value,
    ) -> (Value, Diagnostics) {
        let (res, schema) = match self.resource(type_name) {
            Ok(r) => r,
            Err(d) => return (prior.clone(), d),
        };
        let ctx = self.ctx();
        if !prior.is_null() {
            // Before any call that builds a URL from the id: `DELETE …/services/` would 404 and
            // count as "already gone".
            if let Err(d) = stored_id(type_name, schema, prior) {
                return (prior.clone(), d);
            }
        }
        if planned.is_null() {
            let diags = res.delete(&ctx, prior).await;
            // A failed delete keeps the object in state.
            let state = if diags.has_errors() {
                prior.clone()
            } else {
                Value::Null
            };
            return (state, diags);
        }
        let result = if prior.is_null() {
            res.create(&ctx, planned, config).await
        } else {
            res.update(&ctx, prior, planned, config).await
        };
        let state = if result.state.is_null() && !prior.is_null() {
            prior.clone()
        } else if result.diags.has_errors() {
            // Partial state: keep what the resource returned, without forcing planned values.
            let mut s = plan::strip_unknown(result.state);
            plan::null_write_only(&schema.block.attributes, &mut s);
            s
        } else {
            plan::reconcile_with_plan(schema, planned, result.state)
        };
        (state.conform(&schema.value_type()), result.diags)
    }

    /// Import: the resource validates and splits the id with no network call, then Read fills
    /// the rest.
    pub async fn import_resource_state(&self, type_name: &str, id: &str) -> (Value, Diagnostics) {
        self.import_with(type_name, id, |res| res.import(id)).await
    }

    /// Import by resource identity (`import { identity = {…} }`): the identity goes through the
    /// same import table as an id.
    pub async fn import_resource_identity(
        &self,
        type_name: &str,
        identity: &Value,
    ) -> (Value, Diagnostics) {
        let what = format!("identity {}", identity.to_plain_json());
        self.import_with(type_name, &what, |res| res.import_identity(identity))
            .await
    }

    async fn import_with(
        &self,
        type_name: &str,
        id: &str,
        partial: impl FnOnce(&dyn Resource) -> Result<Value, Diagnostics>,
    ) -> (Value, Diagnostics) {
        let (res, _) = match self.resource(type_name) {
            Ok(r) => r,
            Err(d) => return (Value::Null, d),
        };
        let partial = match partial(res.as_ref()) {
            Ok(v) => v,
            Err(d) => return (Value::Null, d),
        };
        let (state, mut diags) = self.read_resource(type_name, &partial).await;
        if state.is_null() && !diags.has_errors() {
            diags.error(
                "Cannot import non-existent remote object",
                format!("No {type_name} with id {id:?} exists (or the credentials cannot see it)."),
            );
        }
        (state, diags)
    }

    pub fn validate_data_source_config(&self, type_name: &str, config: &Value) -> Diagnostics {
        let Some((ds, schema)) = self.data_sources.get(type_name) else {
            return unknown_type("data source", type_name);
        };
        let mut diags = Diagnostics::new();
        validate_block(&schema.block, config, &Path::empty(), &mut diags);
        ds.validate(config, &mut diags);
        diags
    }

    /// Read a data source. With a provider block still unknown (deferred), nothing can be looked
    /// up yet: Terraform gets an error only if it insists on reading during plan.
    pub async fn read_data_source(&self, type_name: &str, config: &Value) -> (Value, Diagnostics) {
        let Some((ds, schema)) = self.data_sources.get(type_name) else {
            return (Value::Null, unknown_type("data source", type_name));
        };
        match ds.read(&self.ctx(), config).await {
            Ok(v) => (
                plan::strip_unknown(v).conform(&schema.value_type()),
                Diagnostics::new(),
            ),
            Err(d) => (Value::Null, d),
        }
    }

    pub fn validate_ephemeral_config(&self, type_name: &str, config: &Value) -> Diagnostics {
        let Some((res, schema)) = self.ephemerals.get(type_name) else {
            return unknown_type("ephemeral resource", type_name);
        };
        let mut diags = Diagnostics::new();
        validate_block(&schema.block, config, &Path::empty(), &mut diags);
        res.validate(config, &mut diags);
        diags
    }

    pub async fn open_ephemeral(&self, type_name: &str, config: &Value) -> (Value, Diagnostics) {
        let Some((res, schema)) = self.ephemerals.get(type_name) else {
            return (Value::Null, unknown_type("ephemeral resource", type_name));
        };
        match res.open(&self.ctx(), config).await {
            Ok(v) => (
                plan::strip_unknown(v).conform(&schema.value_type()),
                Diagnostics::new(),
            ),
            Err(d) => (Value::Null, d),
        }
    }

    /// The private bytes of an opened result, handed back to [`Host::close_ephemeral`].
    pub fn ephemeral_private(
        &self,
        type_name: &str,
        config: &Value,
        result: &Value,
    ) -> Option<Vec<u8>> {
        let (res, _) = self.ephemerals.get(type_name)?;
        res.private(config, result)
    }

    pub async fn close_ephemeral(&self, type_name: &str, private: &[u8]) -> Diagnostics {
        let Some((res, _)) = self.ephemerals.get(type_name) else {
            return unknown_type("ephemeral resource", type_name);
        };
        res.close(&self.ctx(), private).await
    }

    pub fn list_schemas(&self) -> impl Iterator<Item = (&str, &Schema)> {
        self.lists.iter().map(|(k, (_, s))| (k.as_str(), s))
    }
    pub fn list_schema(&self, type_name: &str) -> Option<&Schema> {
        self.lists.get(type_name).map(|(_, s)| s)
    }

    /// ValidateListResourceConfig: the filters' own rules; no network call.
    pub fn validate_list_config(&self, type_name: &str, config: &Value) -> Diagnostics {
        let Some((l, schema)) = self.lists.get(type_name) else {
            return unknown_type("list resource", type_name);
        };
        let mut diags = Diagnostics::new();
        if !config.is_null() {
            validate_block(&schema.block, config, &Path::empty(), &mut diags);
            l.validate(config, &mut diags);
        } else {
            // No `config { }` block at all: a required filter is missing all the same.
            for a in &schema.block.attributes {
                if a.mode == super::schema::Mode::Required {
                    diags.error_at(
                        Path::root(&a.name),
                        "Missing required argument",
                        format!("The list needs `config {{ {} = … }}`.", a.name),
                    );
                }
            }
        }
        diags
    }

    /// The objects a list block names (identity and display name), all pages.
    pub async fn list_objects(
        &self,
        type_name: &str,
        config: &Value,
        req: ListRequest,
    ) -> Result<Vec<Listed>, Diagnostics> {
        let Some((l, _)) = self.lists.get(type_name) else {
            return Err(unknown_type("list resource", type_name));
        };
        let mut diags = self.validate_list_config(type_name, config);
        if diags.has_errors() {
            return Err(diags);
        }
        match l.list(&self.ctx(), config, req).await {
            Ok(found) => Ok(found),
            Err(d) => {
                diags.extend(d);
                Err(diags)
            }
        }
    }

    /// One listed object's identity (typed by the identity schema) and, when asked, its full
    /// state read the way `import { identity = … }` reads it.
    pub async fn listed_object(
        &self,
        type_name: &str,
        listed: &Listed,
        include_resource: bool,
    ) -> (Value, Option<Value>, Diagnostics) {
        let identity = match self.identity_schema(type_name) {
            Some(s) => listed.identity_value().conform(&s.value_type()),
            None => Value::Null,
        };
        if !include_resource {
            return (identity, None, Diagnostics::new());
        }
        let (state, diags) = self.import_resource_identity(type_name, &identity).await;
        if diags.has_errors() || state.is_null() {
            return (identity, None, diags);
        }
        (self.identity_of(type_name, &state), Some(state), diags)
    }

    /// GenerateResourceConfig: the configuration to write for a stored state.
    /// A generated configuration must validate: an optional+computed attribute the API reports
    /// but the configuration may not set in this combination (a Key Value instance's `version`)
    /// is left out, as the user would write it.
    pub fn generate_config(&self, type_name: &str, state: &Value) -> Result<Value, Diagnostics> {
        let (_, schema) = self.resource(type_name)?;
        let mut config =
            super::genconfig::config_from_state(&schema.block, state).conform(&schema.value_type());
        for _ in 0..schema.block.attributes.len() {
            let diags = self.validate_resource_config(type_name, &config);
            let refused: Vec<String> =
                diags
                    .iter()
                    .filter(|d| d.severity == super::diagnostics::Severity::Error)
                    .filter_map(|d| match d.path.as_ref()?.steps() {
                        [super::path::Step::Attr(a)] => Some(a.clone()),
                        _ => None,
                    })
                    .filter(|a| {
                        schema.block.attributes.iter().any(|x| {
                            &x.name == a && x.mode == super::schema::Mode::OptionalComputed
                        }) && !config.attr(a).is_null()
                    })
                    .collect();
            if refused.is_empty() {
                break;
            }
            for a in refused {
                config.set_attr(&a, Value::Null);
            }
        }
        Ok(config)
    }
}

/// Actions: validate, plan and invoke (Terraform ≥ 1.14).
impl Host {
    pub fn action_schemas(&self) -> impl Iterator<Item = (&str, &Schema)> {
        self.actions.iter().map(|(k, (_, s))| (k.as_str(), s))
    }
    pub fn action_schema(&self, type_name: &str) -> Option<&Schema> {
        self.actions.get(type_name).map(|(_, s)| s)
    }

    pub fn validate_action_config(&self, type_name: &str, config: &Value) -> Diagnostics {
        let Some((act, schema)) = self.actions.get(type_name) else {
            return unknown_type("action", type_name);
        };
        let mut diags = Diagnostics::new();
        validate_block(&schema.block, config, &Path::empty(), &mut diags);
        act.validate(config, &mut diags);
        diags
    }

    /// PlanAction: the attribute rules and the action's own checks again (the configuration
    /// may have gained known values since validation), still without a network call.
    pub fn plan_action(&self, type_name: &str, config: &Value) -> Diagnostics {
        let mut diags = self.validate_action_config(type_name, config);
        if let Some((act, _)) = self.actions.get(type_name) {
            if !diags.has_errors() {
                act.plan(config, &mut diags);
            }
        }
        diags
    }

    pub async fn invoke_action(
        &self,
        type_name: &str,
        config: &Value,
        progress: Progress<'_>,
    ) -> Diagnostics {
        let Some((act, _)) = self.actions.get(type_name) else {
            return unknown_type("action", type_name);
        };
        let diags = self.validate_action_config(type_name, config);
        if diags.has_errors() {
            return diags;
        }
        act.invoke(&self.ctx(), config, progress).await
    }
}

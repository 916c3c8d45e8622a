//! `render_registry_credential`: a username and token Render uses to pull private images
//! (`render_service.image.registry_credential_id`) and private Docker base images
//! (`render_service.docker.registry_credential_id`). The token is `auth_token` (sensitive, in
//! state) or `auth_token_wo` (write-only, never stored, sent again when `auth_token_wo_version`
//! changes); Render never answers it, so a read keeps what the state has. Every field updates in
//! place (the spec's PATCH takes all four, the token included). Create adopts the one credential
//! of the planned name after an ambiguous failure. The data source is in `data.rs`. Must not
//! import the other Render resources.

pub mod data;

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::registry::{RegistryCredential, RegistryCredentialRequest};
use super::client::RenderClient;
use super::is_render_id;
use crate::clouds::support::api_diag;
use crate::framework::rules::one_of;
use crate::framework::{
    create_or_adopt, Applied, ApplyCx, Attribute, Create, Diagnostic, Diagnostics, Identity,
    ImportId, Path, Schema, TypedResource, Update, Val, Value, WriteOnlySecret,
};

pub struct RegistryCredentialResource;

const TYPE: &str = "render_registry_credential";

/// The token: exactly one of the plain and the write-only one.
const TOKEN: WriteOnlySecret =
    WriteOnlySecret::required("auth_token", "auth_token_wo", "auth_token_wo_version");

/// `registryCredentialRegistry`.
pub const REGISTRIES: &[&str] = &["GITHUB", "GITLAB", "DOCKER", "GOOGLE_ARTIFACT", "AWS_ECR"];

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegistryCredentialModel {
    pub name: String,
    pub registry: String,
    pub username: String,
    pub auth_token: Option<String>,
    pub auth_token_wo: Option<String>,
    pub auth_token_wo_version: Option<i64>,
    pub id: Val<String>,
    pub updated_at: Val<String>,
}

impl RegistryCredentialModel {
    /// The request body; the token comes from the plan (`auth_token`) or, write-only, from the
    /// configuration. `None` when neither holds one (unknown until apply: not sent half-done).
    pub fn to_request(
        &self,
        config: &RegistryCredentialModel,
        owner_id: Option<&str>,
    ) -> Option<RegistryCredentialRequest> {
        let token = WriteOnlySecret::pick(self.auth_token.as_ref(), config.auth_token_wo.as_ref())?;
        Some(RegistryCredentialRequest {
            name: self.name.clone(),
            registry: self.registry.clone(),
            username: self.username.clone(),
            auth_token: token,
            owner_id: owner_id.map(str::to_string),
        })
    }

    /// Whether an update must PATCH: any field, the stored token or the write-only version moved.
    pub fn differs_from(&self, prior: &RegistryCredentialModel) -> bool {
        self.name != prior.name
            || self.registry != prior.registry
            || self.username != prior.username
            || self.auth_token != prior.auth_token
            || self.auth_token_wo_version != prior.auth_token_wo_version
    }

    /// `base` (a plan or the prior state) with what Render answered; the token and its version
    /// are never answered, so they stay as `base` has them; the write-only value is never stored.
    pub fn from_api(api: &RegistryCredential, base: &RegistryCredentialModel) -> Self {
        RegistryCredentialModel {
            name: api.name.clone(),
            registry: api.registry.clone(),
            username: api.username.clone(),
            auth_token: base.auth_token.clone(),
            auth_token_wo: None,
            auth_token_wo_version: base.auth_token_wo_version,
            id: Val::Known(api.id.clone()),
            updated_at: api.updated_at.clone().into(),
        }
    }
}

fn id_error(f: &BTreeMap<String, String>) -> Option<String> {
    bad_credential_id(f.get("id").map(String::as_str).unwrap_or_default())
}

/// Why `id` is not a registry credential id (`rgc-…`), or `None`.
pub fn bad_credential_id(id: &str) -> Option<String> {
    (!(id.starts_with("rgc-") && is_render_id(id)))
        .then(|| "expected a Render registry credential id such as \"rgc-abc123\"".to_string())
}

fn schema() -> Schema {
    Schema::new(
        "A Render registry credential: the username and token Render uses to pull a private image (`render_service.image.registry_credential_id`) or a private Docker base image (`render_service.docker.registry_credential_id`). Set exactly one of `auth_token` (stored in state, sensitive) and `auth_token_wo` (write-only, Terraform ≥ 1.11, with `auth_token_wo_version`). Render never returns the token: after an import, the first apply sends it once.",
        vec![
            Attribute::string("name").required().description("Credential name, unique in the workspace."),
            Attribute::string("registry").required().validate(one_of(REGISTRIES)).description(
                "The registry: `GITHUB`, `GITLAB`, `DOCKER`, `GOOGLE_ARTIFACT` or `AWS_ECR`.",
            ),
            Attribute::string("username").required().description("Registry username."),
            Attribute::string("auth_token").optional().sensitive().description(
                "Registry token or password (stored in state, sensitive).",
            ),
            Attribute::string("auth_token_wo").optional().write_only().sensitive().description(
                "Write-only registry token (Terraform ≥ 1.11): never stored; sent on create and with every update, and when `auth_token_wo_version` changes.",
            ),
            Attribute::int("auth_token_wo_version").optional().description(
                "Change it to send `auth_token_wo` again (required with `auth_token_wo`).",
            ),
            Attribute::string("id").computed().keep_state().description("Credential id (`rgc-…`)."),
            Attribute::string("updated_at").computed().description("Last update time (RFC 3339)."),
        ],
    )
}

fn validate(config: &Value, diags: &mut Diagnostics) {
    if config
        .attr("name")
        .as_str()
        .is_some_and(|n| n.trim().is_empty())
    {
        diags.error_at(
            Path::root("name"),
            "Empty name",
            "`name` must not be blank.",
        );
    }
    TOKEN.validate(config, &Path::empty(), diags);
}

fn missing_token() -> Diagnostics {
    Diagnostic::error(
        "Missing registry token",
        "The token is unknown: set `auth_token` or `auth_token_wo`.",
    )
    .into()
}

#[async_trait]
impl TypedResource for RegistryCredentialResource {
    type Model = RegistryCredentialModel;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = TYPE;

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate(config, diags);
    }

    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<id>"]).trimmed().check(id_error)
    }

    fn identity(&self) -> Identity {
        Identity::new(&["id"])
    }

    async fn create(
        &self,
        c: &RenderClient,
        op: Create<RegistryCredentialModel>,
        _cx: &ApplyCx,
    ) -> Applied<RegistryCredentialModel> {
        let plan = op.plan;
        let body = plan
            .to_request(&op.config, Some(c.owner_id()))
            .ok_or_else(missing_token)?;
        let summary = "Failed to create Render registry credential";
        let adopt = || async {
            let mut found = c.find_registry_credentials(&plan.name).await?;
            Ok((found.len() == 1).then(|| found.remove(0)))
        };
        let created = create_or_adopt(summary, c.create_registry_credential(&body), adopt).await?;
        Ok(RegistryCredentialModel::from_api(&created, &plan))
    }

    async fn read(
        &self,
        c: &RenderClient,
        state: RegistryCredentialModel,
        _cx: &ApplyCx,
    ) -> Result<Option<RegistryCredentialModel>, Diagnostics> {
        match c.get_registry_credential(state.id.required("id")?).await {
            Ok(api) => Ok(Some(RegistryCredentialModel::from_api(&api, &state))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(api_diag("Failed to read Render registry credential", &e)),
        }
    }

    async fn update(
        &self,
        c: &RenderClient,
        op: Update<RegistryCredentialModel>,
        _cx: &ApplyCx,
    ) -> Applied<RegistryCredentialModel> {
        let id = op.prior.id.required("id")?.to_string();
        if !op.plan.differs_from(&op.prior) {
            return Ok(RegistryCredentialModel::from_api(
                &RegistryCredential {
                    id,
                    name: op.plan.name.clone(),
                    registry: op.plan.registry.clone(),
                    username: op.plan.username.clone(),
                    updated_at: op.prior.updated_at.known().cloned(),
                },
                &op.plan,
            ));
        }
        let body = op
            .plan
            .to_request(&op.config, None)
            .ok_or_else(missing_token)?;
        let api = c
            .update_registry_credential(&id, &body)
            .await
            .map_err(|e| api_diag("Failed to update Render registry credential", &e))?;
        Ok(RegistryCredentialModel::from_api(&api, &op.plan))
    }

    async fn delete(
        &self,
        c: &RenderClient,
        state: RegistryCredentialModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        c.delete_registry_credential(state.id.required("id")?)
            .await
            .map_err(|e| api_diag("Failed to delete Render registry credential", &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_write_only_token_comes_from_the_configuration_and_is_never_kept() {
        let plan = RegistryCredentialModel {
            name: "ghcr".into(),
            registry: "GITHUB".into(),
            username: "bot".into(),
            auth_token_wo_version: Some(1),
            ..Default::default()
        };
        let config = RegistryCredentialModel {
            auth_token_wo: Some("ghp_secret".into()),
            ..plan.clone()
        };
        let body = plan.to_request(&config, Some("tea-1")).expect("a token");
        assert_eq!(body.auth_token, "ghp_secret");
        assert!(
            !format!("{body:?}").contains("ghp_secret"),
            "Debug hides it"
        );
        let api = RegistryCredential {
            id: "rgc-1".into(),
            name: "ghcr".into(),
            registry: "GITHUB".into(),
            username: "bot".into(),
            updated_at: None,
        };
        let state = RegistryCredentialModel::from_api(&api, &config);
        assert_eq!(state.auth_token_wo, None);
        assert_eq!(state.auth_token_wo_version, Some(1));
        assert!(plan.to_request(&plan, None).is_none(), "no token, no body");
    }
}

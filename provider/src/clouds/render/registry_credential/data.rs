//! The `render_registry_credential` data source: a registry credential of the workspace by id
//! (`rgc-…`) or by name, for `registry_credential_id` without managing the credential here. The
//! token is never answered, so it is not an attribute. Must not import the other Render modules.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::super::client::registry::RegistryCredential;
use super::super::client::RenderClient;
use super::bad_credential_id;
use crate::clouds::support::api_diag;
use crate::framework::data_source::exactly_one;
use crate::framework::{
    ApplyCx, Attribute, Diagnostic, Diagnostics, Schema, TypedDataSource, Val, Value,
};

pub struct RegistryCredentialDataSource;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegistryCredentialData {
    pub id: Val<String>,
    pub name: Val<String>,
    pub registry: Val<String>,
    pub username: Val<String>,
    pub updated_at: Val<String>,
}

impl RegistryCredentialData {
    pub fn from_api(c: RegistryCredential) -> Self {
        RegistryCredentialData {
            id: Val::Known(c.id),
            name: Val::Known(c.name),
            registry: Val::Known(c.registry),
            username: Val::Known(c.username),
            updated_at: c.updated_at.into(),
        }
    }
}

#[async_trait]
impl TypedDataSource for RegistryCredentialDataSource {
    type Model = RegistryCredentialData;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = "render_registry_credential";

    fn schema(&self) -> Schema {
        Schema::new(
            "Looks up a Render registry credential of the workspace by id or by name (the token is never readable).",
            vec![
                Attribute::string("id").optional_computed().description(
                    "Credential id (`rgc-…`). Set exactly one of `id` and `name`.",
                ),
                Attribute::string("name").optional_computed().description("Credential name."),
                Attribute::string("registry").computed().description(
                    "`GITHUB`, `GITLAB`, `DOCKER`, `GOOGLE_ARTIFACT` or `AWS_ECR`.",
                ),
                Attribute::string("username").computed().description("Registry username."),
                Attribute::string("updated_at").computed().description("Last update time (RFC 3339)."),
            ],
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        super::super::lookup::id_or_name(config, diags, "`rgc-…`", bad_credential_id);
    }

    async fn read(
        &self,
        c: &RenderClient,
        config: RegistryCredentialData,
        _cx: &ApplyCx,
    ) -> Result<RegistryCredentialData, Diagnostics> {
        if let Some(name) = config.name.as_deref().filter(|_| config.id.is_unset()) {
            let found = c
                .find_registry_credentials(name)
                .await
                .map_err(|e| api_diag("Failed to list Render registry credentials", &e))?;
            let one = exactly_one(found, &format!("Render registry credential named {name:?}"))?;
            return Ok(RegistryCredentialData::from_api(one));
        }
        let id = config.id.as_deref().unwrap_or_default();
        match c.get_registry_credential(id).await {
            Ok(found) => Ok(RegistryCredentialData::from_api(found)),
            Err(e) if e.is_not_found() => Err(Diagnostic::error(
                "Not found",
                format!(
                    "No Render registry credential {id} exists (or the credentials cannot see it)."
                ),
            )
            .into()),
            Err(e) => Err(api_diag("Failed to read Render registry credential", &e)),
        }
    }
}

//! The `render_owner` data source: a workspace (owner) by name or by email, for `owner_id` and
//! for knowing which workspace a key sees. Must not import the resources' modules.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::RenderClient;
use crate::clouds::support::api_diag;
use crate::framework::data_source::exactly_one;
use crate::framework::{ApplyCx, Attribute, Diagnostics, Schema, TypedDataSource, Val, Value};

pub struct OwnerDataSource;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OwnerModel {
    pub name: Val<String>,
    pub email: Val<String>,
    pub id: Val<String>,
    #[serde(rename = "type")]
    pub owner_type: Val<String>,
}

#[async_trait]
impl TypedDataSource for OwnerDataSource {
    type Model = OwnerModel;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = "render_owner";

    fn schema(&self) -> Schema {
        Schema::new(
            "Looks up a Render workspace (owner) the API key can see, by name or by email.",
            vec![
                Attribute::string("name")
                    .optional_computed()
                    .description("Workspace name. Set exactly one of `name` and `email`."),
                Attribute::string("email")
                    .optional_computed()
                    .description("The workspace's email."),
                Attribute::string("id").computed().description(
                    "Workspace id (`tea-…` or `usr-…`): what the provider's `owner_id` takes.",
                ),
                Attribute::string("type")
                    .computed()
                    .description("`team` or `user`."),
            ],
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        super::lookup::one_of_two(
            config,
            diags,
            ("name", "email"),
            "the workspace name",
            |_| None,
        );
    }

    async fn read(
        &self,
        c: &RenderClient,
        config: OwnerModel,
        _cx: &ApplyCx,
    ) -> Result<OwnerModel, Diagnostics> {
        let (name, email) = (config.name.as_deref(), config.email.as_deref());
        let found = c
            .find_owners(name, email)
            .await
            .map_err(|e| api_diag("Failed to list Render workspaces", &e))?;
        let what = match (name, email) {
            (Some(n), _) => format!("Render workspace named {n:?}"),
            (_, e) => format!("Render workspace with email {:?}", e.unwrap_or_default()),
        };
        let o = exactly_one(found, &what)?;
        Ok(OwnerModel {
            name: Val::Known(o.name),
            email: Val::Known(o.email),
            id: Val::Known(o.id),
            owner_type: Val::Known(o.owner_type),
        })
    }
}

//! Resources that manage one setting of an existing device (devices join by themselves, so none of
//! these creates or deletes a machine): `tailscale_device_authorization` (approve it),
//! `tailscale_device_tags` (its tags) and `tailscale_device_key` (`key_expiry_disabled`). Each is
//! named by `device_id` (the node id, e.g. from `data.tailscale_device`); create and update set the
//! value, read takes it from the device, destroy puts back the default where one exists. One macro
//! writes the three, so they cannot drift apart.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::{Device, TailscaleClient};
use super::key::tag_validator;
use crate::clouds::http::ApiError;
use crate::clouds::support::api_diag;
use crate::framework::{
    Applied, ApplyCx, Attribute, Create, Diagnostics, Identity, ImportId, Schema, Type,
    TypedResource, Update, Val, Value,
};

fn device_id_attribute() -> Attribute {
    Attribute::string("device_id")
        .required()
        .replace()
        .description("The device's node id (`data.tailscale_device.<name>.id`).")
        .validate(node_id())
}

/// Tailscale node ids (`nXXXXCNTRL` or the legacy numeric form) are letters and digits: anything
/// else would land in a URL path (`/device/{id}/…`) and must be refused before a request.
fn node_id() -> crate::framework::Validator {
    crate::framework::Validator::string("A Tailscale node id: letters and digits.", |s| {
        (s.is_empty() || s.len() > 64 || !s.chars().all(|c| c.is_ascii_alphanumeric())).then(|| {
            format!("{s:?} is not a Tailscale node id (letters and digits, e.g. \"n1CNTRL\").")
        })
    })
}

fn id_attribute() -> Attribute {
    Attribute::string("id")
        .computed()
        .keep_state()
        .description("The device's node id.")
}

/// The device, or `None` when it left the tailnet (the resource leaves the state).
async fn read_device(c: &TailscaleClient, id: &str) -> Result<Option<Device>, Diagnostics> {
    match c.get_device(id).await {
        Ok(d) => Ok(Some(d)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(api_diag("Failed to read Tailscale device", &e)),
    }
}

fn set_failed(what: &'static str) -> impl Fn(ApiError) -> Diagnostics {
    move |e| api_diag(what, &e)
}

macro_rules! device_setting {
    (
        $resource:ident, $model:ident, $type_name:literal, $field:ident: $ty:ty,
        description: $description:expr,
        attribute: $attribute:expr,
        from_device: |$d:ident| $from:expr,
        set: |$c:ident, $id:ident, $v:ident| $set:expr,
        on_destroy: $on_destroy:expr,
        moves: $moves:path,
    ) => {
        pub struct $resource;

        #[derive(Clone, Debug, Default, Serialize, Deserialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct $model {
            pub device_id: Option<String>,
            pub $field: Option<$ty>,
            pub id: Val<String>,
        }

        impl $model {
            /// The state after reading `d` (pure).
            pub fn from_api(mut self, $d: &Device) -> Self {
                self.device_id = Some($d.node_id.clone());
                self.id = Val::Known($d.node_id.clone());
                self.$field = Some($from);
                self
            }
            /// The device to change at create: the configured `device_id`.
            fn device(&self) -> Result<String, Diagnostics> {
                let id = self.device_id.clone().map(Val::Known).unwrap_or(Val::Null);
                id.required("device_id").map(str::to_string)
            }
            /// The device of a stored object: its `id` (never an empty one in a URL).
            fn stored(&self) -> Result<String, Diagnostics> {
                self.id.required("id").map(str::to_string)
            }
        }

        #[async_trait]
        impl TypedResource for $resource {
            type Model = $model;
            type Client = TailscaleClient;
            const TYPE_NAME: &'static str = $type_name;

            fn move_sources(&self) -> Vec<crate::framework::MoveSource> {
                $moves()
            }

            fn schema(&self) -> Schema {
                Schema::new(
                    $description,
                    vec![device_id_attribute(), $attribute, id_attribute()],
                )
            }

            fn import_id(&self) -> ImportId {
                ImportId::formats(&["<device_id>"]).id_from("device_id")
            }

            fn identity(&self) -> Identity {
                Identity::new(&["device_id"])
            }

            async fn create(
                &self,
                $c: &TailscaleClient,
                op: Create<$model>,
                _cx: &ApplyCx,
            ) -> Applied<$model> {
                let mut plan = op.plan;
                let $id = plan.device()?;
                let $v = plan.$field.clone().unwrap_or_default();
                $set.await
                    .map_err(set_failed(concat!("Failed to set ", $type_name)))?;
                plan.id = Val::Known($id);
                plan.$field = Some($v);
                Ok(plan)
            }

            async fn read(
                &self,
                c: &TailscaleClient,
                state: $model,
                _cx: &ApplyCx,
            ) -> Result<Option<$model>, Diagnostics> {
                let id = state.stored()?;
                Ok(read_device(c, &id).await?.map(|d| state.from_api(&d)))
            }

            async fn update(
                &self,
                $c: &TailscaleClient,
                op: Update<$model>,
                _cx: &ApplyCx,
            ) -> Applied<$model> {
                let $id = op.prior.stored()?;
                let mut plan = op.plan;
                let $v = plan.$field.clone().unwrap_or_default();
                $set.await
                    .map_err(set_failed(concat!("Failed to set ", $type_name)))?;
                plan.id = Val::Known($id);
                plan.$field = Some($v);
                Ok(plan)
            }

            async fn delete(
                &self,
                $c: &TailscaleClient,
                state: $model,
                _cx: &ApplyCx,
            ) -> Result<(), Diagnostics> {
                let $id = state.stored()?;
                let on_destroy: Option<$ty> = $on_destroy;
                let Some($v) = on_destroy else {
                    return Ok(());
                };
                match $set.await {
                    Err(e) if !e.is_not_found() => {
                        Err(api_diag(concat!("Failed to reset ", $type_name), &e))
                    }
                    _ => Ok(()),
                }
            }
        }
    };
}

device_setting!(
    DeviceAuthorizationResource, DeviceAuthorizationModel, "tailscale_device_authorization",
    authorized: bool,
    description: "Authorizes (approves) an existing device in a tailnet that requires device approval. Destroy leaves the device as it is: removing this resource never locks a machine out.",
    attribute: Attribute::bool("authorized").required().description("`true` approves the device; `false` revokes its approval."),
    from_device: |d| d.authorized,
    set: |c, id, v| c.set_device_authorized(&id, v),
    on_destroy: None,
    moves: super::moves::device_authorization_sources,
);

device_setting!(
    DeviceTagsResource, DeviceTagsModel, "tailscale_device_tags",
    tags: Vec<String>,
    description: "The tags of an existing device (the tags must have owners in the policy file). Destroy removes every tag from the device.",
    attribute: Attribute::set("tags", Type::String).required().description("The device's tags (`tag:name`).").validate(tag_validator()),
    from_device: |d| {
        let mut t = d.tags.clone().unwrap_or_default();
        t.sort();
        t
    },
    set: |c, id, v| c.set_device_tags(&id, &v),
    on_destroy: Some(Vec::new()),
    moves: super::moves::device_tags_sources,
);

device_setting!(
    DeviceKeyResource, DeviceKeyModel, "tailscale_device_key",
    key_expiry_disabled: bool,
    description: "The node-key expiry of an existing device: `key_expiry_disabled = true` keeps a server from dropping off the tailnet when its key would expire. Destroy turns key expiry back on.",
    attribute: Attribute::bool("key_expiry_disabled").default(Value::Bool(false)).description("`true`: the device's node key never expires. Default `false`."),
    from_device: |d| d.key_expiry_disabled,
    set: |c, id, v| c.set_device_key_expiry_disabled(&id, v),
    on_destroy: Some(false),
    moves: super::moves::device_key_sources,
);

//! `railway_volume`: a persistent volume mounted into one service in one environment. Created
//! with volumeCreate (into that environment only), renamed with volumeUpdate, re-mounted or moved
//! to another service of the project with volumeInstanceUpdate, deleted with volumeDelete. Read
//! from the environment's volume instances: Railway's public schema has no `volume(id)` query,
//! which is why the import id names the environment. The size is Railway's (the schema has no
//! resize input), so `size_mb` is computed. Model, pure mapping and CRUD in one file; must not
//! import protocol.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::models::{
    VolumeCreateInput, VolumeInstance, VolumeInstanceUpdateInput, VolumeUpdateInput,
};
use super::client::RailwayClient;
use super::environment::id_validator;
use super::railway_ids;
use super::service::schema::REGIONS;
use crate::clouds::support::api_diag;
use crate::framework::rules::{known_values, length_between, Validator};
use crate::framework::{
    create_or_adopt, Applied, ApplyCx, Attribute, Create, Diagnostics, Identity, ImportId, Schema,
    TypedResource, Update, Val,
};

pub struct VolumeResource;

/// `railway_volume` state. `Val`s for what an import's partial state lacks until Read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct VolumeModel {
    pub id: Val<String>,
    pub project_id: Val<String>,
    pub environment_id: Val<String>,
    pub service_id: Val<String>,
    pub mount_path: Val<String>,
    pub name: Val<String>,
    pub region: Val<String>,
    pub size_mb: Val<i64>,
}

/// Why a mount path is invalid: absolute, not the root, no spaces or control characters.
pub fn mount_path_error(p: &str) -> Option<String> {
    let ok = p.starts_with('/')
        && p.len() > 1
        && p.len() <= 255
        && !p.chars().any(|c| c.is_whitespace() || c.is_control());
    (!ok).then(|| {
        format!("{p:?} is not a mount path: use an absolute path such as \"/data\" (not \"/\", no spaces).")
    })
}

pub(crate) fn schema() -> Schema {
    Schema::new(
        "A persistent volume of a Railway project, mounted into one service in one environment. Changing the mount path, \
the service or the name is in place; changing the project, environment or region replaces it (and its data). The size is \
Railway's (set by the plan; Railway's public API has no resize), read into `size_mb`.",
        vec![
            Attribute::string("id").computed().keep_state().description("The volume id."),
            Attribute::string("project_id").required().replace().validate(id_validator()).description("The project the volume belongs to."),
            Attribute::string("environment_id").required().replace().validate(id_validator()).description("The environment the volume is deployed in."),
            Attribute::string("service_id").required().validate(id_validator()).description("The service the volume is mounted into (changing it moves the volume, in place)."),
            Attribute::string("mount_path").required().validate(Validator::string("An absolute path such as \"/data\".", mount_path_error)).description("Where the volume is mounted in the service's container, e.g. `/data`."),
            Attribute::string("name").optional_computed().keep_state().validate(length_between(1, 100)).description("The volume name (default: a name Railway picks)."),
            Attribute::string("region").optional_computed().keep_state().replace().validate(known_values(REGIONS)).description("The region the volume lives in (default: Railway's)."),
            Attribute::int("size_mb").computed().keep_state().description("The volume's size in MB, as Railway provisioned it."),
        ],
    )
}

impl VolumeModel {
    /// The state from the volume's instance in the environment (pure).
    pub fn from_api(&self, v: &VolumeInstance) -> VolumeModel {
        VolumeModel {
            id: Val::Known(v.volume_id.clone()),
            project_id: Val::Known(v.volume.project_id.clone()),
            environment_id: Val::Known(v.environment_id.clone()),
            service_id: v.service_id.clone().filter(|s| !s.is_empty()).into(),
            mount_path: Val::Known(v.mount_path.clone()),
            name: Val::Known(v.volume.name.clone()),
            region: v.region.clone().filter(|r| !r.is_empty()).into(),
            size_mb: Val::Known(v.size_mb),
        }
    }

    pub fn to_create_request(&self) -> Result<VolumeCreateInput, Diagnostics> {
        Ok(VolumeCreateInput {
            project_id: self.project_id.required("project_id")?.to_string(),
            environment_id: self.environment_id.required("environment_id")?.to_string(),
            service_id: self.service_id.required("service_id")?.to_string(),
            mount_path: self.mount_path.required("mount_path")?.to_string(),
            region: self.region.known().cloned(),
        })
    }

    /// The rename to send after create or on update: only a configured name that differs.
    pub fn rename_request(&self, current: &str) -> Option<VolumeUpdateInput> {
        self.name
            .known()
            .filter(|n| n.as_str() != current)
            .map(|n| VolumeUpdateInput { name: n.clone() })
    }

    /// The re-mount to send on update, when the mount path or the service changed.
    pub fn to_instance_update(
        &self,
        prior: &VolumeModel,
    ) -> Result<Option<VolumeInstanceUpdateInput>, Diagnostics> {
        if self.mount_path == prior.mount_path && self.service_id == prior.service_id {
            return Ok(None);
        }
        Ok(Some(VolumeInstanceUpdateInput {
            mount_path: self.mount_path.required("mount_path")?.to_string(),
            service_id: self.service_id.required("service_id")?.to_string(),
        }))
    }

    /// Whether `v` is the volume this create made: mounted into the same service at the same path.
    pub fn is_made_by(&self, v: &VolumeInstance) -> bool {
        v.service_id.as_deref() == self.service_id.known().map(String::as_str)
            && Some(&v.mount_path) == self.mount_path.known()
    }
}

#[async_trait]
impl TypedResource for VolumeResource {
    type Model = VolumeModel;
    type Client = RailwayClient;
    const TYPE_NAME: &'static str = "railway_volume";

    fn schema(&self) -> Schema {
        schema()
    }

    /// `<environment_id>/<id>`: the volume is read from its environment.
    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<environment_id>/<id>"]).check(railway_ids)
    }

    fn identity(&self) -> Identity {
        Identity::new(&["environment_id", "id"])
    }

    async fn create(
        &self,
        c: &RailwayClient,
        op: Create<VolumeModel>,
        _cx: &ApplyCx,
    ) -> Applied<VolumeModel> {
        let plan = op.plan;
        let input = plan.to_create_request()?;
        // A lost answer must not make a second volume: find the one mounted at the same path.
        let volume = create_or_adopt(
            "Failed to create Railway volume",
            c.create_volume(&input),
            || async {
                let all = c
                    .environment_volume_instances(&input.environment_id)
                    .await?;
                Ok(all
                    .into_iter()
                    .find(|v| plan.is_made_by(v))
                    .map(|v| v.volume))
            },
        )
        .await?;
        if let Some(rename) = plan.rename_request(&volume.name) {
            c.update_volume(&volume.id, &rename)
                .await
                .map_err(|e| api_diag("Failed to name Railway volume", &e))?;
        }
        let made = c
            .volume_instance(&input.environment_id, &volume.id)
            .await
            .map_err(|e| api_diag("Failed to read Railway volume", &e))?;
        let mut state = match made {
            Some(v) => plan.from_api(&v),
            None => VolumeModel {
                id: Val::Known(volume.id.clone()),
                ..plan.clone()
            },
        };
        if let Some(n) = plan.name.known() {
            state.name = Val::Known(n.clone());
        }
        Ok(state.settled())
    }

    async fn read(
        &self,
        c: &RailwayClient,
        state: VolumeModel,
        _cx: &ApplyCx,
    ) -> Result<Option<VolumeModel>, Diagnostics> {
        let env = state.environment_id.required("environment_id")?;
        let id = state.id.required("id")?;
        match c.volume_instance(env, id).await {
            Ok(found) => Ok(found.map(|v| state.from_api(&v))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(api_diag("Failed to read Railway volume", &e)),
        }
    }

    async fn update(
        &self,
        c: &RailwayClient,
        op: Update<VolumeModel>,
        _cx: &ApplyCx,
    ) -> Applied<VolumeModel> {
        let id = op.prior.id.required("id")?.to_string();
        let env = op
            .prior
            .environment_id
            .required("environment_id")?
            .to_string();
        let prior_name = op.prior.name.known().cloned().unwrap_or_default();
        if let Some(rename) = op.plan.rename_request(&prior_name) {
            c.update_volume(&id, &rename)
                .await
                .map_err(|e| api_diag("Failed to rename Railway volume", &e))?;
        }
        if let Some(mount) = op.plan.to_instance_update(&op.prior)? {
            c.update_volume_instance(&id, &env, &mount)
                .await
                .map_err(|e| api_diag("Failed to update Railway volume mount", &e))?;
        }
        let mut plan = op.plan;
        plan.id = op.prior.id;
        plan.size_mb = plan.size_mb.or_if_unknown(op.prior.size_mb);
        plan.name = plan.name.or_if_unknown(op.prior.name);
        plan.region = plan.region.or_if_unknown(op.prior.region);
        Ok(plan.settled())
    }

    async fn delete(
        &self,
        c: &RailwayClient,
        state: VolumeModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        c.delete_volume(state.id.required("id")?)
            .await
            .map_err(|e| api_diag("Failed to delete Railway volume", &e))
    }
}

impl VolumeModel {
    /// No unknowns left in an applied state (what the API did not report becomes null).
    fn settled(self) -> VolumeModel {
        VolumeModel {
            id: self.id.settle(),
            project_id: self.project_id.settle(),
            environment_id: self.environment_id.settle(),
            service_id: self.service_id.settle(),
            mount_path: self.mount_path.settle(),
            name: self.name.settle(),
            region: self.region.settle(),
            size_mb: self.size_mb.settle(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clouds::railway::client::models::Volume;

    fn instance(service: &str, path: &str) -> VolumeInstance {
        VolumeInstance {
            id: "vi1".into(),
            volume_id: "vol1".into(),
            environment_id: "e1".into(),
            service_id: Some(service.into()),
            mount_path: path.into(),
            size_mb: 5000,
            region: Some("us-west2".into()),
            volume: Volume {
                id: "vol1".into(),
                name: "data".into(),
                project_id: "p1".into(),
            },
        }
    }

    fn plan(path: &str) -> VolumeModel {
        VolumeModel {
            project_id: Val::Known("p1".into()),
            environment_id: Val::Known("e1".into()),
            service_id: Val::Known("s1".into()),
            mount_path: Val::Known(path.into()),
            name: Val::Unknown,
            region: Val::Unknown,
            size_mb: Val::Unknown,
            ..VolumeModel::default()
        }
    }

    #[test]
    fn the_state_comes_from_the_environments_instance() {
        let s = plan("/data").from_api(&instance("s1", "/data"));
        assert_eq!(s.id, Val::Known("vol1".into()));
        assert_eq!(s.size_mb, Val::Known(5000));
        assert_eq!(s.name, Val::Known("data".into()));
        assert_eq!(s.project_id, Val::Known("p1".into()));
        assert!(plan("/data").is_made_by(&instance("s1", "/data")));
        assert!(!plan("/data").is_made_by(&instance("s1", "/other")));
        assert!(!plan("/data").is_made_by(&instance("s2", "/data")));
    }

    #[test]
    fn updates_send_only_what_changed() {
        let prior = plan("/data").from_api(&instance("s1", "/data"));
        assert_eq!(prior.to_instance_update(&prior).expect("ok"), None);
        let moved = VolumeModel {
            mount_path: Val::Known("/var/lib/data".into()),
            ..prior.clone()
        };
        let m = moved.to_instance_update(&prior).expect("ok").expect("sent");
        assert_eq!(
            (m.mount_path.as_str(), m.service_id.as_str()),
            ("/var/lib/data", "s1")
        );
        assert_eq!(prior.rename_request("data"), None);
        assert_eq!(
            prior.rename_request("other").map(|r| r.name),
            Some("data".to_string())
        );
        assert_eq!(
            plan("/data").rename_request("x"),
            None,
            "unknown name: Railway's"
        );
        assert!(mount_path_error("/data").is_none());
        for bad in ["data", "/", "/a b", ""] {
            assert!(mount_path_error(bad).is_some(), "{bad:?}");
        }
    }
}

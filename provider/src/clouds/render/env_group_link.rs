//! `render_env_group_link`: which services an env group is linked to. Authoritative for the
//! group's links (a link made elsewhere shows as drift and is removed on apply); one link
//! resource per group. Split from `render_env_group` so that services created after the group,
//! or in another stack, can be linked without a dependency cycle. Must not import the other
//! Render resources' modules beyond the env group's id rule.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::RenderClient;
use super::env_group::env_group_id_error;
use crate::clouds::support::api_diag;
use crate::framework::apply::KeepPartial;
use crate::framework::{
    Applied, ApplyCx, Attribute, Create, Diagnostic, Diagnostics, Identity, ImportId, Schema, Type,
    TypedResource, Update, Val,
};

pub struct EnvGroupLinkResource;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EnvGroupLinkModel {
    pub env_group_id: Val<String>,
    pub service_ids: Val<BTreeSet<String>>,
    pub id: Val<String>,
}

impl EnvGroupLinkModel {
    fn services(&self) -> BTreeSet<String> {
        self.service_ids.known().cloned().unwrap_or_default()
    }
}

fn import_check(f: &BTreeMap<String, String>) -> Option<String> {
    env_group_id_error(
        f.get("env_group_id")
            .map(String::as_str)
            .unwrap_or_default(),
    )
}

/// The links as Render has them, or `None` when the group is gone.
async fn linked(c: &RenderClient, group: &str) -> Result<Option<BTreeSet<String>>, Diagnostics> {
    match c.get_env_group(group).await {
        Ok(g) => Ok(Some(g.service_links.into_iter().map(|l| l.id).collect())),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(api_diag("Failed to read Render env group", &e)),
    }
}

fn state(group: &str, services: BTreeSet<String>) -> EnvGroupLinkModel {
    EnvGroupLinkModel {
        env_group_id: Val::Known(group.to_string()),
        service_ids: Val::Known(services),
        id: Val::Known(group.to_string()),
    }
}

/// Link and unlink until the group's links are `want`; `have` is what it has now.
async fn converge(
    c: &RenderClient,
    group: &str,
    have: &BTreeSet<String>,
    want: &BTreeSet<String>,
) -> Result<(), Diagnostics> {
    for s in want.difference(have) {
        c.link_env_group(group, s).await.map_err(|e| {
            api_diag(
                &format!("Failed to link service {s} to env group {group}"),
                &e,
            )
        })?;
    }
    for s in have.difference(want) {
        c.unlink_env_group(group, s).await.map_err(|e| {
            api_diag(
                &format!("Failed to unlink service {s} from env group {group}"),
                &e,
            )
        })?;
    }
    Ok(())
}

#[async_trait]
impl TypedResource for EnvGroupLinkResource {
    type Model = EnvGroupLinkModel;
    type Client = RenderClient;
    const TYPE_NAME: &'static str = "render_env_group_link";

    fn schema(&self) -> Schema {
        Schema::new(
            "Links a Render env group to services: every linked service gets the group's variables and secret files. Authoritative for the group's links: one `render_env_group_link` per group. Kept apart from `render_env_group` so a group can be shared by services of several stacks, or created before them, without a dependency cycle.",
            vec![
                Attribute::string("env_group_id")
                    .required()
                    .replace()
                    .description("The env group (`evg-…`)."),
                Attribute::set("service_ids", Type::String)
                    .required()
                    .description("Services (`srv-…`, `crn-…`) linked to the group."),
                Attribute::string("id")
                    .computed()
                    .keep_state()
                    .description("Same as `env_group_id`."),
            ],
        )
    }

    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<env_group_id>"])
            .id_from("env_group_id")
            .check(import_check)
    }

    fn identity(&self) -> Identity {
        Identity::new(&["env_group_id"])
    }

    async fn create(
        &self,
        c: &RenderClient,
        op: Create<EnvGroupLinkModel>,
        _cx: &ApplyCx,
    ) -> Applied<EnvGroupLinkModel> {
        let group = op.plan.env_group_id.required("env_group_id")?.to_string();
        let have = linked(c, &group).await?.ok_or_else(|| {
            Diagnostic::error(
                "Render env group not found",
                format!("Env group {group} does not exist."),
            )
        })?;
        let want = op.plan.services();
        converge(c, &group, &have, &want)
            .await
            .keep(state(&group, have.clone()))?;
        Ok(state(&group, want))
    }

    async fn read(
        &self,
        c: &RenderClient,
        st: EnvGroupLinkModel,
        _cx: &ApplyCx,
    ) -> Result<Option<EnvGroupLinkModel>, Diagnostics> {
        let group = st.env_group_id.required("env_group_id")?.to_string();
        Ok(linked(c, &group).await?.map(|s| state(&group, s)))
    }

    async fn update(
        &self,
        c: &RenderClient,
        op: Update<EnvGroupLinkModel>,
        _cx: &ApplyCx,
    ) -> Applied<EnvGroupLinkModel> {
        let group = op.prior.env_group_id.required("env_group_id")?.to_string();
        let (have, want) = (op.prior.services(), op.plan.services());
        converge(c, &group, &have, &want)
            .await
            .keep(op.prior.clone())?;
        Ok(state(&group, want))
    }

    async fn delete(
        &self,
        c: &RenderClient,
        st: EnvGroupLinkModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        let group = st.env_group_id.required("env_group_id")?.to_string();
        let Some(have) = linked(c, &group).await? else {
            return Ok(());
        };
        // Only the links this resource manages; a service already gone has no link left.
        let mine: BTreeSet<String> = have.intersection(&st.services()).cloned().collect();
        converge(c, &group, &mine, &BTreeSet::new()).await
    }
}

//! `tailscale_acl`: the tailnet's policy file (a tailnet has exactly one). Writes are guarded by
//! the ETag of the last read (`If-Match`), so a policy changed outside Terraform after the last
//! refresh is never overwritten: the apply fails and names what to do. A create takes over only
//! the untouched default policy unless `overwrite_existing_content = true`. The text is compared by
//! meaning (comments, key order and spacing aside): a refresh keeps the configuration's spelling.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::{PolicyFile, TailscaleClient};
use super::hujson::canonical_policy;
use crate::clouds::http::ApiError;
use crate::clouds::support::api_diag;
use crate::framework::rules::Validator;
use crate::framework::{
    Applied, ApplyCx, Attribute, Create, Diagnostic, Diagnostics, ImportId, PlanModifier, Schema,
    TypedResource, Update, Val, Value,
};

pub struct AclResource;

/// The one id of the one policy file.
pub const ACL_ID: &str = "acl";
/// The `If-Match` value that matches only the tailnet's untouched default policy.
const TS_DEFAULT: &str = "\"ts-default\"";

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AclModel {
    /// Null only in an import's partial state (read fills it).
    pub acl: Option<String>,
    pub overwrite_existing_content: Option<bool>,
    pub reset_acl_on_destroy: Option<bool>,
    pub id: Val<String>,
    pub etag: Val<String>,
}

impl AclModel {
    /// The policy to send, as canonical JSON text.
    fn policy_json(&self) -> Result<String, Diagnostics> {
        let text = self.acl.as_deref().unwrap_or_default();
        canonical_policy(text).map_err(|why| {
            Diagnostic::error("Invalid policy file", why)
                .at(crate::framework::Path::root("acl"))
                .into()
        })
    }

    /// State after the API answered with `api` (pure): the configured spelling is kept while it
    /// means the same policy; otherwise (changed outside, or imported) the API's canonical JSON.
    pub fn from_api(mut self, api: &PolicyFile) -> Self {
        let same = self
            .acl
            .as_deref()
            .and_then(|t| canonical_policy(t).ok())
            .is_some_and(|mine| canonical_policy(&api.json).ok().as_deref() == Some(&mine));
        if !same {
            self.acl = Some(canonical_policy(&api.json).unwrap_or_else(|_| api.json.clone()));
        }
        self.id = Val::Known(ACL_ID.into());
        self.etag = api.etag.clone().into();
        self
    }
}

fn policy_validator() -> Validator {
    Validator::string("A well-formed policy file: a HuJSON or JSON object.", |s| {
        canonical_policy(s).err()
    })
}

fn changed_outside(e: &ApiError) -> Diagnostics {
    Diagnostic::error(
        "Tailnet policy file changed outside Terraform",
        format!("The policy file was changed after Terraform last read it, so this apply overwrote nothing ({e}). Run `terraform plan` (or `apply`) again: the refresh shows the other change, which the configuration then keeps or replaces deliberately."),
    )
    .into()
}

fn is_stale(e: &ApiError) -> bool {
    matches!(e, ApiError::Api { status: 412, .. })
}

/// The ETag of a write's answer, or a fresh read when the answer carried none.
async fn settled(c: &TailscaleClient, written: PolicyFile) -> Result<PolicyFile, ApiError> {
    if written.etag.is_some() {
        Ok(written)
    } else {
        c.get_policy().await
    }
}

#[async_trait]
impl TypedResource for AclResource {
    type Model = AclModel;
    type Client = TailscaleClient;
    const TYPE_NAME: &'static str = "tailscale_acl";

    fn move_sources(&self) -> Vec<crate::framework::MoveSource> {
        super::moves::acl_sources()
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "The tailnet's policy file (ACLs, grants, tag owners, …). A tailnet has **one** policy file, so one \
`tailscale_acl` manages all of it: a module that needs a rule merges it into the one resource (e.g. with \
`jsonencode(merge(…))`) rather than declaring its own. Every write sends the ETag of the last read as `If-Match`: \
when someone changed the policy after Terraform's refresh, the apply fails with a clear message and nothing is \
overwritten. The policy is sent as JSON, so HuJSON comments are not uploaded (they stay in the configuration).",
            vec![
                Attribute::string("acl").required().description("The policy file as HuJSON or JSON (e.g. `jsonencode({...})`). Checked at plan for being a well-formed object; compared by meaning, so comments, key order and spacing never show as a change.").validate(policy_validator()),
                Attribute::bool("overwrite_existing_content").default(Value::Bool(false)).description("At create: `false` (default) takes over only the tailnet's untouched default policy and fails when it was edited; `true` replaces whatever policy the tailnet has."),
                Attribute::bool("reset_acl_on_destroy").default(Value::Bool(false)).description("`true`: `terraform destroy` puts back the tailnet's default policy (allow all). `false` (default): destroy leaves the policy as it is."),
                Attribute::string("id").computed().keep_state().description("Always `acl`."),
                Attribute::string("etag").computed().state_only().modifier(PlanModifier::keep_unless_changed(&["acl"])).description("The ETag of the policy version Terraform last read or wrote: the `If-Match` of the next write."),
            ],
        )
    }

    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<id>"])
            .default_value("overwrite_existing_content", Value::Bool(false))
            .default_value("reset_acl_on_destroy", Value::Bool(false))
            .check(|f| {
                (f.get("id").map(String::as_str) != Some(ACL_ID))
                    .then(|| format!("a tailnet has one policy file; import it as {ACL_ID:?}"))
            })
    }

    async fn create(
        &self,
        c: &TailscaleClient,
        op: Create<AclModel>,
        _cx: &ApplyCx,
    ) -> Applied<AclModel> {
        let plan = op.plan;
        let json = plan.policy_json()?;
        let written = match c.set_policy(&json, TS_DEFAULT).await {
            Ok(p) => p,
            Err(e) if is_stale(&e) && plan.overwrite_existing_content == Some(true) => {
                let current = c
                    .get_policy()
                    .await
                    .map_err(|e| api_diag("Failed to read the tailnet policy file", &e))?;
                let etag = current.etag.unwrap_or_default();
                c.set_policy(&json, &etag).await.map_err(|e| {
                    if is_stale(&e) {
                        changed_outside(&e)
                    } else {
                        api_diag("Failed to set the tailnet policy file", &e)
                    }
                })?
            }
            Err(e) if is_stale(&e) => {
                return Err(Diagnostic::error(
                    "The tailnet already has a policy file",
                    "The tailnet's policy file is no longer Tailscale's default (someone edited it), and a tailnet has only one. \
Nothing was overwritten. Set `overwrite_existing_content = true` to replace it with this configuration, or import it first \
(`terraform import tailscale_acl.<name> acl`) to start from what is there.",
                )
                .into())
            }
            Err(e) => return Err(api_diag("Failed to set the tailnet policy file", &e).into()),
        };
        let api = settled(c, written)
            .await
            .map_err(|e| api_diag("Failed to read the tailnet policy file", &e))?;
        Ok(plan.from_api(&api))
    }

    async fn read(
        &self,
        c: &TailscaleClient,
        state: AclModel,
        _cx: &ApplyCx,
    ) -> Result<Option<AclModel>, Diagnostics> {
        state.id.required("id")?;
        let api = c
            .get_policy()
            .await
            .map_err(|e| api_diag("Failed to read the tailnet policy file", &e))?;
        Ok(Some(state.from_api(&api)))
    }

    async fn update(
        &self,
        c: &TailscaleClient,
        op: Update<AclModel>,
        _cx: &ApplyCx,
    ) -> Applied<AclModel> {
        let (prior, mut plan) = (op.prior, op.plan);
        prior.id.required("id")?;
        let json = plan.policy_json()?;
        if prior.policy_json().ok().as_deref() == Some(json.as_str()) {
            // Only the spelling or a flag changed: nothing to write.
            plan.etag = prior.etag;
            plan.id = Val::Known(ACL_ID.into());
            return Ok(plan);
        }
        let etag = prior
            .etag
            .known()
            .cloned()
            .unwrap_or_else(|| TS_DEFAULT.into());
        let written = c.set_policy(&json, &etag).await.map_err(|e| {
            if is_stale(&e) {
                changed_outside(&e)
            } else {
                api_diag("Failed to set the tailnet policy file", &e)
            }
        })?;
        let api = settled(c, written)
            .await
            .map_err(|e| api_diag("Failed to read the tailnet policy file", &e))?;
        Ok(plan.from_api(&api))
    }

    async fn delete(
        &self,
        c: &TailscaleClient,
        state: AclModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        state.id.required("id")?;
        if state.reset_acl_on_destroy != Some(true) {
            return Ok(());
        }
        let default = canonical_policy(DEFAULT_POLICY)
            .map_err(|why| Diagnostic::error("Bug: default policy", why))?;
        let etag = state
            .etag
            .known()
            .cloned()
            .unwrap_or_else(|| TS_DEFAULT.into());
        c.set_policy(&default, &etag)
            .await
            .map(|_| ())
            .map_err(|e| {
                if is_stale(&e) {
                    changed_outside(&e)
                } else {
                    api_diag("Failed to reset the tailnet policy file", &e)
                }
            })
    }
}

/// Tailscale's default policy for a new tailnet: every device may reach every other one.
pub const DEFAULT_POLICY: &str = r#"{"acls":[{"action":"accept","src":["*"],"dst":["*:*"]}]}"#;

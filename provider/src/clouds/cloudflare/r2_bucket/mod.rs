//! `r2_bucket`: a Cloudflare R2 bucket with its CORS policy, lifecycle rules, custom domains and
//! r2.dev public access. Name, account, jurisdiction and location are immutable at Cloudflare:
//! changing them replaces the bucket. Sub-objects are only read when managed (non-null in state),
//! so an unmanaged CORS policy costs no request and shows no drift. CRUD here is "call the
//! client, map the answer"; the mapping lives in `model.rs`, the attributes in `schema.rs`.
//! Sub-reads and follow-up writes run concurrently (issue 16).

pub mod model;
pub mod schema;

use async_trait::async_trait;

use self::model::{cors_from_api, domains_from_api, lifecycle_from_api, BucketModel};
use super::client::{BucketRef, CloudflareClient};
use crate::clouds::support::{api_diag, when};
use crate::framework::{
    create_or_adopt, Applied, ApplyCx, Create, Diagnostic, Diagnostics, Identity, ImportId,
    KeepPartial, Schema, TypedResource, Update, Val, Value,
};

pub struct BucketResource;

/// Apply the sub-objects that differ between `prior` and `plan` (prior `None` = create). CORS,
/// lifecycle, custom domains and r2.dev access are independent of each other, so their writes run
/// concurrently (issue 16); the first failure is reported.
async fn sync_children(
    client: &CloudflareClient,
    b: &BucketRef,
    prior: Option<&BucketModel>,
    plan: &BucketModel,
) -> Result<(), Diagnostics> {
    let fail = |summary: &'static str| move |e| api_diag(summary, &e);
    let cors_changed =
        prior.map(|p| &p.cors) != Some(&plan.cors) && !(prior.is_none() && plan.cors.is_unset());
    let lifecycle_changed = prior.map(|p| &p.lifecycle_rules) != Some(&plan.lifecycle_rules)
        && !(prior.is_none() && plan.lifecycle_rules.is_unset());
    let domains_changed = prior.map(|p| &p.custom_domains) != Some(&plan.custom_domains)
        && !(prior.is_none() && plan.custom_domains.is_unset());
    let toggled =
        prior.map(|p| &p.public_dev_domain_enabled) != Some(&plan.public_dev_domain_enabled);
    // A new bucket starts private: only turning public access on needs a call.
    let dev_changed = toggled && (prior.is_some() || plan.public_dev_enabled());
    tokio::try_join!(
        when(cors_changed, || async {
            let rules = plan.cors_rules();
            if rules.is_empty() {
                client.delete_cors(b).await
            } else {
                client.put_cors(b, &rules).await
            }
            .map_err(fail("Failed to set R2 bucket CORS policy"))
        }),
        when(lifecycle_changed, || async {
            client
                .put_lifecycle(b, &plan.lifecycle())
                .await
                .map_err(fail("Failed to set R2 bucket lifecycle rules"))
        }),
        when(domains_changed, || sync_domains(client, b, prior, plan)),
        when(dev_changed, || async {
            client
                .set_managed_domain(b, plan.public_dev_enabled())
                .await
                .map_err(fail("Failed to set R2 r2.dev public access"))
        }),
    )?;
    Ok(())
}

/// Custom domains: removals first (a domain may move between buckets), then edits and additions.
async fn sync_domains(
    client: &CloudflareClient,
    b: &BucketRef,
    prior: Option<&BucketModel>,
    plan: &BucketModel,
) -> Result<(), Diagnostics> {
    let fail = |summary: &'static str| move |e| api_diag(summary, &e);
    let want = plan.domains();
    let had = prior.map(BucketModel::domains).unwrap_or_default();
    for d in had
        .iter()
        .filter(|h| !want.iter().any(|w| w.domain == h.domain))
    {
        client
            .remove_custom_domain(b, &d.domain)
            .await
            .map_err(fail("Failed to remove R2 custom domain"))?;
    }
    for d in &want {
        match had.iter().find(|h| h.domain == d.domain) {
            Some(h) if h == d => {}
            Some(_) => client
                .edit_custom_domain(b, d)
                .await
                .map_err(fail("Failed to update R2 custom domain"))?,
            None => client
                .add_custom_domain(b, d)
                .await
                .map_err(fail("Failed to add R2 custom domain"))?,
        }
    }
    Ok(())
}

/// The r2.dev domain after an apply: looked up only when public access is on and the plan
/// does not know it yet.
async fn settle_dev_domain(client: &CloudflareClient, b: &BucketRef, state: &mut BucketModel) {
    if state.public_dev_domain.is_unknown() && state.public_dev_enabled() {
        state.public_dev_domain = match client.get_managed_domain(b).await {
            Ok(m) if m.enabled => Val::Known(m.domain),
            _ => Val::Null,
        };
    }
}

#[async_trait]
impl TypedResource for BucketResource {
    type Model = BucketModel;
    type Client = CloudflareClient;
    const TYPE_NAME: &'static str = "r2_bucket";

    fn check_configured(&self, c: &CloudflareClient, config: &Value, diags: &mut Diagnostics) {
        crate::clouds::cloudflare::tunnel::require_account("r2", config, c, diags);
    }

    fn move_sources(&self) -> Vec<crate::framework::MoveSource> {
        crate::clouds::cloudflare::moves::r2_bucket_sources()
    }

    fn schema(&self) -> Schema {
        schema::bucket_schema()
    }

    fn import_id(&self) -> ImportId {
        ImportId::formats(&[
            "<account_id>/<name>",
            "<account_id>/<jurisdiction>/<name>",
            // The official cloudflare_r2_bucket's form.
            "<account_id>/<name>/<jurisdiction>",
        ])
        .default_value("jurisdiction", Value::string("default"))
        .id_from("name")
        // Unknown sub-objects are read in full once, so an import captures what exists.
        .read_in_full(&[
            "cors",
            "lifecycle_rules",
            "custom_domains",
            "public_dev_domain_enabled",
        ])
        .check(|f| {
            let account = f.get("account_id").map_or("", String::as_str);
            (!account.chars().all(|c| c.is_ascii_alphanumeric()))
                .then(|| "account_id must be letters and digits".to_string())
        })
    }

    fn identity(&self) -> Identity {
        Identity::new(&["account_id", "name"]).optional(&["jurisdiction"])
    }

    async fn create(
        &self,
        c: &CloudflareClient,
        op: Create<BucketModel>,
        _cx: &ApplyCx,
    ) -> Applied<BucketModel> {
        let plan = op.plan;
        let b = plan.bucket_ref(c.default_account_id.as_deref())?;
        // Bucket names are unique per account and jurisdiction: a lost answer is adopted.
        let api = create_or_adopt(
            "Failed to create R2 bucket",
            c.create_bucket(
                &b,
                plan.location.as_deref(),
                plan.storage_class_or_default(),
            ),
            || async { c.get_bucket(&b).await.map(Some) },
        )
        .await?;
        let mut state = plan.created(&b, &api);
        // The bucket exists: a failed sub-object keeps it in state (Terraform marks it tainted).
        sync_children(c, &b, None, &state)
            .await
            .keep(state.clone())?;
        settle_dev_domain(c, &b, &mut state).await;
        // Public access is off: there is no r2.dev domain to report (no call needed).
        state.public_dev_domain = state.public_dev_domain.settle();
        Ok(state)
    }

    async fn read(
        &self,
        c: &CloudflareClient,
        state: BucketModel,
        _cx: &ApplyCx,
    ) -> Result<Option<BucketModel>, Diagnostics> {
        let b = state.bucket_ref(c.default_account_id.as_deref())?;
        // The bucket and its managed sub-objects (only those non-null in state, or marked unknown
        // on import) are read concurrently: one round trip instead of five (issue 16).
        let (api, cors, lifecycle, domains, dev) = tokio::join!(
            c.get_bucket(&b),
            when(!state.cors.is_null(), || c.get_cors(&b)),
            when(!state.lifecycle_rules.is_null(), || c.get_lifecycle(&b)),
            when(!state.custom_domains.is_null(), || c
                .list_custom_domains(&b)),
            when(!state.public_dev_domain_enabled.is_null(), || c
                .get_managed_domain(&b)),
        );
        let api = match api {
            Ok(x) => x,
            // Gone: whatever the sub-reads answered does not matter.
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => return Err(api_diag("Failed to read R2 bucket", &e)),
        };
        let mut next = state.refreshed(&b, &api);
        if let Some(rules) =
            cors.map_err(|e| api_diag("Failed to read R2 bucket CORS policy", &e))?
        {
            next.cors = cors_from_api(&rules);
        }
        if let Some(rules) =
            lifecycle.map_err(|e| api_diag("Failed to read R2 bucket lifecycle rules", &e))?
        {
            next.lifecycle_rules = lifecycle_from_api(&rules);
        }
        if let Some(domains) =
            domains.map_err(|e| api_diag("Failed to read R2 custom domains", &e))?
        {
            next.custom_domains = domains_from_api(&domains, &state.custom_domains);
        }
        if let Some(m) = dev.map_err(|e| api_diag("Failed to read R2 r2.dev access", &e))? {
            next.public_dev_domain_enabled = Val::Known(m.enabled);
            next.public_dev_domain = if m.enabled {
                Val::Known(m.domain)
            } else {
                Val::Null
            };
        }
        Ok(Some(next))
    }

    async fn update(
        &self,
        c: &CloudflareClient,
        op: Update<BucketModel>,
        _cx: &ApplyCx,
    ) -> Applied<BucketModel> {
        let Update { prior, plan, .. } = op;
        let b = plan.bucket_ref(c.default_account_id.as_deref())?;
        if prior.storage_class != plan.storage_class {
            c.set_storage_class(&b, plan.storage_class_or_default())
                .await
                .map_err(|e| api_diag("Failed to change R2 bucket storage class", &e))?;
        }
        sync_children(c, &b, Some(&prior), &plan).await?;
        let mut state = plan;
        settle_dev_domain(c, &b, &mut state).await;
        Ok(state)
    }

    async fn delete(
        &self,
        c: &CloudflareClient,
        state: BucketModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        let b = state.bucket_ref(c.default_account_id.as_deref())?;
        match c.delete_bucket(&b).await {
            Ok(()) => Ok(()),
            Err(e) if e.is_conflict() => Err(Diagnostic::error(
                "Failed to delete R2 bucket: it is not empty",
                format!("Cloudflare refuses to delete a bucket that still holds objects ({e}). Empty bucket {:?} first (for example with an S3 client or a lifecycle rule), then destroy again.", b.name),
            )
            .into()),
            Err(e) => Err(api_diag("Failed to delete R2 bucket", &e)),
        }
    }
}

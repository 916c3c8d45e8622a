//! `r2_bucket`: a Cloudflare R2 bucket with its CORS policy, lifecycle rules, custom domains and
//! r2.dev public access. Name, account, jurisdiction and location are immutable at Cloudflare:
//! changing them replaces the bucket. Sub-objects are only read when managed (non-null in state),
//! so an unmanaged CORS policy costs no request and shows no drift.

use async_trait::async_trait;

use super::client::{BucketRef, R2Client};
use super::mapping::*;
use super::schema::bucket_schema;
use crate::clouds::support::api_diag;
use crate::framework::{
    ApplyResult, Ctx, Diagnostic, Diagnostics, Path, PlanContext, Resource, Schema, Value,
};

pub struct BucketResource;

fn bucket_ref(client: &R2Client, v: &Value) -> Result<BucketRef, Diagnostics> {
    let account_id = v
        .attr("account_id")
        .as_str()
        .map(str::to_string)
        .or_else(|| client.default_account_id.clone())
        .ok_or_else(|| Diagnostics::from(Diagnostic::error("Missing account_id", "Set `account_id` on the bucket or in the provider \"r2\" block (env CLOUDFLARE_ACCOUNT_ID).").at(Path::root("account_id"))))?;
    Ok(BucketRef {
        account_id,
        jurisdiction: v
            .attr("jurisdiction")
            .as_str()
            .unwrap_or("default")
            .to_string(),
        name: v.attr("name").as_str().unwrap_or_default().to_string(),
    })
}

/// Apply the sub-objects that differ between `prior` and `plan` (prior null = create).
async fn sync_children(
    client: &R2Client,
    b: &BucketRef,
    prior: &Value,
    plan: &Value,
) -> Result<(), Diagnostics> {
    let changed = |attr: &str| prior.attr(attr) != plan.attr(attr);
    if changed("cors") {
        let rules = cors_from_value(plan.attr("cors"));
        let res = if rules.is_empty() {
            client.delete_cors(b).await
        } else {
            client.put_cors(b, &rules).await
        };
        res.map_err(|e| api_diag("Failed to set R2 bucket CORS policy", &e))?;
    }
    if changed("lifecycle_rules") {
        let rules = lifecycle_from_value(plan.attr("lifecycle_rules"));
        client
            .put_lifecycle(b, &rules)
            .await
            .map_err(|e| api_diag("Failed to set R2 bucket lifecycle rules", &e))?;
    }
    if changed("custom_domains") {
        let want = domains_from_value(plan.attr("custom_domains"));
        let had = domains_from_value(prior.attr("custom_domains"));
        for d in had
            .iter()
            .filter(|h| !want.iter().any(|w| w.domain == h.domain))
        {
            client
                .remove_custom_domain(b, &d.domain)
                .await
                .map_err(|e| api_diag("Failed to remove R2 custom domain", &e))?;
        }
        for d in &want {
            match had.iter().find(|h| h.domain == d.domain) {
                Some(h) if h == d => {}
                Some(_) => client
                    .edit_custom_domain(b, d)
                    .await
                    .map_err(|e| api_diag("Failed to update R2 custom domain", &e))?,
                None => client
                    .add_custom_domain(b, d)
                    .await
                    .map_err(|e| api_diag("Failed to add R2 custom domain", &e))?,
            }
        }
    }
    if changed("public_dev_domain_enabled")
        && !(prior.is_null() && plan.attr("public_dev_domain_enabled") == &Value::Bool(false))
    {
        let enabled = plan
            .attr("public_dev_domain_enabled")
            .as_bool()
            .unwrap_or(false);
        client
            .set_managed_domain(b, enabled)
            .await
            .map_err(|e| api_diag("Failed to set R2 r2.dev public access", &e))?;
    }
    Ok(())
}

#[async_trait]
impl Resource for BucketResource {
    fn type_name(&self) -> &'static str {
        "r2_bucket"
    }

    fn schema(&self) -> Schema {
        bucket_schema()
    }

    fn modify_plan(&self, ctx: &mut PlanContext<'_>) {
        // The r2.dev domain only changes when public access is toggled.
        if !ctx.prior.is_null()
            && ctx.prior.attr("public_dev_domain_enabled")
                == ctx.planned.attr("public_dev_domain_enabled")
        {
            let d = ctx.prior.attr("public_dev_domain").clone();
            ctx.planned.set_attr("public_dev_domain", d);
        }
    }

    async fn create(&self, ctx: &Ctx, plan: &Value, _config: &Value) -> ApplyResult {
        let client = match ctx.client::<R2Client>() {
            Ok(c) => c,
            Err(d) => return ApplyResult::failed(Value::Null, d),
        };
        let b = match bucket_ref(client, plan) {
            Ok(b) => b,
            Err(d) => return ApplyResult::failed(Value::Null, d),
        };
        let storage_class = plan.attr("storage_class").as_str().unwrap_or("Standard");
        let created = match client
            .create_bucket(&b, plan.attr("location").as_str(), storage_class)
            .await
        {
            Ok(bucket) => bucket,
            // The create may have committed before the connection dropped: adopt the bucket if it
            // is there now (bucket names are unique per account and jurisdiction).
            Err(e) if e.is_ambiguous() => match client.get_bucket(&b).await {
                Ok(bucket) => bucket,
                Err(_) => {
                    return ApplyResult::failed(
                        Value::Null,
                        api_diag("Failed to create R2 bucket", &e),
                    )
                }
            },
            Err(e) => {
                return ApplyResult::failed(Value::Null, api_diag("Failed to create R2 bucket", &e))
            }
        };
        let mut state = plan.clone();
        state.set_attr("id", Value::string(&b.name));
        state.set_attr("account_id", Value::string(&b.account_id));
        state.set_attr(
            "creation_date",
            created
                .creation_date
                .clone()
                .map_or(Value::Null, Value::String),
        );
        if plan.attr("location").is_unknown() || plan.attr("location").is_null() {
            state.set_attr(
                "location",
                created
                    .location
                    .clone()
                    .map(|l| l.to_ascii_lowercase())
                    .map_or(Value::Null, Value::String),
            );
        }
        if let Err(d) = sync_children(client, &b, &Value::Null, plan).await {
            // The bucket exists: record it (Terraform marks it tainted) rather than lose it.
            return ApplyResult::failed(state, d);
        }
        if plan.attr("public_dev_domain").is_unknown()
            && plan.attr("public_dev_domain_enabled") == &Value::Bool(true)
        {
            let domain = match client.get_managed_domain(&b).await {
                Ok(m) if m.enabled => Value::string(&m.domain),
                _ => Value::Null,
            };
            state.set_attr("public_dev_domain", domain);
        }
        if state.attr("public_dev_domain").is_unknown() {
            // Public access is off: there is no r2.dev domain to report (no call needed).
            state.set_attr("public_dev_domain", Value::Null);
        }
        ApplyResult::ok(state)
    }

    async fn read(&self, ctx: &Ctx, state: &Value) -> Result<Value, Diagnostics> {
        let client = ctx.client::<R2Client>()?;
        let b = bucket_ref(client, state)?;
        let bucket = match client.get_bucket(&b).await {
            Ok(x) => x,
            Err(e) if e.is_not_found() => return Ok(Value::Null),
            Err(e) => return Err(api_diag("Failed to read R2 bucket", &e)),
        };
        let mut next = state.clone();
        next.set_attr("id", Value::string(&b.name));
        next.set_attr("account_id", Value::string(&b.account_id));
        next.set_attr(
            "jurisdiction",
            Value::string(bucket.jurisdiction.as_deref().unwrap_or(&b.jurisdiction)),
        );
        next.set_attr(
            "creation_date",
            bucket
                .creation_date
                .clone()
                .map_or(Value::Null, Value::String),
        );
        if let Some(sc) = &bucket.storage_class {
            next.set_attr("storage_class", Value::string(sc));
        }
        // Location: the API may answer in another case ("ENAM"); keep the configured spelling.
        let reported = bucket.location.clone().unwrap_or_default();
        let keep = state
            .attr("location")
            .as_str()
            .is_some_and(|l| l.eq_ignore_ascii_case(&reported));
        if !keep {
            next.set_attr(
                "location",
                if reported.is_empty() {
                    Value::Null
                } else {
                    Value::string(reported.to_ascii_lowercase())
                },
            );
        }
        // Sub-objects: only when managed, or on import (marked unknown).
        if !state.attr("cors").is_null() {
            let rules = client
                .get_cors(&b)
                .await
                .map_err(|e| api_diag("Failed to read R2 bucket CORS policy", &e))?;
            next.set_attr("cors", cors_to_value(&rules));
        }
        if !state.attr("lifecycle_rules").is_null() {
            let rules = client
                .get_lifecycle(&b)
                .await
                .map_err(|e| api_diag("Failed to read R2 bucket lifecycle rules", &e))?;
            next.set_attr("lifecycle_rules", lifecycle_to_value(&rules));
        }
        if !state.attr("custom_domains").is_null() {
            let mut domains = client
                .list_custom_domains(&b)
                .await
                .map_err(|e| api_diag("Failed to read R2 custom domains", &e))?;
            // Keep an unset min_tls unset (the API reports its default).
            let prior = domains_from_value(state.attr("custom_domains"));
            for d in &mut domains {
                if prior
                    .iter()
                    .any(|p| p.domain == d.domain && p.min_tls.is_none())
                {
                    d.min_tls = None;
                }
            }
            next.set_attr("custom_domains", domains_to_value(&domains));
        }
        if !state.attr("public_dev_domain_enabled").is_null() {
            let m = client
                .get_managed_domain(&b)
                .await
                .map_err(|e| api_diag("Failed to read R2 r2.dev access", &e))?;
            next.set_attr("public_dev_domain_enabled", Value::Bool(m.enabled));
            next.set_attr(
                "public_dev_domain",
                if m.enabled {
                    Value::string(&m.domain)
                } else {
                    Value::Null
                },
            );
        }
        Ok(next)
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, plan: &Value, _config: &Value) -> ApplyResult {
        let client = match ctx.client::<R2Client>() {
            Ok(c) => c,
            Err(d) => return ApplyResult::failed(prior.clone(), d),
        };
        let b = match bucket_ref(client, plan) {
            Ok(b) => b,
            Err(d) => return ApplyResult::failed(prior.clone(), d),
        };
        if prior.attr("storage_class") != plan.attr("storage_class") {
            let class = plan.attr("storage_class").as_str().unwrap_or("Standard");
            if let Err(e) = client.set_storage_class(&b, class).await {
                return ApplyResult::failed(
                    prior.clone(),
                    api_diag("Failed to change R2 bucket storage class", &e),
                );
            }
        }
        if let Err(d) = sync_children(client, &b, prior, plan).await {
            return ApplyResult::failed(prior.clone(), d);
        }
        let mut state = plan.clone();
        if plan.attr("public_dev_domain").is_unknown()
            && plan.attr("public_dev_domain_enabled") == &Value::Bool(true)
        {
            let domain = match client.get_managed_domain(&b).await {
                Ok(m) if m.enabled => Value::string(&m.domain),
                _ => Value::Null,
            };
            state.set_attr("public_dev_domain", domain);
        }
        ApplyResult::ok(state)
    }

    async fn delete(&self, ctx: &Ctx, state: &Value) -> Diagnostics {
        let client = match ctx.client::<R2Client>() {
            Ok(c) => c,
            Err(d) => return d,
        };
        let b = match bucket_ref(client, state) {
            Ok(b) => b,
            Err(d) => return d,
        };
        match client.delete_bucket(&b).await {
            Ok(()) => Diagnostics::new(),
            Err(e) if e.is_conflict() => Diagnostic::error(
                "Failed to delete R2 bucket: it is not empty",
                format!("Cloudflare refuses to delete a bucket that still holds objects ({e}). Empty bucket {:?} first (for example with an S3 client or a lifecycle rule), then destroy again.", b.name),
            )
            .into(),
            Err(e) => api_diag("Failed to delete R2 bucket", &e),
        }
    }

    fn import(&self, id: &str) -> Result<Value, Diagnostics> {
        let parts: Vec<&str> = id.split('/').collect();
        let (account, jurisdiction, name) = match parts.as_slice() {
            [a, n] => (*a, "default", *n),
            [a, j, n] => (*a, *j, *n),
            _ => ("", "", ""),
        };
        let valid = !account.is_empty()
            && account.chars().all(|c| c.is_ascii_alphanumeric())
            && ["default", "eu", "fedramp"].contains(&jurisdiction)
            && super::schema::bucket_name_error(name).is_none();
        if !valid {
            return Err(Diagnostic::error(
                "Invalid import id",
                format!("Expected \"<account_id>/<bucket_name>\" or \"<account_id>/<jurisdiction>/<bucket_name>\" (jurisdiction default, eu or fedramp), got {id:?}."),
            )
            .into());
        }
        // Unknown sub-objects are read in full once, so an import captures what exists.
        Ok(Value::object([
            ("id", Value::string(name)),
            ("name", Value::string(name)),
            ("account_id", Value::string(account)),
            ("jurisdiction", Value::string(jurisdiction)),
            ("cors", Value::Unknown),
            ("lifecycle_rules", Value::Unknown),
            ("custom_domains", Value::Unknown),
            ("public_dev_domain_enabled", Value::Unknown),
        ]))
    }
}

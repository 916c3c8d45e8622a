//! Data source `r2_bucket`: look up an existing bucket by name (unique per account and
//! jurisdiction, so the name is also its id) for its location, storage class and creation date.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::{BucketRef, CloudflareClient};
use super::r2_bucket::schema::{bucket_name_error, JURISDICTIONS};
use crate::clouds::support::api_diag;
use crate::framework::rules::{one_of, Validator};
use crate::framework::{
    ApplyCx, Attribute, Diagnostic, Diagnostics, Path, Schema, TypedDataSource, Val,
};

pub struct BucketDataSource;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketLookup {
    pub name: String,
    pub account_id: Val<String>,
    pub jurisdiction: Val<String>,
    pub id: Val<String>,
    pub location: Val<String>,
    pub storage_class: Val<String>,
    pub creation_date: Val<String>,
}

#[async_trait]
impl TypedDataSource for BucketDataSource {
    type Model = BucketLookup;
    type Client = CloudflareClient;
    const TYPE_NAME: &'static str = "r2_bucket";

    fn schema(&self) -> Schema {
        Schema::new(
            "Looks up an existing Cloudflare R2 bucket by name, e.g. one made outside this configuration.",
            vec![
                Attribute::string("name").required().description("The bucket name.").validate(Validator::string("3–63 lowercase letters, digits and hyphens; no leading or trailing hyphen.", bucket_name_error)),
                Attribute::string("account_id").optional_computed().description("The Cloudflare account id (defaults to the provider's)."),
                Attribute::string("jurisdiction").optional_computed().description("Where the bucket stores objects: default, eu or fedramp (default: default).").validate(one_of(JURISDICTIONS)),
                Attribute::string("id").computed().description("The bucket name (R2 names a bucket by its name)."),
                Attribute::string("location").computed().description("The bucket's location, in lower case."),
                Attribute::string("storage_class").computed().description("The default storage class for new objects."),
                Attribute::string("creation_date").computed().description("When the bucket was created."),
            ],
        )
    }

    async fn read(
        &self,
        c: &CloudflareClient,
        q: BucketLookup,
        _cx: &ApplyCx,
    ) -> Result<BucketLookup, Diagnostics> {
        let account_id = q
            .account_id
            .non_empty()
            .or(c.default_account_id.as_deref())
            .ok_or_else(|| {
                Diagnostics::from(Diagnostic::error("Missing account_id", "Set `account_id` on the data source or in the provider \"r2\" block (env CLOUDFLARE_ACCOUNT_ID).").at(Path::root("account_id")))
            })?
            .to_string();
        let b = BucketRef {
            account_id,
            jurisdiction: q.jurisdiction.as_deref().unwrap_or("default").to_string(),
            name: q.name.clone(),
        };
        let api = match c.get_bucket(&b).await {
            Ok(api) => api,
            Err(e) if e.is_not_found() => {
                return Err(Diagnostic::error(
                    "R2 bucket not found",
                    format!("No R2 bucket named {:?} exists in account {} (jurisdiction {}), or the token cannot see it.", b.name, b.account_id, b.jurisdiction),
                )
                .at(Path::root("name"))
                .into())
            }
            Err(e) => return Err(api_diag("Failed to read R2 bucket", &e)),
        };
        Ok(BucketLookup {
            id: Val::Known(b.name.clone()),
            location: api.location.as_deref().map(str::to_ascii_lowercase).into(),
            storage_class: api.storage_class.clone().into(),
            creation_date: api.creation_date.clone().into(),
            jurisdiction: Val::Known(api.jurisdiction.clone().unwrap_or(b.jurisdiction)),
            account_id: Val::Known(b.account_id),
            name: q.name,
        })
    }
}

//! The Cloudflare vendor room: one API v4 client and envelope for R2 buckets (and, as they come,
//! tunnels, DNS and account tokens). Provider `r2` (API token, account id, base URL with
//! environment fallbacks) and the registry of its resources and data sources.

pub mod client;
pub mod r2_bucket;
pub mod r2_bucket_data_source;

use std::sync::Arc;

use async_trait::async_trait;

use self::client::{R2Client, DEFAULT_BASE_URL};
use crate::clouds::http::Secret;
use crate::clouds::support::{api_diag, config_or_env, missing_credentials};
use crate::framework::{
    typed, typed_data_source, Attribute, ClientHandle, DataSource, Diagnostics, Provider, Resource,
    Schema, Value,
};
use crate::stop::StopSignal;

pub struct R2Provider;

#[async_trait]
impl Provider for R2Provider {
    fn name(&self) -> &'static str {
        "r2"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Cloudflare R2: buckets and their CORS, lifecycle and domain settings.",
            vec![
                Attribute::string("api_token").optional().sensitive().description("Cloudflare API token with R2 edit rights (env CLOUDFLARE_API_TOKEN)."),
                Attribute::string("account_id").optional().description("Default account id for buckets (env CLOUDFLARE_ACCOUNT_ID)."),
                Attribute::string("base_url").optional().description("API base URL (env CLOUDFLARE_BASE_URL; default https://api.cloudflare.com/client/v4)."),
            ],
        )
    }

    async fn configure(
        &self,
        config: &Value,
        stop: StopSignal,
    ) -> Result<ClientHandle, Diagnostics> {
        let token = config_or_env(config, "api_token", &["CLOUDFLARE_API_TOKEN"])
            .ok_or_else(|| missing_credentials("r2", "api_token", "CLOUDFLARE_API_TOKEN"))?;
        let base = config_or_env(config, "base_url", &["CLOUDFLARE_BASE_URL"])
            .unwrap_or_else(|| DEFAULT_BASE_URL.into());
        let account = config_or_env(config, "account_id", &["CLOUDFLARE_ACCOUNT_ID"]);
        let client = R2Client::new(&base, Secret::new(token), account, stop)
            .map_err(|e| api_diag("Failed to build the Cloudflare R2 client", &e))?;
        Ok(Arc::new(client))
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![typed(r2_bucket::BucketResource)]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![typed_data_source(r2_bucket_data_source::BucketDataSource)]
    }
}

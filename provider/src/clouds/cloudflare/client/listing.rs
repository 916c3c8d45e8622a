//! Listing on the Cloudflare client (for `terraform query`): every page of the account's
//! tunnels, API tokens and R2 buckets and of a zone's DNS records. Two pagers, as the API pages:
//! page numbers with `result_info.total_pages` (v4 lists) and a `cursor` (R2 buckets). HTTP and
//! JSON only; must not import the framework.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value as Json;

use super::{enc, AccountToken, Bucket, CloudflareClient, DnsRecord, Tunnel};
use crate::clouds::http::{ApiError, Call};

/// A runaway guard: no account of ours has more pages than this.
const MAX_PAGES: u32 = 10_000;

#[derive(Deserialize)]
struct Page<T> {
    #[serde(default)]
    success: bool,
    #[serde(default)]
    errors: Vec<Json>,
    #[serde(default = "Vec::new")]
    result: Vec<T>,
    #[serde(default)]
    result_info: Option<ResultInfo>,
}

#[derive(Deserialize, Default)]
struct ResultInfo {
    #[serde(default)]
    total_pages: Option<u64>,
    #[serde(default)]
    total_count: Option<u64>,
    #[serde(default)]
    cursor: Option<String>,
}

#[derive(Deserialize)]
struct BucketPage {
    #[serde(default)]
    success: bool,
    #[serde(default)]
    errors: Vec<Json>,
    #[serde(default)]
    result: Option<Buckets>,
    #[serde(default)]
    result_info: Option<ResultInfo>,
}

#[derive(Deserialize, Default)]
struct Buckets {
    #[serde(default)]
    buckets: Vec<Bucket>,
}

/// Server-side filters of a zone's DNS record list.
#[derive(Clone, Debug, Default)]
pub struct DnsRecordFilter {
    /// Exact name (a fully qualified name, or relative to the zone as the API allows).
    pub name: Option<String>,
    /// Record type (`A`, `CNAME`, …).
    pub kind: Option<String>,
}

impl CloudflareClient {
    /// Every page of a page-numbered v4 list: `call` with `page`/`per_page` added, until
    /// `total_pages` (or, where the API leaves it out, `total_count` or a short page) says done.
    async fn all_pages<T: DeserializeOwned>(
        &self,
        call: impl Fn() -> Call<'static>,
        per_page: usize,
    ) -> Result<Vec<T>, ApiError> {
        let mut out = Vec::new();
        for page in 1..=MAX_PAGES {
            let p: Page<T> = self
                .http
                .send(call().query("page", page).query("per_page", per_page))
                .await?;
            if !p.success {
                return Err(self.failure(p.errors));
            }
            let n = p.result.len();
            out.extend(p.result);
            let info = p.result_info.unwrap_or_default();
            let done = match (info.total_pages, info.total_count) {
                (Some(pages), _) => u64::from(page) >= pages,
                (None, Some(total)) => out.len() as u64 >= total,
                (None, None) => n < per_page,
            };
            if done || n == 0 {
                break;
            }
        }
        Ok(out)
    }

    /// The account's live tunnels (deleted ones are listed by the API too, and excluded).
    pub async fn list_tunnels(&self, account: &str) -> Result<Vec<Tunnel>, ApiError> {
        let path = format!("/accounts/{}/cfd_tunnel", enc(account));
        let all: Vec<Tunnel> = self
            .all_pages(|| Call::get(path.clone()).query("is_deleted", "false"), 50)
            .await?;
        Ok(all.into_iter().filter(|t| !t.is_deleted()).collect())
    }

    /// The account-owned API tokens.
    pub async fn list_account_tokens(&self, account: &str) -> Result<Vec<AccountToken>, ApiError> {
        let path = format!("/accounts/{}/tokens", enc(account));
        self.all_pages(|| Call::get(path.clone()), 50).await
    }

    /// A zone's DNS records, filtered by the API.
    pub async fn list_dns_records(
        &self,
        zone: &str,
        filter: &DnsRecordFilter,
    ) -> Result<Vec<DnsRecord>, ApiError> {
        let path = format!("/zones/{}/dns_records", enc(zone));
        self.all_pages(
            || {
                let mut c = Call::get(path.clone());
                if let Some(n) = &filter.name {
                    c = c.query("name", n);
                }
                if let Some(k) = &filter.kind {
                    c = c.query("type", k);
                }
                c
            },
            100,
        )
        .await
    }

    /// The account's R2 buckets in one jurisdiction whose name contains `contains` (the API's
    /// own filter), every cursor page.
    pub async fn list_buckets(
        &self,
        account: &str,
        jurisdiction: &str,
        contains: Option<&str>,
    ) -> Result<Vec<Bucket>, ApiError> {
        let path = format!("/accounts/{}/r2/buckets", enc(account));
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut call = Call::get(path.clone())
                .query("per_page", 1000)
                .header("cf-r2-jurisdiction", jurisdiction);
            if let Some(c) = &cursor {
                call = call.query("cursor", c);
            }
            if let Some(n) = contains {
                call = call.query("name_contains", n);
            }
            let p: BucketPage = self.http.send(call).await?;
            if !p.success {
                return Err(self.failure(p.errors));
            }
            let page = p.result.unwrap_or_default().buckets;
            let n = page.len();
            out.extend(page);
            cursor = p
                .result_info
                .and_then(|i| i.cursor)
                .filter(|c| !c.is_empty());
            if cursor.is_none() || n == 0 {
                break;
            }
        }
        Ok(out)
    }
}

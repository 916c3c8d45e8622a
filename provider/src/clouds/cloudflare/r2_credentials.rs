//! `r2_credentials`: S3 credentials for named R2 buckets, minted as an account-owned Cloudflare API
//! token whose one policy allows the R2 bucket-item permission groups (looked up by name) on
//! exactly those buckets. The S3 pair is derived as Cloudflare documents for R2: access key id =
//! the token id, secret access key = hex SHA-256 of the token value. A token cannot be re-scoped
//! here, so every argument change replaces it (rotation), and destroy revokes it. The secret is
//! known only at create: it is null after import.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::{AccountToken, CloudflareClient, CreateTokenRequest, PolicyGroup, TokenPolicy};
use super::r2_bucket::schema::{bucket_name_error, date_validator, JURISDICTIONS};
use crate::clouds::support::api_diag;
use crate::framework::rules::{one_of, Validator, Verdict};
use crate::framework::{
    Applied, ApplyCx, Attribute, Create, Diagnostic, Diagnostics, Identity, ImportId, Path, Schema,
    Type, TypedResource, Update, Val, Value,
};

pub struct CredentialsResource;

/// `permission` → the permission group names it needs (Cloudflare's names for R2 object access).
const READ_GROUPS: &[&str] = &["Workers R2 Storage Bucket Item Read"];
const READ_WRITE_GROUPS: &[&str] = &[
    "Workers R2 Storage Bucket Item Read",
    "Workers R2 Storage Bucket Item Write",
];
const WRITE_GROUP: &str = "Workers R2 Storage Bucket Item Write";
const BUCKET_RESOURCE: &str = "com.cloudflare.edge.r2.bucket.";

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CredentialsModel {
    pub id: Val<String>,
    pub account_id: Val<String>,
    /// Unknown after an import: read from the token's policy.
    pub buckets: Val<Vec<String>>,
    pub jurisdiction: Val<String>,
    pub permission: Val<String>,
    pub name: Val<String>,
    pub expires_on: Val<String>,
    pub access_key_id: Val<String>,
    pub secret_access_key: Val<String>,
    pub s3_endpoint: Val<String>,
}

/// Hex SHA-256 of a token value: the R2 secret access key.
pub fn secret_access_key(token_value: &str) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, token_value.as_bytes());
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// The account's S3 endpoint in a jurisdiction.
pub fn s3_endpoint(account: &str, jurisdiction: &str) -> String {
    match jurisdiction {
        "default" | "" => format!("https://{account}.r2.cloudflarestorage.com"),
        j => format!("https://{account}.{j}.r2.cloudflarestorage.com"),
    }
}

impl CredentialsModel {
    fn account<'a>(&'a self, default: Option<&'a str>) -> Result<&'a str, Diagnostics> {
        self.account_id.non_empty().or(default).ok_or_else(|| {
            Diagnostic::error(
                "Missing account_id",
                "Set `account_id` on the credentials or in the provider \"r2\" block (env CLOUDFLARE_ACCOUNT_ID).",
            )
            .at(Path::root("account_id"))
            .into()
        })
    }

    fn jurisdiction(&self) -> &str {
        self.jurisdiction.as_deref().unwrap_or("default")
    }

    fn buckets(&self) -> &[String] {
        self.buckets.known().map_or(&[], Vec::as_slice)
    }

    /// The token request for these buckets, given the permission group ids by name (pure).
    pub fn to_create_request(
        &self,
        account: &str,
        group_id: impl Fn(&str) -> Option<String>,
    ) -> Result<CreateTokenRequest, Diagnostics> {
        let wanted = match self.permission.as_deref() {
            Some("read") => READ_GROUPS,
            _ => READ_WRITE_GROUPS,
        };
        let mut permission_groups = Vec::new();
        for name in wanted {
            let id = group_id(name).ok_or_else(|| {
                Diagnostics::from(Diagnostic::error(
                    "Failed to create R2 credentials",
                    format!("Cloudflare lists no permission group named {name:?} for this account, so the token cannot be scoped to R2 buckets."),
                ))
            })?;
            permission_groups.push(PolicyGroup { id, name: None });
        }
        let resources = self
            .buckets()
            .iter()
            .map(|b| {
                (
                    format!("{BUCKET_RESOURCE}{account}_{}_{b}", self.jurisdiction()),
                    "*".to_string(),
                )
            })
            .collect();
        Ok(CreateTokenRequest {
            name: self.token_name(),
            policies: vec![TokenPolicy {
                id: None,
                effect: "allow".into(),
                permission_groups,
                resources,
            }],
            expires_on: self.expires_on.known().cloned(),
        })
    }

    fn token_name(&self) -> String {
        self.name.known().cloned().unwrap_or_else(|| {
            format!(
                "r2 {} ({})",
                self.buckets().join(","),
                self.permission.as_deref().unwrap_or("read_write")
            )
        })
    }

    /// The state from a token answer (pure): ids, endpoint, and — when the prior does not know
    /// them (import) — the buckets, jurisdiction, permission and expiry the token's policy holds.
    pub fn from_api(mut self, account: &str, t: &AccountToken) -> Self {
        self.id = Val::Known(t.id.clone());
        self.access_key_id = Val::Known(t.id.clone());
        self.account_id = Val::Known(account.to_string());
        if let Some(v) = &t.value {
            self.secret_access_key = Val::Known(secret_access_key(v));
        }
        self.name = Val::Known(t.name.clone());
        let prefix = format!("{BUCKET_RESOURCE}{account}_");
        let scoped: Vec<(String, String)> = t
            .policies
            .iter()
            .flat_map(|p| p.resources.keys())
            .filter_map(|k| k.strip_prefix(&prefix))
            .filter_map(|rest| rest.split_once('_'))
            .map(|(j, b)| (j.to_string(), b.to_string()))
            .collect();
        if !self.buckets.is_known() {
            self.buckets = Val::Known(scoped.iter().map(|(_, b)| b.clone()).collect());
        }
        if !self.jurisdiction.is_known() {
            self.jurisdiction = Val::Known(
                scoped
                    .first()
                    .map_or_else(|| "default".into(), |(j, _)| j.clone()),
            );
        }
        if !self.permission.is_known() {
            let writes = t
                .policies
                .iter()
                .flat_map(|p| &p.permission_groups)
                .any(|g| g.name.as_deref() == Some(WRITE_GROUP));
            self.permission = Val::Known(if writes { "read_write" } else { "read" }.into());
        }
        if self.expires_on.is_unknown() {
            self.expires_on = t.expires_on.clone().into();
        }
        self.s3_endpoint = Val::Known(s3_endpoint(account, self.jurisdiction()));
        self.secret_access_key = self.secret_access_key.settle();
        self
    }
}

fn buckets_validator() -> Validator {
    Validator::new("One or more R2 bucket names.", |v| {
        let items = v.elements().unwrap_or_default();
        if items.is_empty() && v.is_known() && !v.is_null() {
            return Verdict::Error("must name at least one bucket.".into());
        }
        for s in items.iter().filter_map(Value::as_str) {
            if let Some(e) = bucket_name_error(s) {
                return Verdict::Error(format!("{s:?} is not an R2 bucket name: it {e}"));
            }
        }
        Verdict::Ok
    })
}

#[async_trait]
impl TypedResource for CredentialsResource {
    type Model = CredentialsModel;
    type Client = CloudflareClient;
    const TYPE_NAME: &'static str = "r2_credentials";

    fn check_configured(&self, c: &CloudflareClient, config: &Value, diags: &mut Diagnostics) {
        crate::clouds::cloudflare::tunnel::require_account("r2", config, c, diags);
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "S3 credentials for R2 buckets: an account API token scoped to the named buckets with `read` or `read_write` object access. \
`access_key_id` and `secret_access_key` are what S3 clients need (Cloudflare derives them from the token: the id, and the SHA-256 of the value). \
Every argument change replaces the token (rotation); `terraform destroy` revokes it. The secret is stored in state, marked sensitive; pass it on \
through write-only arguments (e.g. `render_service.env_vars_wo`) so it is stored nowhere else. It is only known when the token is created: it is \
null after `terraform import`. Needs an API token that may create account tokens (Account API Tokens Write).",
            vec![
                Attribute::string("account_id").optional_computed().keep_state().replace().description("Account that owns the buckets (default: the provider's `account_id`)."),
                Attribute::list("buckets", Type::String).required().replace().description("Names of the buckets the credentials may access.").validate(buckets_validator()),
                Attribute::string("jurisdiction").default(Value::string("default")).replace().description("Jurisdiction of the buckets: `default`, `eu` or `fedramp` (it also picks the S3 endpoint).").validate(one_of(JURISDICTIONS)),
                Attribute::string("permission").required().replace().description("`read` (list and get objects) or `read_write` (also put and delete).").validate(one_of(&["read", "read_write"])),
                Attribute::string("name").optional_computed().keep_state().replace().description("Name of the API token (default: `r2 <buckets> (<permission>)`)."),
                Attribute::string("expires_on").optional().replace().description("When the token stops working (RFC 3339, e.g. `2027-01-01T00:00:00Z`); an expired token leaves the state, so the next apply mints a new one.").validate(date_validator()),
                Attribute::string("id").computed().keep_state().description("The API token's id."),
                Attribute::string("access_key_id").computed().keep_state().description("The S3 access key id (the token id)."),
                Attribute::string("secret_access_key").computed().sensitive().keep_state().description("The S3 secret access key (hex SHA-256 of the token value). Only known at create: null after import."),
                Attribute::string("s3_endpoint").computed().keep_state().description("The account's S3 endpoint for the jurisdiction, `https://<account_id>.r2.cloudflarestorage.com` (`.eu.` / `.fedramp.` inside jurisdictions)."),
            ],
        )
    }

    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<account_id>/<id>"])
            .id_from("id")
            .read_in_full(&["buckets", "jurisdiction", "permission", "expires_on"])
            .check(|f| {
                let ok = |k: &str| {
                    f.get(k)
                        .is_some_and(|v| v.chars().all(|c| c.is_ascii_alphanumeric()))
                };
                (!(ok("account_id") && ok("id")))
                    .then(|| "account_id and the token id are letters and digits".to_string())
            })
    }

    fn identity(&self) -> Identity {
        Identity::new(&["account_id", "id"])
    }

    async fn create(
        &self,
        c: &CloudflareClient,
        op: Create<CredentialsModel>,
        _cx: &ApplyCx,
    ) -> Applied<CredentialsModel> {
        let plan = op.plan;
        let account = plan.account(c.default_account_id.as_deref())?.to_string();
        let groups = c
            .list_permission_groups(&account)
            .await
            .map_err(|e| api_diag("Failed to list Cloudflare permission groups", &e))?;
        let req = plan.to_create_request(&account, |name| {
            groups.iter().find(|g| g.name == name).map(|g| g.id.clone())
        })?;
        // Not adopted after a lost answer: a token's value is answered once, so an orphan could
        // never give its secret; the POST is not retried blindly (it could mint two tokens).
        let token = c
            .create_account_token(&account, &req)
            .await
            .map_err(|e| api_diag("Failed to create R2 credentials", &e))?;
        Ok(plan.from_api(&account, &token))
    }

    async fn read(
        &self,
        c: &CloudflareClient,
        state: CredentialsModel,
        _cx: &ApplyCx,
    ) -> Result<Option<CredentialsModel>, Diagnostics> {
        let account = state.account(c.default_account_id.as_deref())?.to_string();
        let id = state.id.required("id")?.to_string();
        let token = match c.get_account_token(&account, &id).await {
            Ok(t) => t,
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => return Err(api_diag("Failed to read R2 credentials", &e)),
        };
        if matches!(token.status.as_deref(), Some("expired" | "disabled")) {
            tracing::info!(
                id,
                "R2 credentials token is expired or disabled: removing it from state"
            );
            return Ok(None);
        }
        Ok(Some(state.from_api(&account, &token)))
    }

    async fn update(
        &self,
        _c: &CloudflareClient,
        op: Update<CredentialsModel>,
        _cx: &ApplyCx,
    ) -> Applied<CredentialsModel> {
        // Every argument replaces; nothing changes in place.
        Ok(op.plan)
    }

    async fn delete(
        &self,
        c: &CloudflareClient,
        state: CredentialsModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        let account = state.account(c.default_account_id.as_deref())?.to_string();
        let id = state.id.required("id")?;
        c.delete_account_token(&account, id)
            .await
            .map_err(|e| api_diag("Failed to revoke R2 credentials", &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_the_hex_sha256_of_the_token_value() {
        // sha256("abc"), FIPS 180-2 test vector.
        assert_eq!(
            secret_access_key("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn endpoints_follow_the_jurisdiction() {
        assert_eq!(
            s3_endpoint("a1", "default"),
            "https://a1.r2.cloudflarestorage.com"
        );
        assert_eq!(
            s3_endpoint("a1", "eu"),
            "https://a1.eu.r2.cloudflarestorage.com"
        );
    }
}

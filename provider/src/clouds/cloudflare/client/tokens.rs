//! Account-owned API tokens on the Cloudflare client: permission groups (looked up by name, never
//! hard-coded), create (the value is answered once), get and delete (revocation). HTTP and JSON
//! only; must not import the framework.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{enc, CloudflareClient};
use crate::clouds::http::{ApiError, Call};

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct PermissionGroup {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

/// A permission group as a policy names it (`{"id"}` on the way in; the API adds the name).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PolicyGroup {
    pub id: String,
    #[serde(default, skip_serializing)]
    pub name: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TokenPolicy {
    /// Assigned by Cloudflare; never sent.
    #[serde(default, skip_serializing)]
    pub id: Option<String>,
    pub effect: String,
    pub permission_groups: Vec<PolicyGroup>,
    /// Resource name → `"*"`.
    pub resources: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CreateTokenRequest {
    pub name: String,
    pub policies: Vec<TokenPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct AccountToken {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub policies: Vec<TokenPolicy>,
    #[serde(default)]
    pub expires_on: Option<String>,
    /// Only in the create answer.
    #[serde(default)]
    pub value: Option<String>,
}

impl CloudflareClient {
    fn tokens_path(account: &str, suffix: &str) -> String {
        format!("/accounts/{}/tokens{suffix}", enc(account))
    }

    pub async fn list_permission_groups(
        &self,
        account: &str,
    ) -> Result<Vec<PermissionGroup>, ApiError> {
        let path = Self::tokens_path(account, "/permission_groups");
        self.send_enveloped(Call::get(path)).await
    }

    /// Mints a token and registers its value as a secret before anything else can print it.
    pub async fn create_account_token(
        &self,
        account: &str,
        req: &CreateTokenRequest,
    ) -> Result<AccountToken, ApiError> {
        let body = serde_json::to_value(req).map_err(|e| ApiError::Decode(e.to_string()))?;
        let token: AccountToken = self
            .send_enveloped(Call::post(Self::tokens_path(account, ""), body))
            .await?;
        if let Some(v) = &token.value {
            self.register_secret(v);
        }
        Ok(token)
    }

    pub async fn get_account_token(
        &self,
        account: &str,
        id: &str,
    ) -> Result<AccountToken, ApiError> {
        let path = Self::tokens_path(account, &format!("/{}", enc(id)));
        self.send_enveloped(Call::get(path)).await
    }

    /// Revokes (deletes) a token; one already gone counts as revoked.
    pub async fn delete_account_token(&self, account: &str, id: &str) -> Result<(), ApiError> {
        let path = Self::tokens_path(account, &format!("/{}", enc(id)));
        // The spec declares a required JSON body for this DELETE.
        match self
            .send_enveloped_unit(Call::delete(path).json(json!({})))
            .await
        {
            Err(e) if e.is_not_found() => Ok(()),
            other => other,
        }
    }
}

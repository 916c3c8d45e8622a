//! Render Postgres (`/postgres`) and Key Value (`/key-value`) instances and their connection info.
//! Shapes follow render.openapi.json (`postgresDetail`, `postgresPOSTInput`, `keyValueDetail`, …).
//! Create and update bodies are typed (`PostgresInput`, `KeyValueInput`); no wire name leaves this
//! module. HTTP/JSON only.

use serde::{Deserialize, Serialize};

use super::{seg, RenderClient};
use crate::clouds::http::{ApiError, Call, GoneOk};

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CidrBlock {
    pub cidr_block: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct ReadReplica {
    #[serde(default, skip_serializing)]
    pub id: String,
    #[serde(default)]
    pub name: String,
}

/// What both engines report, normalised (`postgresDetail` / `keyValueDetail`).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Database {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub status: String,
    pub plan: Option<String>,
    pub region: Option<String>,
    pub version: Option<String>,
    pub created_at: Option<String>,
    pub environment_id: Option<String>,
    #[serde(default)]
    pub ip_allow_list: Vec<CidrBlock>,
    // Postgres only.
    pub database_name: Option<String>,
    pub database_user: Option<String>,
    #[serde(rename = "diskSizeGB")]
    pub disk_size_gb: Option<i64>,
    pub high_availability_enabled: Option<bool>,
    #[serde(default)]
    pub read_replicas: Vec<ReadReplica>,
    // Key Value only.
    pub options: Option<KeyValueOptions>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KeyValueOptions {
    pub maxmemory_policy: Option<String>,
}

/// Connection info for either engine (`password` and `psqlCommand` are Postgres only).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionInfo {
    pub password: Option<String>,
    #[serde(default)]
    pub internal_connection_string: String,
    #[serde(default)]
    pub external_connection_string: String,
}

/// `postgresPOSTInput` and `postgresPATCHInput` in one: unset fields are left out of the body.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PostgresInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_allow_list: Option<Vec<CidrBlock>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_user: Option<String>,
    #[serde(rename = "diskSizeGB", skip_serializing_if = "Option::is_none")]
    pub disk_size_gb: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_high_availability: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_replicas: Option<Vec<ReadReplica>>,
    /// `datadogAPIKey`: an empty string removes it (the spec: "Pass empty string to remove").
    #[serde(rename = "datadogAPIKey", skip_serializing_if = "Option::is_none")]
    pub datadog_api_key: Option<Redacted>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datadog_site: Option<String>,
}

/// A string sent in a request body whose `Debug` never shows it (the Datadog API key).
#[derive(Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Redacted(pub String);

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// `keyValuePOSTInput` and `keyValuePATCHInput` in one.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KeyValueInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_allow_list: Option<Vec<CidrBlock>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maxmemory_policy: Option<String>,
}

/// A create or update body; the variant picks the API.
#[derive(Clone, Debug, PartialEq)]
pub enum DatabaseInput {
    Postgres(PostgresInput),
    KeyValue(KeyValueInput),
}

impl DatabaseInput {
    pub fn engine(&self) -> Engine {
        match self {
            DatabaseInput::Postgres(_) => Engine::Postgres,
            DatabaseInput::KeyValue(_) => Engine::KeyValue,
        }
    }
    /// The secret the body carries (so no error echoes it).
    fn secret(&self) -> Option<&str> {
        match self {
            DatabaseInput::Postgres(b) => b.datadog_api_key.as_ref().map(|k| k.0.as_str()),
            DatabaseInput::KeyValue(_) => None,
        }
        .filter(|k| !k.is_empty())
    }

    /// A call carrying `input`, its secret marked.
    fn call<'a>(input: &DatabaseInput, call: Call<'a>) -> Call<'a> {
        match input.secret() {
            Some(k) => call.secret(k.to_string()),
            None => call,
        }
    }

    fn body(&self) -> Result<serde_json::Value, ApiError> {
        match self {
            DatabaseInput::Postgres(b) => serde_json::to_value(b),
            DatabaseInput::KeyValue(b) => serde_json::to_value(b),
        }
        // Never sent, so not ambiguous (a `Decode` error would make the caller look for an
        // object the request could have made). Plain structs of strings cannot fail to encode.
        .map_err(|e| ApiError::Api {
            status: 0,
            message: format!("Render database body: {e}"),
        })
    }
}

/// Which of Render's two database APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Postgres,
    KeyValue,
}

impl Engine {
    pub fn parse(s: &str) -> Option<Engine> {
        match s {
            "postgres" => Some(Engine::Postgres),
            "key_value" => Some(Engine::KeyValue),
            _ => None,
        }
    }
    /// From an id prefix: `dpg-` Postgres, `red-` Key Value.
    pub fn from_id(id: &str) -> Option<Engine> {
        if id.starts_with("dpg-") {
            Some(Engine::Postgres)
        } else if id.starts_with("red-") {
            Some(Engine::KeyValue)
        } else {
            None
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Engine::Postgres => "postgres",
            Engine::KeyValue => "key_value",
        }
    }
    pub(crate) fn collection(self) -> &'static str {
        match self {
            Engine::Postgres => "/postgres",
            Engine::KeyValue => "/key-value",
        }
    }
    /// The key each list entry carries its item under.
    pub(crate) fn list_key(self) -> &'static str {
        match self {
            Engine::Postgres => "postgres",
            Engine::KeyValue => "keyValue",
        }
    }
}

impl RenderClient {
    fn db_path(engine: Engine, id: &str) -> String {
        format!("{}/{}", engine.collection(), seg(id))
    }

    /// POST (not retried after an ambiguous failure: the caller looks the name up).
    pub async fn create_database(&self, input: &DatabaseInput) -> Result<Database, ApiError> {
        let call = Call::post(input.engine().collection(), input.body()?);
        self.http.send(DatabaseInput::call(input, call)).await
    }

    pub async fn get_database(&self, engine: Engine, id: &str) -> Result<Database, ApiError> {
        self.http.send(Call::get(Self::db_path(engine, id))).await
    }

    pub async fn find_databases_by_name(
        &self,
        engine: Engine,
        name: &str,
    ) -> Result<Vec<Database>, ApiError> {
        let q = [
            ("name", name.to_string()),
            ("ownerId", self.owner_id().to_string()),
        ];
        let all: Vec<Database> = self
            .list_all(engine.collection(), &q, engine.list_key())
            .await?;
        Ok(all.into_iter().filter(|d| d.name == name).collect())
    }

    pub async fn update_database(
        &self,
        id: &str,
        input: &DatabaseInput,
    ) -> Result<Database, ApiError> {
        let call = Call::patch(Self::db_path(input.engine(), id), input.body()?);
        self.http
            .send(DatabaseInput::call(input, call).idempotent(true))
            .await
    }

    /// DELETE; an instance already gone counts as deleted.
    pub async fn delete_database(&self, engine: Engine, id: &str) -> Result<(), ApiError> {
        self.http
            .send_empty(Call::delete(Self::db_path(engine, id)))
            .await
            .gone_ok()
    }

    pub async fn connection_info(
        &self,
        engine: Engine,
        id: &str,
    ) -> Result<ConnectionInfo, ApiError> {
        self.http
            .send(Call::get(format!(
                "{}/connection-info",
                Self::db_path(engine, id)
            )))
            .await
    }
}

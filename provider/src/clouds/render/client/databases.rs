//! Render Postgres (`/postgres`) and Key Value (`/key-value`) instances and their connection info.
//! Shapes follow render.openapi.json (`postgresDetail`, `postgresPOSTInput`, `keyValueDetail`, …).
//! HTTP/JSON only.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::{gone_ok, seg, RenderClient};
use crate::clouds::http::{ApiError, Call};

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CidrBlock {
    pub cidr_block: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ReadReplica {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
}

/// What both engines report, normalised (`postgresDetail` / `keyValueDetail`).
#[derive(Clone, Debug, Default, Deserialize)]
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

#[derive(Clone, Debug, Default, Deserialize)]
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
    fn collection(self) -> &'static str {
        match self {
            Engine::Postgres => "/postgres",
            Engine::KeyValue => "/key-value",
        }
    }
    /// The key each list entry carries its item under.
    fn list_key(self) -> &'static str {
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
    pub async fn create_database(&self, engine: Engine, body: Json) -> Result<Database, ApiError> {
        self.http.send(Call::post(engine.collection(), body)).await
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
        engine: Engine,
        id: &str,
        body: Json,
    ) -> Result<Database, ApiError> {
        self.http
            .send(Call::patch(Self::db_path(engine, id), body).idempotent(true))
            .await
    }

    /// DELETE; an instance already gone counts as deleted.
    pub async fn delete_database(&self, engine: Engine, id: &str) -> Result<(), ApiError> {
        gone_ok(
            self.http
                .send_empty(Call::delete(Self::db_path(engine, id)))
                .await,
        )
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

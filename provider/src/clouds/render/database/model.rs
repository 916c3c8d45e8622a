//! `render_database`'s model and its pure mappings: the state struct (shared by the resource and
//! the data source, whose schemas name the same attributes), the create and update bodies built
//! from it, the state rebuilt from the API's answer and connection info, and the evidence rule
//! that decides whether an existing database of the same name is this resource's own orphan.
//! No I/O; must not import the HTTP layer or the framework's host.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::super::client::databases::{
    CidrBlock, ConnectionInfo, Database, DatabaseInput, Engine, KeyValueInput, PostgresInput,
    ReadReplica, Redacted,
};
use super::super::enums::LATEST_POSTGRES;
use super::super::overrides::LogStreamOverrideModel;
use crate::framework::orphan::{age_secs, is_recent};
use crate::framework::{Val, WriteOnlySecret};

/// `datadogSite` when none is set (the spec: "Defaults to 'US1'").
const DEFAULT_DATADOG_SITE: &str = "US1";

/// One state of `render_database` (and one answer of the `render_database` data source).
/// `name` and `plan` are `Val` although the resource requires them: the data source looks up by
/// either and shares the struct. Missing attributes decode as null (an import's partial state
/// holds only `id`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseModel {
    pub engine: Val<String>,
    pub name: Val<String>,
    pub plan: Val<String>,
    pub region: Val<String>,
    pub version: Val<String>,
    pub database_name: Val<String>,
    pub database_user: Val<String>,
    pub disk_size_gb: Val<i64>,
    pub high_availability: Val<bool>,
    pub ip_allow_list: Val<Vec<CidrModel>>,
    pub read_replicas: Val<Vec<ReplicaModel>>,
    pub maxmemory_policy: Val<String>,
    pub environment_id: Val<String>,
    pub id: Val<String>,
    pub status: Val<String>,
    pub created_at: Val<String>,
    pub internal_connection_string: Val<String>,
    pub external_connection_string: Val<String>,
    pub host: Val<String>,
    pub port: Val<i64>,
    pub user: Val<String>,
    pub password: Val<String>,
    /// Postgres' Datadog API key, plain (sensitive, in state) or write-only with a version; the
    /// Datadog site. Render never answers them (a read keeps the state's). Resource only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datadog_api_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datadog_api_key_wo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datadog_api_key_wo_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datadog_site: Option<String>,
    /// The instance's log stream override (`overrides`); resource only.
    #[serde(default, skip_serializing_if = "Val::is_null")]
    pub log_stream_override: Val<LogStreamOverrideModel>,
    /// Only the resource has the block; the data source leaves it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeouts: Option<DatabaseTimeouts>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CidrModel {
    pub cidr_block: Val<String>,
    pub description: Val<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReplicaModel {
    pub name: Val<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseTimeouts {
    pub create: Val<String>,
}

fn known<T: Clone>(v: &Val<T>) -> Option<T> {
    v.known().cloned()
}

/// An API string as a state value: absent and empty are both null.
fn opt(x: &Option<String>) -> Val<String> {
    x.clone().filter(|s| !s.is_empty()).into()
}

/// The major version (`"16"` → 16, `"8.1.4"` → 8).
pub fn major(v: Option<&str>) -> Option<u32> {
    v?.split('.').next()?.parse().ok()
}

impl DatabaseModel {
    /// The engine the state names, else the id's prefix (an import), else Postgres (the default).
    pub fn engine(&self) -> Engine {
        self.engine
            .as_deref()
            .and_then(Engine::parse)
            .or_else(|| self.id.as_deref().and_then(Engine::from_id))
            .unwrap_or(Engine::Postgres)
    }

    fn cidrs(&self) -> Option<Vec<CidrBlock>> {
        self.ip_allow_list.known().map(|list| {
            list.iter()
                .map(|c| CidrBlock {
                    cidr_block: known(&c.cidr_block).unwrap_or_default(),
                    description: known(&c.description).unwrap_or_default(),
                })
                .collect()
        })
    }

    fn replicas(&self) -> Option<Vec<ReadReplica>> {
        self.read_replicas.known().map(|list| {
            list.iter()
                .map(|r| ReadReplica {
                    id: String::new(),
                    name: known(&r.name).unwrap_or_default(),
                })
                .collect()
        })
    }

    /// `postgresPOSTInput` / `keyValuePOSTInput` (the version defaults to the latest Postgres).
    pub fn to_create_request(&self, owner_id: &str, config: &DatabaseModel) -> DatabaseInput {
        match self.engine() {
            Engine::Postgres => DatabaseInput::Postgres(PostgresInput {
                name: known(&self.name),
                owner_id: Some(owner_id.to_string()),
                plan: known(&self.plan),
                region: known(&self.region),
                environment_id: known(&self.environment_id),
                ip_allow_list: self.cidrs(),
                version: Some(known(&self.version).unwrap_or_else(|| LATEST_POSTGRES.into())),
                database_name: known(&self.database_name),
                database_user: known(&self.database_user),
                disk_size_gb: known(&self.disk_size_gb),
                enable_high_availability: known(&self.high_availability),
                read_replicas: self.replicas(),
                datadog_api_key: self.datadog_key(config).map(Redacted),
                datadog_site: self.datadog_site.clone(),
            }),
            Engine::KeyValue => DatabaseInput::KeyValue(KeyValueInput {
                name: known(&self.name),
                owner_id: Some(owner_id.to_string()),
                plan: known(&self.plan),
                region: known(&self.region),
                environment_id: known(&self.environment_id),
                ip_allow_list: self.cidrs(),
                maxmemory_policy: known(&self.maxmemory_policy),
            }),
        }
    }

    /// `postgresPATCHInput` / `keyValuePATCHInput` of this state; `None` when it equals the
    /// prior's (nothing the API can change in place changed: no PATCH).
    /// The Datadog key and site go only when they changed (a new write-only version counts):
    /// Render restarts Postgres on a key change. A removed key is sent as `""` (the spec's
    /// removal), a removed site as Render's default `US1`.
    pub fn to_update_request(
        &self,
        prior: &DatabaseModel,
        config: &DatabaseModel,
    ) -> Option<DatabaseInput> {
        let mut body = self.patch_body();
        let mut changed = body != prior.patch_body();
        if let DatabaseInput::Postgres(p) = &mut body {
            if self.datadog_api_key != prior.datadog_api_key
                || self.datadog_api_key_wo_version != prior.datadog_api_key_wo_version
            {
                p.datadog_api_key = Some(Redacted(self.datadog_key(config).unwrap_or_default()));
                changed = true;
            }
            if self.datadog_site != prior.datadog_site {
                let site = self.datadog_site.clone();
                p.datadog_site = Some(site.unwrap_or_else(|| DEFAULT_DATADOG_SITE.into()));
                changed = true;
            }
        }
        changed.then_some(body)
    }

    /// The Datadog key to send: the plan's, else the configuration's write-only one.
    fn datadog_key(&self, config: &DatabaseModel) -> Option<String> {
        WriteOnlySecret::pick(
            self.datadog_api_key.as_ref(),
            config.datadog_api_key_wo.as_ref(),
        )
    }

    fn patch_body(&self) -> DatabaseInput {
        match self.engine() {
            Engine::Postgres => DatabaseInput::Postgres(PostgresInput {
                name: known(&self.name),
                plan: known(&self.plan),
                ip_allow_list: self.cidrs(),
                disk_size_gb: known(&self.disk_size_gb),
                enable_high_availability: known(&self.high_availability),
                // Always sent: an emptied list removes the replicas.
                read_replicas: Some(self.replicas().unwrap_or_default()),
                ..Default::default()
            }),
            Engine::KeyValue => DatabaseInput::KeyValue(KeyValueInput {
                name: known(&self.name),
                plan: known(&self.plan),
                ip_allow_list: self.cidrs(),
                maxmemory_policy: known(&self.maxmemory_policy),
                ..Default::default()
            }),
        }
    }

    /// `prior` (the plan or the stored state) with everything the API reports filled in.
    pub fn from_api(db: &Database, engine: Engine, prior: &DatabaseModel) -> DatabaseModel {
        let mut m = prior.clone();
        m.engine = Val::Known(engine.name().to_string());
        m.id = Val::Known(db.id.clone());
        m.name = Val::Known(db.name.clone());
        m.status = Val::Known(db.status.clone());
        m.plan = opt(&db.plan);
        m.region = opt(&db.region);
        m.version = opt(&db.version);
        m.created_at = opt(&db.created_at);
        m.environment_id = opt(&db.environment_id);
        m.ip_allow_list = Val::Known(
            db.ip_allow_list
                .iter()
                .map(|c| CidrModel {
                    cidr_block: Val::Known(c.cidr_block.clone()),
                    description: Val::Known(c.description.clone()),
                })
                .collect(),
        );
        match engine {
            Engine::Postgres => {
                m.database_name = opt(&db.database_name);
                m.database_user = opt(&db.database_user);
                m.user = opt(&db.database_user);
                m.disk_size_gb = db.disk_size_gb.into();
                m.high_availability = db.high_availability_enabled.into();
                let reps: Vec<ReplicaModel> = db
                    .read_replicas
                    .iter()
                    .map(|r| ReplicaModel {
                        name: Val::Known(r.name.clone()),
                    })
                    .collect();
                m.read_replicas = if reps.is_empty() {
                    Val::Null
                } else {
                    Val::Known(reps)
                };
            }
            Engine::KeyValue => {
                m.maxmemory_policy =
                    opt(&db.options.as_ref().and_then(|o| o.maxmemory_policy.clone()));
            }
        }
        m
    }

    /// This state with the connection info (host, port, user and password parsed from the
    /// connection strings where the API does not list them).
    pub fn with_connection(mut self, engine: Engine, info: &ConnectionInfo) -> DatabaseModel {
        self.internal_connection_string = Val::Known(info.internal_connection_string.clone());
        self.external_connection_string = Val::Known(info.external_connection_string.clone());
        let parts = parse_connection_string(&info.internal_connection_string)
            .or_else(|| parse_connection_string(&info.external_connection_string));
        let default_port = match engine {
            Engine::Postgres => 5432,
            Engine::KeyValue => 6379,
        };
        if let Some(p) = &parts {
            self.host = Val::Known(p.host.clone());
            self.port = Val::Known(p.port.unwrap_or(default_port));
            if engine == Engine::KeyValue {
                self.user = p.user.clone().into();
            }
        }
        self.password = info
            .password
            .clone()
            .or_else(|| parts.as_ref().and_then(|p| p.password.clone()))
            .into();
        self
    }

    /// `timeouts.create`, or the default.
    pub fn create_timeout(&self, default: Duration) -> Duration {
        self.timeouts
            .as_ref()
            .and_then(|t| t.create.as_deref())
            .and_then(crate::framework::rules::parse_duration)
            .unwrap_or(default)
    }
}

/// The parts of `scheme://user:password@host:port/path`.
pub struct ConnParts {
    pub user: Option<String>,
    pub password: Option<String>,
    pub host: String,
    pub port: Option<i64>,
}

pub fn parse_connection_string(s: &str) -> Option<ConnParts> {
    let rest = s.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let (user, password) =
        match userinfo.map(|u| u.split_once(':').map_or((u, None), |(a, b)| (a, Some(b)))) {
            Some((u, p)) => (
                (!u.is_empty()).then(|| u.to_string()),
                p.map(str::to_string),
            ),
            None => (None, None),
        };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() => {
            (h.to_string(), p.parse().ok())
        }
        _ => (hostport.to_string(), None),
    };
    (!host.is_empty()).then_some(ConnParts {
        user,
        password,
        host,
        port,
    })
}

/// What to do about the databases of this engine that already carry the planned name.
#[derive(Debug, PartialEq)]
pub enum Existing<'a> {
    /// None recent: create (Render names are not unique; an older namesake is someone's sibling).
    Create,
    /// Exactly one recent namesake with the planned settings: this resource's own orphan.
    Adopt(&'a Database),
    /// A recent namesake that is not safely ours (other settings, or several): stop and say so.
    Refuse(&'a Database, Option<i64>),
}

/// The adoption rule (issue #19). A namesake is *recent* when it was created less than
/// `framework::orphan::ORPHAN_WINDOW` ago (an unparsable or missing time counts as recent: it cannot be ruled out).
/// Exactly one recent namesake whose plan equals the planned one, and whose region and
/// environment equal the planned ones where the configuration sets them, is adopted; any other
/// recent namesake stops the create. The engine is implied (each engine is its own API).
pub fn judge<'a>(plan: &DatabaseModel, found: &'a [Database], now_unix: i64) -> Existing<'a> {
    let age = |d: &Database| d.created_at.as_deref().and_then(|c| age_secs(c, now_unix));
    let recent: Vec<&Database> = found
        .iter()
        .filter(|d| Some(d.name.as_str()) == plan.name.as_deref())
        .filter(|d| is_recent(age(d)))
        .collect();
    let same = |want: &Val<String>, got: &Option<String>| match want.as_deref() {
        Some(w) => got.as_deref() == Some(w),
        None => true,
    };
    let ours = |d: &&Database| {
        d.plan.as_deref() == plan.plan.as_deref()
            && same(&plan.region, &d.region)
            && same(&plan.environment_id, &d.environment_id)
    };
    match recent.as_slice() {
        [] => Existing::Create,
        // Adopted only with a known age: a namesake of unknown age may be someone else's, and
        // adopting it would hand its deletion to this resource's destroy.
        [one] if ours(one) && age(one).is_some() => Existing::Adopt(one),
        [first, ..] => {
            let odd = recent.iter().find(|d| !ours(d)).unwrap_or(first);
            Existing::Refuse(odd, age(odd))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_strings() {
        let p =
            parse_connection_string("postgresql://app:s3cret@dpg-abc-a/app_db").expect("parses");
        assert_eq!(
            (
                p.user.as_deref(),
                p.password.as_deref(),
                p.host.as_str(),
                p.port
            ),
            (Some("app"), Some("s3cret"), "dpg-abc-a", None)
        );
        let r = parse_connection_string("redis://red-xyz:6379").expect("parses");
        assert_eq!(
            (r.user, r.host.as_str(), r.port),
            (None, "red-xyz", Some(6379))
        );
        let r = parse_connection_string("rediss://default:pw@oregon-keyvalue.render.com:6379")
            .expect("parses");
        assert_eq!((r.password.as_deref(), r.port), (Some("pw"), Some(6379)));
        assert!(parse_connection_string("not a url").is_none());
    }

    #[test]
    fn version_majors() {
        assert_eq!(major(Some("16")), Some(16));
        assert_eq!(major(Some("8.1.4")), Some(8));
        assert_eq!(major(None), None);
    }

    #[test]
    fn ages_from_rfc3339() {
        // 2026-12-01T13:00:00Z is 1796130000.
        let now = 1_796_130_000;
        assert_eq!(age_secs("2026-12-01T13:00:00Z", now), Some(0));
        assert_eq!(age_secs("2026-12-01T12:58:00.123Z", now), Some(120));
        assert_eq!(age_secs("yesterday", now), None);
    }

    fn db(id: &str, plan: &str, region: &str, created: &str) -> Database {
        Database {
            id: id.into(),
            name: "kirby-gen-db".into(),
            plan: Some(plan.into()),
            region: Some(region.into()),
            created_at: Some(created.into()),
            ..Default::default()
        }
    }

    #[test]
    fn adopts_only_one_fresh_namesake_with_the_planned_settings() {
        let now = 1_796_130_000;
        let plan = DatabaseModel {
            name: Val::Known("kirby-gen-db".into()),
            plan: Val::Known("basic_1gb".into()),
            region: Val::Known("oregon".into()),
            ..Default::default()
        };
        let fresh = db("dpg-a", "basic_1gb", "oregon", "2026-12-01T12:58:00Z");
        let old = db("dpg-old", "basic_1gb", "oregon", "2026-11-30T12:00:00Z");
        let other = db("dpg-b", "basic_4gb", "oregon", "2026-12-01T12:55:00Z");
        assert_eq!(judge(&plan, &[], now), Existing::Create);
        assert_eq!(
            judge(&plan, std::slice::from_ref(&old), now),
            Existing::Create
        );
        assert_eq!(
            judge(&plan, &[fresh.clone(), old.clone()], now),
            Existing::Adopt(&fresh)
        );
        assert_eq!(
            judge(&plan, std::slice::from_ref(&other), now),
            Existing::Refuse(&other, Some(300))
        );
        let twin = db("dpg-c", "basic_1gb", "oregon", "2026-12-01T12:59:00Z");
        assert!(matches!(
            judge(&plan, &[fresh.clone(), twin], now),
            Existing::Refuse(..)
        ));
        let elsewhere = db("dpg-f", "basic_1gb", "frankfurt", "2026-12-01T12:59:00Z");
        assert!(matches!(
            judge(&plan, &[elsewhere], now),
            Existing::Refuse(..)
        ));
    }
}

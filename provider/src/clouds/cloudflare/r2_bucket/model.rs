//! r2_bucket's typed model and its pure mappings to and from the API's shapes (CORS rules,
//! lifecycle rules with days ⇄ seconds, custom domains). No I/O.

use serde::{Deserialize, Serialize};

use super::super::client::{
    Bucket, BucketRef, Condition, CorsAllowed, CorsRule, CustomDomain, LifecycleConditions,
    LifecycleRule, StorageTransition, Transition,
};
use crate::framework::{Diagnostic, Diagnostics, Path, Val};

const DAY: i64 = 86_400;

/// An import's partial state holds only the attributes its id names: the rest default to null.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BucketModel {
    pub id: Val<String>,
    pub name: String,
    pub account_id: Val<String>,
    pub jurisdiction: Val<String>,
    pub location: Val<String>,
    pub storage_class: Val<String>,
    /// Sub-objects: null = unmanaged (never read), unknown = read in full (after an import).
    pub cors: Val<Vec<CorsModel>>,
    pub lifecycle_rules: Val<Vec<LifecycleModel>>,
    pub custom_domains: Val<Vec<DomainModel>>,
    pub public_dev_domain_enabled: Val<bool>,
    pub public_dev_domain: Val<String>,
    pub creation_date: Val<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorsModel {
    pub id: Option<String>,
    pub allowed: AllowedModel,
    pub expose_headers: Option<Vec<String>>,
    pub max_age_seconds: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowedModel {
    pub origins: Vec<String>,
    pub methods: Vec<String>,
    pub headers: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LifecycleModel {
    pub id: String,
    pub enabled: Option<bool>,
    pub prefix: Option<String>,
    pub delete_objects_after_days: Option<i64>,
    pub delete_objects_on_date: Option<String>,
    pub abort_multipart_uploads_after_days: Option<i64>,
    pub storage_class_transitions: Option<Vec<TransitionModel>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionModel {
    pub after_days: Option<i64>,
    pub on_date: Option<String>,
    pub storage_class: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainModel {
    pub domain: String,
    pub zone_id: Option<String>,
    pub enabled: Option<bool>,
    pub min_tls: Option<String>,
}

impl BucketModel {
    /// Where the bucket lives; the account falls back to the provider's default.
    pub fn bucket_ref(&self, default_account: Option<&str>) -> Result<BucketRef, Diagnostics> {
        let account_id = self
            .account_id
            .non_empty()
            .or(default_account)
            .ok_or_else(|| {
                Diagnostics::from(
                    Diagnostic::error(
                        "Missing account_id",
                        "Set `account_id` on the bucket or in the provider \"r2\" block (env CLOUDFLARE_ACCOUNT_ID).",
                    )
                    .at(Path::root("account_id")),
                )
            })?;
        Ok(BucketRef {
            account_id: account_id.to_string(),
            jurisdiction: self
                .jurisdiction
                .as_deref()
                .unwrap_or("default")
                .to_string(),
            name: self.name.clone(),
        })
    }

    pub fn storage_class_or_default(&self) -> &str {
        self.storage_class.as_deref().unwrap_or("Standard")
    }

    /// The plan after a create: ids and what the API decided (a location hint left unset).
    pub fn created(mut self, b: &BucketRef, api: &Bucket) -> Self {
        self.id = Val::Known(b.name.clone());
        self.account_id = Val::Known(b.account_id.clone());
        self.creation_date = api.creation_date.clone().into();
        if self.location.is_unset() {
            self.location = api.location.as_deref().map(str::to_ascii_lowercase).into();
        }
        self
    }

    /// A refreshed state from the bucket's answer; sub-objects are filled by the caller.
    pub fn refreshed(&self, b: &BucketRef, api: &Bucket) -> Self {
        let mut next = self.clone();
        next.id = Val::Known(b.name.clone());
        next.account_id = Val::Known(b.account_id.clone());
        next.jurisdiction = Val::Known(
            api.jurisdiction
                .clone()
                .unwrap_or_else(|| b.jurisdiction.clone()),
        );
        next.creation_date = api.creation_date.clone().into();
        if let Some(sc) = &api.storage_class {
            next.storage_class = Val::Known(sc.clone());
        }
        // Location: the API may answer in another case ("ENAM"); keep the configured spelling.
        let reported = api.location.clone().unwrap_or_default();
        let keep = self
            .location
            .as_deref()
            .is_some_and(|l| l.eq_ignore_ascii_case(&reported));
        if !keep {
            next.location = if reported.is_empty() {
                Val::Null
            } else {
                Val::Known(reported.to_ascii_lowercase())
            };
        }
        next
    }

    pub fn cors_rules(&self) -> Vec<CorsRule> {
        self.cors.known().map_or_else(Vec::new, |rules| {
            rules.iter().map(CorsModel::to_api).collect()
        })
    }
    pub fn lifecycle(&self) -> Vec<LifecycleRule> {
        self.lifecycle_rules.known().map_or_else(Vec::new, |rules| {
            rules.iter().map(LifecycleModel::to_api).collect()
        })
    }
    pub fn domains(&self) -> Vec<CustomDomain> {
        self.custom_domains
            .known()
            .map_or_else(Vec::new, |ds| ds.iter().map(DomainModel::to_api).collect())
    }
    pub fn public_dev_enabled(&self) -> bool {
        self.public_dev_domain_enabled.known() == Some(&true)
    }
}

/// A collection read from the API: empty reads as null (the attribute's "unmanaged" form).
fn non_empty<T>(v: Vec<T>) -> Val<Vec<T>> {
    if v.is_empty() {
        Val::Null
    } else {
        Val::Known(v)
    }
}

pub fn cors_from_api(rules: &[CorsRule]) -> Val<Vec<CorsModel>> {
    non_empty(rules.iter().map(CorsModel::from_api).collect())
}

pub fn lifecycle_from_api(rules: &[LifecycleRule]) -> Val<Vec<LifecycleModel>> {
    non_empty(rules.iter().map(LifecycleModel::from_api).collect())
}

/// Domains as read; an unset `min_tls` stays unset (the API reports its default).
pub fn domains_from_api(
    domains: &[CustomDomain],
    prior: &Val<Vec<DomainModel>>,
) -> Val<Vec<DomainModel>> {
    let unset_tls = |d: &str| {
        prior
            .known()
            .is_some_and(|p| p.iter().any(|x| x.domain == d && x.min_tls.is_none()))
    };
    non_empty(
        domains
            .iter()
            .map(|d| {
                let mut m = DomainModel::from_api(d);
                if unset_tls(&d.domain) {
                    m.min_tls = None;
                }
                m
            })
            .collect(),
    )
}

impl CorsModel {
    fn to_api(&self) -> CorsRule {
        CorsRule {
            id: self.id.clone(),
            allowed: CorsAllowed {
                origins: self.allowed.origins.clone(),
                methods: self.allowed.methods.clone(),
                headers: self.allowed.headers.clone(),
            },
            expose_headers: self.expose_headers.clone(),
            max_age_seconds: self.max_age_seconds,
        }
    }
    fn from_api(r: &CorsRule) -> Self {
        CorsModel {
            id: r.id.clone(),
            allowed: AllowedModel {
                origins: r.allowed.origins.clone(),
                methods: r.allowed.methods.clone(),
                headers: r.allowed.headers.clone(),
            },
            expose_headers: r.expose_headers.clone(),
            max_age_seconds: r.max_age_seconds,
        }
    }
}

fn condition(days: Option<i64>, date: &Option<String>) -> Option<Condition> {
    if let Some(d) = days {
        return Some(Condition::Age { max_age: d * DAY });
    }
    date.clone().map(|date| Condition::Date { date })
}

fn condition_parts(c: &Condition) -> (Option<i64>, Option<String>) {
    match c {
        Condition::Age { max_age } => (Some(max_age / DAY), None),
        Condition::Date { date } => (None, Some(date.clone())),
    }
}

impl LifecycleModel {
    fn to_api(&self) -> LifecycleRule {
        let transitions: Vec<StorageTransition> = self
            .storage_class_transitions
            .iter()
            .flatten()
            .filter_map(|t| {
                Some(StorageTransition {
                    condition: condition(t.after_days, &t.on_date)?,
                    storage_class: t
                        .storage_class
                        .clone()
                        .unwrap_or_else(|| "InfrequentAccess".into()),
                })
            })
            .collect();
        LifecycleRule {
            id: self.id.clone(),
            enabled: self.enabled.unwrap_or(true),
            conditions: LifecycleConditions {
                prefix: self.prefix.clone().unwrap_or_default(),
            },
            delete_objects_transition: condition(
                self.delete_objects_after_days,
                &self.delete_objects_on_date,
            )
            .map(|condition| Transition { condition }),
            abort_multipart_uploads_transition: self.abort_multipart_uploads_after_days.map(|d| {
                Transition {
                    condition: Condition::Age { max_age: d * DAY },
                }
            }),
            storage_class_transitions: (!transitions.is_empty()).then_some(transitions),
        }
    }

    fn from_api(r: &LifecycleRule) -> Self {
        let (del_days, del_date) = r
            .delete_objects_transition
            .as_ref()
            .map_or((None, None), |t| condition_parts(&t.condition));
        let transitions = r
            .storage_class_transitions
            .as_ref()
            .filter(|t| !t.is_empty())
            .map(|ts| {
                ts.iter()
                    .map(|t| {
                        let (after_days, on_date) = condition_parts(&t.condition);
                        TransitionModel {
                            after_days,
                            on_date,
                            storage_class: Some(t.storage_class.clone()),
                        }
                    })
                    .collect()
            });
        LifecycleModel {
            id: r.id.clone(),
            enabled: Some(r.enabled),
            prefix: Some(r.conditions.prefix.clone()),
            delete_objects_after_days: del_days,
            delete_objects_on_date: del_date,
            abort_multipart_uploads_after_days: r
                .abort_multipart_uploads_transition
                .as_ref()
                .and_then(|t| condition_parts(&t.condition).0),
            storage_class_transitions: transitions,
        }
    }
}

impl DomainModel {
    fn to_api(&self) -> CustomDomain {
        CustomDomain {
            domain: self.domain.clone(),
            zone_id: self.zone_id.clone(),
            enabled: self.enabled.unwrap_or(true),
            min_tls: self.min_tls.clone(),
        }
    }
    fn from_api(d: &CustomDomain) -> Self {
        DomainModel {
            domain: d.domain.clone(),
            zone_id: d.zone_id.clone(),
            enabled: Some(d.enabled),
            min_tls: d.min_tls.clone(),
        }
    }
}

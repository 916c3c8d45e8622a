//! railway_service: turning what Railway reports (service, instance, variables, domains, deploy
//! triggers) into the resource's state, in the configured form where the API cannot tell
//! (unset vs empty, values Railway never returns). No network: the caller fetches.

use std::collections::BTreeMap;

use super::client::models::{Domains, ServiceState, Trigger};
use super::opt_string;
use crate::framework::Value;

fn int(v: Option<i64>) -> Value {
    v.map_or(Value::Null, Value::int)
}

fn strings(v: &[String]) -> Value {
    Value::List(v.iter().map(Value::string).collect())
}

/// A list from the API: empty means unset, unless the prior value was an empty list.
fn opt_list(api: Option<Vec<String>>, prior: &Value) -> Value {
    match api {
        Some(l) if !l.is_empty() => strings(&l),
        _ if matches!(prior.elements(), Some([])) => Value::List(Vec::new()),
        _ => Value::Null,
    }
}

/// A prior value the API cannot return (credentials, multi-region config, write-only bookkeeping):
/// kept; unknown (after an import) becomes null.
fn kept(prior: &Value) -> Value {
    if prior.is_unknown() {
        Value::Null
    } else {
        prior.clone()
    }
}

/// The service's variables as the `variables` attribute: write-only ones are left out, and so are
/// Railway's own `RAILWAY_*` variables unless the configuration manages them.
pub fn variables_value(
    api: &BTreeMap<String, String>,
    prior_vars: &Value,
    wo_names: &Value,
) -> Value {
    let wo: Vec<&str> = wo_names
        .elements()
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let managed = |k: &str| prior_vars.entries().is_some_and(|m| m.contains_key(k));
    Value::Map(
        api.iter()
            .filter(|(k, _)| !wo.contains(&k.as_str()))
            .filter(|(k, _)| !k.starts_with("RAILWAY_") || managed(k))
            .map(|(k, v)| (k.clone(), Value::string(v)))
            .collect(),
    )
}

/// `custom_domain_records`: one object per DNS record Railway asks for, sorted.
pub fn records_value(domains: &Domains) -> Value {
    let mut recs: Vec<(String, String, String, String)> = Vec::new();
    for d in &domains.custom_domains {
        for r in d
            .status
            .as_ref()
            .map(|s| s.dns_records.as_slice())
            .unwrap_or_default()
        {
            let name = if r.fqdn.is_empty() {
                r.hostlabel.clone()
            } else {
                r.fqdn.clone()
            };
            recs.push((
                d.domain.clone(),
                r.short_type().to_string(),
                name,
                r.required_value.clone(),
            ));
        }
    }
    recs.sort();
    recs.dedup();
    Value::List(
        recs.into_iter()
            .map(|(domain, ty, name, value)| {
                Value::object([
                    ("domain", Value::string(domain)),
                    ("type", Value::string(ty)),
                    ("name", Value::string(name)),
                    ("value", Value::string(value)),
                ])
            })
            .collect(),
    )
}

/// The branch deployed from `repo`, from the instance's deploy triggers.
pub fn branch_of(triggers: &[Trigger], repo: &str) -> Option<String> {
    triggers
        .iter()
        .find(|t| t.repository.eq_ignore_ascii_case(repo))
        .or_else(|| triggers.first())
        .map(|t| t.branch.clone())
        .filter(|b| !b.is_empty())
}

/// The full state from Railway's answer. `prior` supplies what Railway cannot return and the
/// configured form of empty values; `triggers` is None when the service has no repository.
pub fn state_from(
    prior: &Value,
    environment_id: &str,
    st: &ServiceState,
    triggers: Option<&[Trigger]>,
) -> Value {
    let i = &st.instance;
    let p = |a: &str| prior.attr(a);
    let mut s = Value::object(Vec::<(String, Value)>::new());
    s.set_attr("id", Value::string(&st.service.id));
    s.set_attr(
        "project_id",
        if st.service.project_id.is_empty() {
            kept(p("project_id"))
        } else {
            Value::string(&st.service.project_id)
        },
    );
    s.set_attr("environment_id", Value::string(environment_id));
    s.set_attr("name", Value::string(&st.service.name));
    s.set_attr("icon", opt_string(st.service.icon.as_deref(), p("icon")));

    let source = i.source.clone().unwrap_or_default();
    let repo = source.repo.filter(|r| !r.is_empty());
    // Railway may report the repository in another case than configured: keep the configured form.
    let repo_value = match (&repo, p("source_repo").as_str()) {
        (Some(r), Some(c)) if r.eq_ignore_ascii_case(c) => Value::string(c),
        (Some(r), _) => Value::string(r),
        (None, _) => Value::Null,
    };
    s.set_attr("source_repo", repo_value);
    s.set_attr(
        "source_image",
        opt_string(source.image.as_deref(), p("source_image")),
    );
    let branch = match (&repo, triggers) {
        (Some(r), Some(t)) => branch_of(t, r).map_or_else(|| kept(p("branch")), Value::String),
        (Some(_), None) => kept(p("branch")),
        (None, _) => Value::Null,
    };
    s.set_attr("branch", branch);
    s.set_attr(
        "root_directory",
        opt_string(i.root_directory.as_deref(), p("root_directory")),
    );
    s.set_attr(
        "watch_patterns",
        opt_list(i.watch_patterns.clone(), p("watch_patterns")),
    );
    s.set_attr("registry_credentials", kept(p("registry_credentials")));

    s.set_attr(
        "build_command",
        opt_string(i.build_command.as_deref(), p("build_command")),
    );
    s.set_attr(
        "start_command",
        opt_string(i.start_command.as_deref(), p("start_command")),
    );
    s.set_attr(
        "pre_deploy_command",
        opt_list(i.pre_deploy_commands(), p("pre_deploy_command")),
    );
    s.set_attr(
        "builder",
        i.builder
            .as_deref()
            .filter(|b| !b.is_empty())
            .map_or_else(|| kept(p("builder")), Value::string),
    );
    s.set_attr(
        "dockerfile_path",
        opt_string(i.dockerfile_path.as_deref(), p("dockerfile_path")),
    );
    s.set_attr(
        "railway_config_file",
        opt_string(i.railway_config_file.as_deref(), p("railway_config_file")),
    );
    s.set_attr(
        "healthcheck_path",
        opt_string(i.healthcheck_path.as_deref(), p("healthcheck_path")),
    );
    s.set_attr("healthcheck_timeout", int(i.healthcheck_timeout));
    s.set_attr(
        "cron_schedule",
        opt_string(i.cron_schedule.as_deref(), p("cron_schedule")),
    );
    s.set_attr("num_replicas", int(i.num_replicas));
    s.set_attr("region", opt_string(i.region.as_deref(), p("region")));
    s.set_attr("multi_region_replicas", kept(p("multi_region_replicas")));
    s.set_attr(
        "restart_policy_type",
        opt_string(i.restart_policy_type.as_deref(), p("restart_policy_type")),
    );
    s.set_attr(
        "restart_policy_max_retries",
        int(i.restart_policy_max_retries),
    );
    s.set_attr(
        "sleep_application",
        i.sleep_application.map_or(Value::Null, Value::Bool),
    );
    s.set_attr("draining_seconds", int(i.draining_seconds));
    s.set_attr("overlap_seconds", int(i.overlap_seconds));

    let wo_names = kept(p("variables_wo_names"));
    s.set_attr(
        "variables",
        variables_value(&st.variables, p("variables"), &wo_names),
    );
    s.set_attr("variables_wo_names", wo_names);
    s.set_attr("variables_wo_version", kept(p("variables_wo_version")));

    let service_domain = st.domains.service_domains.first();
    s.set_attr("service_domain", Value::Bool(service_domain.is_some()));
    s.set_attr(
        "service_domain_name",
        service_domain.map_or(Value::Null, |d| Value::string(&d.domain)),
    );
    s.set_attr(
        "custom_domains",
        Value::set(
            st.domains
                .custom_domains
                .iter()
                .map(|d| Value::string(&d.domain))
                .collect(),
        ),
    );
    s.set_attr("custom_domain_records", records_value(&st.domains));
    s
}

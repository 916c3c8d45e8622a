//! Checks on service instance settings that the schema's types cannot express: cron syntax,
//! known regions, non-negative counts, one source kind at a time. The schema already enforced
//! enums (`Builder`, `RestartPolicyType`) and scalar kinds. Imports only the error type.

use serde_json::{Map, Value};

use super::error::GqlError;

/// Regions the emulator accepts (Railway's public regions; `region` is a free string in the schema,
/// the list is served by the `regions` query): id, display name, country.
pub const REGIONS: &[(&str, &str, &str)] = &[
    ("us-west2", "US West (California)", "US"),
    ("us-east4-eqdc4a", "US East (Virginia)", "US"),
    ("europe-west4-drams3a", "EU West (Amsterdam)", "NL"),
    ("asia-southeast1-eqsg3a", "Southeast Asia (Singapore)", "SG"),
];

pub fn known_region(id: &str) -> bool {
    REGIONS.iter().any(|(r, _, _)| *r == id)
}

fn region_error(id: &str) -> GqlError {
    let known: Vec<&str> = REGIONS.iter().map(|(r, _, _)| *r).collect();
    GqlError::bad_input(format!(
        "Invalid region \"{id}\". Valid regions: {}",
        known.join(", ")
    ))
}

/// Validate a (coerced) `ServiceInstanceUpdateInput`.
pub fn check_instance_update(input: &Map<String, Value>) -> Result<(), GqlError> {
    if let Some(Value::String(cron)) = input.get("cronSchedule") {
        check_cron(cron)?;
    }
    if let Some(Value::String(region)) = input.get("region") {
        if !known_region(region) {
            return Err(region_error(region));
        }
    }
    if let Some(cfg) = input.get("multiRegionConfig").filter(|v| !v.is_null()) {
        let Value::Object(regions) = cfg else {
            return Err(GqlError::bad_input(
                "multiRegionConfig must be an object of region → {numReplicas}",
            ));
        };
        for (region, conf) in regions {
            if !known_region(region) {
                return Err(region_error(region));
            }
            let replicas = conf.get("numReplicas");
            if !conf.is_null() && replicas.and_then(Value::as_i64).is_none_or(|n| n < 0) {
                return Err(GqlError::bad_input(format!(
                    "multiRegionConfig.{region}.numReplicas must be a non-negative integer"
                )));
            }
        }
    }
    for key in [
        "numReplicas",
        "healthcheckTimeout",
        "restartPolicyMaxRetries",
        "drainingSeconds",
        "overlapSeconds",
    ] {
        if let Some(n) = input.get(key).and_then(Value::as_i64) {
            if n < 0 {
                return Err(GqlError::bad_input(format!(
                    "{key} must not be negative, got {n}"
                )));
            }
        }
    }
    if let Some(source) = input.get("source") {
        check_source(source)?;
    }
    Ok(())
}

/// A `ServiceSourceInput`: a repo or an image, not both.
pub fn check_source(source: &Value) -> Result<(), GqlError> {
    let has = |k: &str| source.get(k).is_some_and(|v| !v.is_null());
    if has("repo") && has("image") {
        return Err(GqlError::bad_input(
            "A service source is either a repo or an image, not both",
        ));
    }
    Ok(())
}

/// Five space-separated fields (minute hour day-of-month month day-of-week), each a list of `*`,
/// `n` or `n-m`, optionally with `/step`, within the field's range.
pub fn check_cron(expr: &str) -> Result<(), GqlError> {
    const FIELDS: [(&str, u32, u32); 5] = [
        ("minute", 0, 59),
        ("hour", 0, 23),
        ("day of month", 1, 31),
        ("month", 1, 12),
        ("day of week", 0, 7),
    ];
    let parts: Vec<&str> = expr.split_whitespace().collect();
    let bad = |why: String| GqlError::bad_input(format!("Invalid cron schedule \"{expr}\": {why}"));
    if parts.len() != 5 {
        return Err(bad(format!("expected 5 fields, found {}", parts.len())));
    }
    for (part, (name, lo, hi)) in parts.iter().zip(FIELDS) {
        for item in part.split(',') {
            let (range, step) = match item.split_once('/') {
                Some((r, s)) => (r, Some(s)),
                None => (item, None),
            };
            if let Some(step) = step {
                match step.parse::<u32>() {
                    Ok(s) if s > 0 => {}
                    _ => return Err(bad(format!("bad step \"{step}\" in {name}"))),
                }
            }
            if range == "*" {
                continue;
            }
            let (a, b) = range.split_once('-').unwrap_or((range, range));
            let num = |s: &str| s.parse::<u32>().ok().filter(|n| (lo..=hi).contains(n));
            match (num(a), num(b)) {
                (Some(x), Some(y)) if x <= y => {}
                _ => {
                    return Err(bad(format!(
                        "{name} value \"{range}\" is not within {lo}-{hi}"
                    )))
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cron_accepts_common_forms_and_rejects_malformed_ones() {
        for ok in ["*/5 * * * *", "0 3 * * 1-5", "15,45 0-23/2 1 1,6,12 0"] {
            assert!(check_cron(ok).is_ok(), "{ok}");
        }
        for bad in [
            "* * * *",
            "60 * * * *",
            "* * 0 * *",
            "*/0 * * * *",
            "a * * * *",
            "5-1 * * * *",
        ] {
            assert!(check_cron(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn regions_and_sources_are_checked() {
        let mut m = Map::new();
        m.insert("region".into(), Value::String("mars-1".into()));
        let e = check_instance_update(&m).expect_err("unknown region");
        assert!(e.message.contains("Invalid region \"mars-1\""));
        let both = serde_json::json!({"repo": "a/b", "image": "nginx"});
        assert!(check_source(&both).is_err());
    }
}

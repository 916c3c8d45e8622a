//! Validators and plan modifiers as small named rules with descriptions (the descriptions feed the
//! generated docs). One generic implementation over `Value`, not one copy per type.
//! Must not import protocol or clouds.

use std::fmt;
use std::sync::Arc;

use super::value::Value;

/// What a validator concluded about one known, non-null value.
pub enum Verdict {
    Ok,
    /// An error: the value cannot work.
    Error(String),
    /// A warning: the value is unusual but may be valid (e.g. an enum value newer than our list).
    Warning(String),
}

type Check = Arc<dyn Fn(&Value) -> Verdict + Send + Sync>;

/// A named check of a configured value. Runs only on known, non-null values.
#[derive(Clone)]
pub struct Validator {
    pub description: String,
    check: Check,
}

impl fmt::Debug for Validator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Validator({})", self.description)
    }
}

impl Validator {
    pub fn new(
        description: impl Into<String>,
        check: impl Fn(&Value) -> Verdict + Send + Sync + 'static,
    ) -> Self {
        Validator {
            description: description.into(),
            check: Arc::new(check),
        }
    }
    /// A validator over strings: `f` returns an error message for a bad value.
    pub fn string(
        description: impl Into<String>,
        f: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        Validator::new(description, move |v| match v.as_str().and_then(&f) {
            Some(msg) => Verdict::Error(msg),
            None => Verdict::Ok,
        })
    }
    pub fn check(&self, v: &Value) -> Verdict {
        if v.is_null() || v.contains_unknown() {
            return Verdict::Ok;
        }
        (self.check)(v)
    }
}

/// The value is one of `allowed`.
pub fn one_of(allowed: &'static [&'static str]) -> Validator {
    Validator::string(format!("Must be one of: {}.", quoted(allowed)), move |s| {
        (!allowed.contains(&s)).then(|| format!("{s:?} is not one of {}.", quoted(allowed)))
    })
}

/// Like `one_of`, but an unlisted value is only a warning: vendors add values (plans, regions,
/// versions) faster than providers update, and the API rejects a truly bad one clearly.
pub fn known_values(allowed: &'static [&'static str]) -> Validator {
    Validator::new(format!("Known values: {}.", quoted(allowed)), move |v| {
        match v.as_str() {
        Some(s) if !allowed.contains(&s) => Verdict::Warning(format!(
            "{s:?} is not one of the values this provider knows ({}). It is passed to the API as is.",
            quoted(allowed)
        )),
        _ => Verdict::Ok,
    }
    })
}

/// String length (in characters) between `min` and `max` inclusive.
pub fn length_between(min: usize, max: usize) -> Validator {
    Validator::string(
        format!("Length between {min} and {max} characters."),
        move |s| {
            let n = s.chars().count();
            (n < min || n > max)
                .then(|| format!("must be between {min} and {max} characters long, got {n}."))
        },
    )
}

/// A whole number (no fraction).
pub fn integer() -> Validator {
    Validator::new("A whole number.", |v| match v.as_number() {
        Some(n) if !n.is_integer() => Verdict::Error(format!("{n} is not a whole number.")),
        _ => Verdict::Ok,
    })
}

/// A number between `min` and `max` inclusive.
pub fn int_between(min: i64, max: i64) -> Validator {
    Validator::new(format!("Between {min} and {max}."), move |v| {
        match v.as_number() {
            Some(n) => match n.as_i64() {
                Some(i) if (min..=max).contains(&i) => Verdict::Ok,
                _ => Verdict::Error(format!("must be between {min} and {max}, got {n}.")),
            },
            None => Verdict::Ok,
        }
    })
}

/// A duration such as `30s`, `15m`, `1h30m` (Go's time.ParseDuration units h, m, s, ms).
pub fn duration() -> Validator {
    Validator::string("A duration such as \"30s\", \"15m\" or \"1h30m\".", |s| {
        parse_duration(s)
            .is_none()
            .then(|| format!("{s:?} is not a duration like \"30s\", \"15m\" or \"1h30m\"."))
    })
}

/// Parse `1h30m`, `45s`, `500ms` into a Duration.
pub fn parse_duration(s: &str) -> Option<std::time::Duration> {
    let mut total_ms: u128 = 0;
    let mut rest = s.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let n: u128 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let (unit_ms, len) = if rest.starts_with("ms") {
            (1, 2)
        } else if rest.starts_with('h') {
            (3_600_000, 1)
        } else if rest.starts_with('m') {
            (60_000, 1)
        } else if rest.starts_with('s') {
            (1000, 1)
        } else {
            return None;
        };
        total_ms = total_ms.checked_add(n.checked_mul(unit_ms)?)?;
        rest = &rest[len..];
    }
    Some(std::time::Duration::from_millis(
        u64::try_from(total_ms).ok()?,
    ))
}

fn quoted(vals: &[&str]) -> String {
    vals.iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A comparison of a prior and a planned value.
pub type ValuePredicate = Arc<dyn Fn(&Value, &Value) -> bool + Send + Sync>;

/// How the plan treats an attribute. Applied by the framework's plan pipeline in order.
#[derive(Clone)]
pub enum PlanModifier {
    /// A change to this attribute (against the prior state) replaces the resource.
    RequiresReplace,
    /// Replace only when `f(prior, planned)` says so (e.g. a version downgrade).
    RequiresReplaceIf {
        description: String,
        f: ValuePredicate,
    },
    /// When the plan would show "(known after apply)", keep the prior state's value instead.
    UseStateForUnknown,
    /// Two values that mean the same (e.g. case-insensitive): keep the prior value in the plan.
    SemanticEquality {
        description: String,
        f: ValuePredicate,
    },
    /// A computed value that follows other inputs: when the plan would show "(known after
    /// apply)" but none of `inputs` (sibling attributes) changed, keep the prior value.
    KeepUnlessChanged { inputs: Vec<&'static str> },
    /// A resource's own rule: given the attribute's view of the plan, return the value to plan
    /// (or `None` to leave it).
    Custom {
        description: String,
        f: CustomModifier,
    },
}

/// What a custom plan modifier sees: the attribute's prior, configured and planned values and
/// the objects around it.
pub struct AttributePlan<'a> {
    pub prior: &'a Value,
    pub config: &'a Value,
    pub planned: &'a Value,
    pub prior_object: &'a Value,
    pub planned_object: &'a Value,
}

pub type CustomModifier = Arc<dyn Fn(&AttributePlan<'_>) -> Option<Value> + Send + Sync>;

impl fmt::Debug for PlanModifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.description())
    }
}

impl PlanModifier {
    pub fn description(&self) -> String {
        match self {
            PlanModifier::RequiresReplace => {
                "Changing this forces a new resource to be created.".into()
            }
            PlanModifier::RequiresReplaceIf { description, .. } => description.clone(),
            PlanModifier::UseStateForUnknown => {
                "Keeps its value from the prior state during planning.".into()
            }
            PlanModifier::SemanticEquality { description, .. } => description.clone(),
            PlanModifier::KeepUnlessChanged { inputs } => format!(
                "Keeps its value from the prior state unless {} changes.",
                inputs
                    .iter()
                    .map(|i| format!("`{i}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            PlanModifier::Custom { description, .. } => description.clone(),
        }
    }
    pub fn keep_unless_changed(inputs: &[&'static str]) -> Self {
        PlanModifier::KeepUnlessChanged {
            inputs: inputs.to_vec(),
        }
    }
    pub fn custom(
        description: &str,
        f: impl Fn(&AttributePlan<'_>) -> Option<Value> + Send + Sync + 'static,
    ) -> Self {
        PlanModifier::Custom {
            description: description.to_string(),
            f: Arc::new(f),
        }
    }
    pub fn replace_if(
        description: &str,
        f: impl Fn(&Value, &Value) -> bool + Send + Sync + 'static,
    ) -> Self {
        PlanModifier::RequiresReplaceIf {
            description: description.to_string(),
            f: Arc::new(f),
        }
    }
    /// Case-insensitive string equality: the API may change the case of what it echoes.
    pub fn case_insensitive() -> Self {
        PlanModifier::SemanticEquality {
            description: "Compared case-insensitively: the API may report it in another case."
                .into(),
            f: Arc::new(|a, b| match (a.as_str(), b.as_str()) {
                (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
                _ => false,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_like_go() {
        assert_eq!(parse_duration("1h30m").map(|d| d.as_secs()), Some(5400));
        assert_eq!(parse_duration("500ms").map(|d| d.as_millis()), Some(500));
        assert!(parse_duration("").is_none());
        assert!(parse_duration("5 minutes").is_none());
        assert!(parse_duration("99999999999999999999999h").is_none());
    }

    #[test]
    fn known_values_warn_rather_than_fail() {
        let v = known_values(&["a", "b"]);
        assert!(matches!(v.check(&Value::string("a")), Verdict::Ok));
        assert!(matches!(v.check(&Value::string("c")), Verdict::Warning(_)));
        assert!(matches!(
            one_of(&["a"]).check(&Value::string("c")),
            Verdict::Error(_)
        ));
        assert!(matches!(one_of(&["a"]).check(&Value::Unknown), Verdict::Ok));
    }
}

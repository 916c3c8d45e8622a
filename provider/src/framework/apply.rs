//! Apply beats every resource repeats: create-or-adopt after an ambiguous create answer, the
//! required-id check before any call that builds a URL from an id, and the partial-state result of
//! a half-done create. Must not import protocol or clouds (clouds implement `Ambiguous` for their
//! error type).

use std::fmt::Display;
use std::future::Future;

use super::diagnostics::{Diagnostic, Diagnostics};
use super::path::Path;
use super::value::Value;

/// An error that may hide a success: the request could have committed before its answer was lost
/// (a dropped connection, a timeout, a garbled body, a 5xx from a proxy).
pub trait Ambiguous: Display {
    fn is_ambiguous(&self) -> bool;
}

/// A failed create or update: the diagnostics, and the state to record when the object exists
/// (a half-done create keeps what it made, so Terraform records it instead of losing it).
#[derive(Debug)]
pub struct Failed<M> {
    pub partial: Option<M>,
    pub diags: Diagnostics,
}

impl<M> Failed<M> {
    pub fn partial(state: M, diags: Diagnostics) -> Self {
        Failed {
            partial: Some(state),
            diags,
        }
    }
}

impl<M> From<Diagnostics> for Failed<M> {
    fn from(diags: Diagnostics) -> Self {
        Failed {
            partial: None,
            diags,
        }
    }
}

impl<M> From<Diagnostic> for Failed<M> {
    fn from(d: Diagnostic) -> Self {
        Failed::from(Diagnostics::from(d))
    }
}

/// What a typed create or update returns.
pub type Applied<M> = Result<M, Failed<M>>;

/// `result.keep(state)?`: a failure after the object exists keeps `state` as the partial state.
pub trait KeepPartial<T> {
    fn keep<M>(self, state: M) -> Result<T, Failed<M>>;
}

impl<T> KeepPartial<T> for Result<T, Diagnostics> {
    fn keep<M>(self, state: M) -> Result<T, Failed<M>> {
        self.map_err(|d| Failed::partial(state, d))
    }
}

/// Create, and when the answer is ambiguous look the object up by its natural key before
/// failing: adopting what the lost create made is better than a duplicate on the next apply.
/// `adopt` returns `Ok(None)` when nothing matches; its own errors are ignored (the create's
/// error is the one worth reporting).
pub async fn create_or_adopt<T, E, A, AF>(
    summary: &str,
    create: impl Future<Output = Result<T, E>>,
    adopt: A,
) -> Result<T, Diagnostics>
where
    E: Ambiguous,
    A: FnOnce() -> AF,
    AF: Future<Output = Result<Option<T>, E>>,
{
    match create.await {
        Ok(t) => Ok(t),
        Err(e) if e.is_ambiguous() => match adopt().await {
            Ok(Some(t)) => {
                tracing::info!(
                    summary,
                    "create answer was lost; adopted the object it made"
                );
                Ok(t)
            }
            _ => Err(Diagnostic::error(summary, e.to_string()).into()),
        },
        Err(e) => Err(Diagnostic::error(summary, e.to_string()).into()),
    }
}

/// The id of a stored object, or an error: an empty or missing id must never become a request
/// (`DELETE …/services/` answers 404, which would count as "already gone").
pub fn require_id<'a>(
    type_name: &str,
    state: &'a Value,
    attr: &str,
) -> Result<&'a str, Diagnostics> {
    match state.attr(attr).as_str() {
        Some(id) if !id.trim().is_empty() => Ok(id),
        _ => Err(Diagnostic::error(
            format!("{type_name} has no {attr} in state"),
            format!("The stored state of this {type_name} has an empty or missing `{attr}`, so paasform cannot tell which object it is and sends no request. Remove it from state (`terraform state rm`) and import the object again."),
        )
        .at(Path::root(attr))
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct E(bool);
    impl Display for E {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "connection dropped")
        }
    }
    impl Ambiguous for E {
        fn is_ambiguous(&self) -> bool {
            self.0
        }
    }

    #[tokio::test]
    async fn an_ambiguous_create_adopts_what_it_finds() {
        let got = create_or_adopt("Failed", async { Err::<u8, _>(E(true)) }, || async {
            Ok(Some(7))
        })
        .await;
        assert_eq!(got.ok(), Some(7));
        let none = create_or_adopt("Failed", async { Err::<u8, _>(E(true)) }, || async {
            Ok(None)
        })
        .await;
        assert!(none.is_err());
    }

    #[tokio::test]
    async fn a_clear_failure_looks_nothing_up() {
        let got = create_or_adopt("Failed", async { Err::<u8, _>(E(false)) }, || async {
            panic!("must not look up after a definite failure")
        })
        .await;
        assert!(got.is_err());
    }

    #[test]
    fn empty_and_missing_ids_are_errors() {
        let v = Value::object([("id", Value::string(""))]);
        assert!(require_id("render_service", &v, "id").is_err());
        assert!(require_id(
            "render_service",
            &Value::object([("id", Value::Null)]),
            "id"
        )
        .is_err());
        let ok = Value::object([("id", Value::string("srv-1"))]);
        assert_eq!(require_id("render_service", &ok, "id").ok(), Some("srv-1"));
    }
}

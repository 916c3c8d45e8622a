//! Helpers every vendor module shares: provider-config values with environment fallbacks, and
//! turning an `ApiError` into a diagnostic that carries the API's message (never a secret).

use crate::clouds::http::ApiError;
use crate::framework::{Diagnostic, Diagnostics, Path, Value};

/// The configured string, else the first non-empty environment variable of `envs`.
pub fn config_or_env(config: &Value, attr: &str, envs: &[&str]) -> Option<String> {
    if let Some(s) = config.attr(attr).as_str() {
        if !s.is_empty() {
            return Some(s.to_string());
        }
    }
    envs.iter()
        .find_map(|e| std::env::var(e).ok().filter(|v| !v.is_empty()))
}

/// "Failed to create Render service" + the API's message.
pub fn api_diag(summary: &str, err: &ApiError) -> Diagnostics {
    Diagnostic::error(summary, err.to_string()).into()
}

/// Like `api_diag`, pointing at the attribute the API blamed.
pub fn api_diag_at(summary: &str, err: &ApiError, path: Path) -> Diagnostics {
    Diagnostic::error(summary, err.to_string()).at(path).into()
}

/// A diagnostic for a provider block missing its credentials.
pub fn missing_credentials(provider: &str, attr: &str, env: &str) -> Diagnostics {
    Diagnostic::error(
        format!("Missing {provider} credentials"),
        format!(
            "Set `{attr}` in the provider \"{provider}\" block or the {env} environment variable."
        ),
    )
    .at(Path::root(attr))
    .into()
}

/// Run `f` only when `on` (`None` otherwise). An object's sub-reads and follow-up writes are
/// independent of each other, so resources join several of these and they run concurrently
/// (issue 16); an unmanaged sub-object costs no request.
pub async fn when<T, E, F: std::future::Future<Output = Result<T, E>>>(
    on: bool,
    f: impl FnOnce() -> F,
) -> Result<Option<T>, E> {
    if on {
        f().await.map(Some)
    } else {
        Ok(None)
    }
}

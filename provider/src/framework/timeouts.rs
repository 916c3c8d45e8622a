//! The `timeouts` block: read the configured duration for an operation, or the default.
//! Must not import protocol or clouds.

use std::time::Duration;

use super::rules::parse_duration;
use super::value::Value;

/// The timeout for `op` ("create", "update", "delete") from a plan or config object.
pub fn timeout(obj: &Value, op: &str, default: Duration) -> Duration {
    obj.attr("timeouts")
        .attr(op)
        .as_str()
        .and_then(parse_duration)
        .unwrap_or(default)
}

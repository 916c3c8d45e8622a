//! Orphans of killed or lost creates (issue #19): the shared evidence (how recent a namesake is)
//! and the one diagnostic every resource gives when it finds an object it will not adopt:
//! "`type` `name` already exists as ID, created N min ago: `terraform import ADDR ID`".
//! Each resource decides *what* counts as its own orphan (the settings it compares); this
//! module owns only the clock, the window and the wording. Must not import any vendor module.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::{Diagnostic, Path};

/// How recent a namesake must be to count as the orphan of a lost or killed create. Longer than
/// the default create waits (30 min), so a provider killed at any point of a wait and re-applied
/// soon after still recognises what it made; an older namesake is someone's sibling.
pub const ORPHAN_WINDOW: Duration = Duration::from_secs(60 * 60);

/// Seconds since the Unix epoch, now.
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Seconds since an RFC 3339 UTC time (`2026-12-01T13:05:00Z`, fractions allowed), or `None`
/// when it does not parse.
pub fn age_secs(created_at: &str, now_unix: i64) -> Option<i64> {
    let t = created_at.trim_end_matches('Z');
    let (date, time) = t.split_once('T')?;
    let mut d = date.split('-').map(|x| x.parse::<i64>());
    let (y, mo, da) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let time = time.split(['.', '+']).next()?;
    let mut h = time.split(':').map(|x| x.parse::<i64>());
    let (hh, mm, ss) = (h.next()?.ok()?, h.next()?.ok()?, h.next()?.ok()?);
    // Days from civil (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + da - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(now_unix - (days * 86_400 + hh * 3600 + mm * 60 + ss))
}

/// Seconds since a creation time given as Unix milliseconds (Vercel's `createdAt`).
pub fn age_secs_millis(created_at_ms: i64, now_unix: i64) -> i64 {
    now_unix - created_at_ms / 1000
}

/// Whether an object of this age is recent enough to be an orphan. An unknown age counts as
/// recent: it cannot be ruled out, and refusing is the safe answer.
pub fn is_recent(age_secs: Option<i64>) -> bool {
    age_secs.is_none_or(|a| a < ORPHAN_WINDOW.as_secs() as i64)
}

/// Whole minutes of an age (unknown or negative = 0), for the message.
pub fn minutes(age_secs: Option<i64>) -> u64 {
    age_secs.unwrap_or(0).max(0) as u64 / 60
}

/// The error for an existing object that is not safely this resource's own: it names the
/// object's id, its age and the import command, and says when paasform would have adopted it
/// (`rule`), on the attribute that names the object (`at`, e.g. `name`).
pub fn already_exists(
    type_name: &str,
    name: &str,
    id: &str,
    age_secs: Option<i64>,
    rule: &str,
    at: &str,
) -> Diagnostic {
    let age = match age_secs {
        Some(_) => format!(", created {} min ago", minutes(age_secs)),
        None => String::new(),
    };
    Diagnostic::error(
        format!("{type_name} already exists"),
        format!(
            "{type_name} `{name}` already exists as {id}{age}: `terraform import <address> {id}` if it is this one, or delete it or choose another name. {rule}"
        ),
    )
    .at(Path::root(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_from_rfc3339_and_millis() {
        let now = 1_764_590_700; // 2025-12-01T12:05:00Z
        assert_eq!(age_secs("2025-12-01T12:00:00Z", now), Some(300));
        assert_eq!(age_secs("2025-12-01T12:00:00.123Z", now), Some(300));
        assert_eq!(age_secs("yesterday", now), None);
        assert_eq!(age_secs_millis(1_764_590_400_000, now), 300);
        assert!(is_recent(Some(300)) && is_recent(None));
        assert!(!is_recent(Some(2 * 3600)));
        assert_eq!(minutes(Some(300)), 5);
        assert_eq!(minutes(Some(-5)), 0);
    }

    #[test]
    fn the_message_names_the_id_the_age_and_the_import_command() {
        let d = already_exists(
            "render_service",
            "web",
            "srv-1",
            Some(125),
            "paasform adopts …",
            "name",
        );
        let text = format!("{d:?}");
        assert!(text.contains("render_service `web` already exists as srv-1, created 2 min ago: `terraform import <address> srv-1`"), "{text}");
        assert!(text.contains("paasform adopts"), "{text}");
        let d = already_exists("vercel_project", "p", "prj_1", None, "", "name");
        assert!(!format!("{d:?}").contains("min ago"));
    }
}

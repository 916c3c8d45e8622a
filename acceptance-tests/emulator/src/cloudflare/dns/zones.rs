//! Zone routes: list (by name and account, paged) and get. Zones come from
//! `--cloudflare-zone NAME[@ACCOUNT]` or appear on the first lookup of a name under `.example` or
//! `.test` (see the room's header). Must not import other vendor modules.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::{authorize, fail, ok, ok_list, page_of, paging, Reply, Zone, CODE_NO_ZONE};
use crate::world::{now_rfc3339, Emulator, WorldState};

/// The account a zone belongs to when nothing says otherwise.
const DEFAULT_ACCOUNT: &str = "dev";

/// A stable 32-hex id for a zone name (so seeded zones keep their id across restarts).
fn zone_id(name: &str) -> String {
    let half = |salt: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (salt, name).hash(&mut h);
        format!("{:016x}", h.finish())
    };
    format!("{}{}", half(1), half(2))
}

fn new_zone(name: &str, account: &str) -> Zone {
    Zone {
        id: zone_id(name),
        name: name.to_string(),
        account_id: account.to_string(),
        created_on: now_rfc3339(),
    }
}

/// Adds the zones named on the command line that the world does not hold yet.
pub(crate) fn seed(emu: &Emulator, w: &mut WorldState) {
    for spec in &emu.config.cloudflare_zones {
        let (name, account) = spec.split_once('@').unwrap_or((spec, DEFAULT_ACCOUNT));
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if !w.cf_dns.zones.values().any(|z| z.name == name) {
            let z = new_zone(&name, account);
            w.cf_dns.zones.insert(z.id.clone(), z);
        }
    }
}

/// A zone by id (seeding first), or the spec's not-found failure.
pub(crate) fn find(emu: &Emulator, w: &mut WorldState, id: &str) -> Result<Zone, Response> {
    seed(emu, w);
    w.cf_dns.zones.get(id).cloned().ok_or_else(no_zone)
}

pub(crate) fn no_zone() -> Response {
    fail(
        StatusCode::NOT_FOUND,
        CODE_NO_ZONE,
        "Invalid zone identifier",
    )
}

fn auto_created(name: &str) -> bool {
    (name.ends_with(".example") || name.ends_with(".test")) && name.split('.').count() >= 2
}

pub async fn list(
    State(emu): State<Emulator>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
) -> Reply {
    authorize(&emu, &headers)?;
    let (page, per_page) = paging(&query, 20, 50)?;
    let name = query.get("name").map(|n| n.to_ascii_lowercase());
    let account = query.get("account.id").cloned();
    let mut zones: Vec<Zone> = emu.with_world(|w| {
        seed(&emu, w);
        if let Some(n) = name.as_deref().filter(|n| auto_created(n)) {
            if !w.cf_dns.zones.values().any(|z| z.name == n) {
                let z = new_zone(n, account.as_deref().unwrap_or(DEFAULT_ACCOUNT));
                w.cf_dns.zones.insert(z.id.clone(), z);
            }
        }
        w.cf_dns.zones.values().cloned().collect()
    });
    zones.retain(|z| name.as_ref().is_none_or(|n| &z.name == n));
    zones.retain(|z| account.as_ref().is_none_or(|a| &z.account_id == a));
    zones.sort_by(|a, b| a.name.cmp(&b.name));
    let items = page_of(&zones, page, per_page)
        .iter()
        .map(Zone::to_json)
        .collect();
    ok_list(items, page, per_page, zones.len())
}

pub async fn get(
    State(emu): State<Emulator>,
    Path(zone_id): Path<String>,
    headers: HeaderMap,
) -> Reply {
    authorize(&emu, &headers)?;
    let zone = emu.with_world(|w| find(&emu, w, &zone_id))?;
    ok(zone.to_json())
}

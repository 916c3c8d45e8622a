//! Property test of every resource's import-id parser on arbitrary input, with a deterministic
//! PRNG (splitmix64, no extra crates): parsing never panics, is deterministic, makes no network
//! call (it is called without a configured client), and an accepted id yields a partial state
//! whose `id` is a non-empty piece of the input that is safe to put in a URL path segment.
//! Imports only the crate's public API.

use std::panic::{catch_unwind, AssertUnwindSafe};

use paasform::clouds;
use paasform::framework::{Resource, Value};

/// Inputs per resource type: enough to hit every branch of these small parsers many times.
const ITERATIONS: usize = 20_000;

/// splitmix64: the same sequence on every platform for a given seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Pieces that real ids are made of, and pieces that break naive parsers.
const PIECES: &[&str] = &[
    "srv-",
    "crn-",
    "dpg-",
    "red-",
    "prj_",
    "team_",
    "k",
    "abc123",
    "CNTRL",
    "acct123",
    "023e105f4ecef8ad9ca31a8372d0c353",
    "eu",
    "fedramp",
    "default",
    "bucket-name",
    "/",
    "//",
    "-",
    "_",
    ".",
    "..",
    "../",
    " ",
    "\t",
    "\n",
    "\r",
    "\0",
    "é",
    "ß",
    "🦀",
    "\u{202e}",
    "%2F",
    "%",
    "?",
    "#",
    "&",
    "=",
    ":",
    "@",
    "\\",
    "\"",
    "'",
    "*",
    "~",
    "ﬀ",
    "İ",
];

/// Plausible parts of a structured id (`a/b/c`), so accepted ids are common too.
const PARTS: &[&str] = &[
    "acct123",
    "eu",
    "fedramp",
    "us",
    "bucket-name",
    "ab",
    "srv-abc",
    "dpg-x1",
    "red-y_2",
    "prj-1",
    "env_2",
    "team_abc",
    "k123CNTRL",
    "",
    " ",
    "a b",
    "-x",
    "x-",
];

fn structured_id(rng: &mut Rng) -> String {
    let parts: Vec<&str> = (0..1 + rng.below(4))
        .map(|_| PARTS[rng.below(PARTS.len())])
        .collect();
    parts.join("/")
}

fn arbitrary_id(rng: &mut Rng) -> String {
    if rng.below(3) == 0 {
        return structured_id(rng);
    }
    let mut id = String::new();
    for _ in 0..rng.below(8) {
        match rng.below(3) {
            0 => id.push_str(PIECES[rng.below(PIECES.len())]),
            1 => {
                let c = char::from_u32((rng.next() % 0x11_0000) as u32).unwrap_or('\u{fffd}');
                id.push(c);
            }
            _ => {
                let alnum = b"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
                for _ in 0..rng.below(12) {
                    id.push(alnum[rng.below(alnum.len())] as char);
                }
            }
        }
    }
    if rng.below(50) == 0 {
        id = id.repeat(200); // occasionally very long
    }
    id
}

/// Every resource of every identity.
fn all_resources() -> Vec<std::sync::Arc<dyn Resource>> {
    clouds::IDENTITIES
        .iter()
        .filter_map(|identity| clouds::provider(identity))
        .flat_map(|p| p.resources())
        .collect()
}

/// Characters an accepted id must not hold: they would change a URL or a log line.
fn unsafe_char(c: char) -> bool {
    c == '/' || c == '?' || c == '#' || c == '%' || c == '\\' || c.is_whitespace() || c.is_control()
}

fn check_accepted(type_name: &str, input: &str, state: &Value) -> Result<(), String> {
    let Value::Object(_) = state else {
        return Err(format!(
            "{type_name} {input:?}: accepted but the state is {state:?}"
        ));
    };
    let Some(id) = state.attr("id").as_str() else {
        return Err(format!(
            "{type_name} {input:?}: accepted without a string id"
        ));
    };
    if id.is_empty() || id.chars().any(unsafe_char) {
        return Err(format!(
            "{type_name} {input:?}: accepted with the unsafe id {id:?}"
        ));
    }
    if !input.contains(id) {
        return Err(format!(
            "{type_name} {input:?}: the id {id:?} is not part of the input"
        ));
    }
    Ok(())
}

#[test]
fn import_id_parsers_never_panic_and_accept_only_safe_ids() {
    let resources = all_resources();
    assert!(
        resources.len() >= 8,
        "every resource is covered: {}",
        resources.len()
    );
    let mut failures = Vec::new();
    for (n, resource) in resources.iter().enumerate() {
        let type_name = resource.type_name();
        let mut rng = Rng(0x5EED_0000 + n as u64);
        let (mut accepted, mut rejected) = (0usize, 0usize);
        for _ in 0..ITERATIONS {
            let input = arbitrary_id(&mut rng);
            let first = catch_unwind(AssertUnwindSafe(|| resource.import(&input)));
            let second = catch_unwind(AssertUnwindSafe(|| resource.import(&input)));
            match (first, second) {
                (Ok(Ok(a)), Ok(Ok(b))) => {
                    accepted += 1;
                    if a != b {
                        failures.push(format!("{type_name} {input:?}: not deterministic"));
                    }
                    if let Err(e) = check_accepted(type_name, &input, &a) {
                        failures.push(e);
                    }
                }
                (Ok(Err(a)), Ok(Err(b))) => {
                    rejected += 1;
                    if !a.has_errors() || a.to_string() != b.to_string() {
                        failures.push(format!(
                            "{type_name} {input:?}: rejection without a stable error"
                        ));
                    }
                }
                (Err(_), _) | (_, Err(_)) => failures.push(format!("{type_name} {input:?}: PANIC")),
                _ => failures.push(format!(
                    "{type_name} {input:?}: accepted once, rejected once"
                )),
            }
            if failures.len() > 20 {
                break;
            }
        }
        // The generator must reach both outcomes, or the property says little.
        assert!(rejected > 0, "{type_name}: nothing was rejected");
        eprintln!("{type_name}: {accepted} accepted, {rejected} rejected");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn known_good_ids_are_accepted() {
    let good: &[(&str, &str)] = &[
        ("tailscale_key", "k123456CNTRL"),
        (
            "r2_bucket",
            "023e105f4ecef8ad9ca31a8372d0c353/soc2-evidence-exports",
        ),
        ("r2_bucket", "acct123/eu/bucket-name"),
        ("vercel_project", "team_abc123/prj_abc123"),
        ("vercel_project", "marketing-site"),
        ("render_service", "srv-abc123"),
        ("render_database", "dpg-abc123"),
        ("render_database", "red-abc123"),
        ("railway_project", "3f1c2b7a-0000-4000-8000-000000000001"),
        ("railway_environment", "prj-1/env-1"),
        ("railway_service", "prj-1/env-1/svc-1"),
    ];
    let resources = all_resources();
    for (type_name, id) in good {
        let resource = resources
            .iter()
            .find(|r| r.type_name() == *type_name)
            .unwrap_or_else(|| panic!("no resource {type_name}"));
        let state = resource
            .import(id)
            .unwrap_or_else(|d| panic!("{type_name} {id:?} rejected: {d}"));
        if let Err(e) = check_accepted(type_name, id, &state) {
            panic!("{e}");
        }
    }
}

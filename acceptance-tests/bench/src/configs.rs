//! The Terraform configurations the bench applies: N `terraform_data` resources (the floor), a
//! realistic mix of the provider's resource types, and one type at a time in two variants (the
//! second changes one top-level argument and leaves every sub-object alone, for the update
//! count). Pure string building; imports nothing from the rest of the bench.

/// A resource type the bench exercises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    TailscaleKey,
    R2Bucket,
    VercelProject,
    RenderService,
    RenderDatabase,
    RailwayService,
}

/// Every kind, in the order the mix cycles through them.
pub const KINDS: [Kind; 6] = [
    Kind::TailscaleKey,
    Kind::R2Bucket,
    Kind::VercelProject,
    Kind::RenderService,
    Kind::RenderDatabase,
    Kind::RailwayService,
];

impl Kind {
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::TailscaleKey => "tailscale_key",
            Kind::R2Bucket => "r2_bucket",
            Kind::VercelProject => "vercel_project",
            Kind::RenderService => "render_service",
            Kind::RenderDatabase => "render_database",
            Kind::RailwayService => "railway_service",
        }
    }

    /// The provider identity serving the type.
    pub fn provider(self) -> &'static str {
        match self {
            Kind::TailscaleKey => "tailscale",
            Kind::R2Bucket => "r2",
            Kind::VercelProject => "vercel",
            Kind::RenderService | Kind::RenderDatabase => "render",
            Kind::RailwayService => "railway",
        }
    }

    /// What the update variant changes (for the report).
    pub fn update_change(self) -> &'static str {
        match self {
            Kind::TailscaleKey => "`description` (every argument forces replacement)",
            Kind::R2Bucket => "`storage_class` (CORS and lifecycle unchanged)",
            Kind::VercelProject => "`build_command` (environment unchanged)",
            Kind::RenderService => "`start_command` (env vars, secret files, domains unchanged)",
            Kind::RenderDatabase => "`name` (IP allow list unchanged)",
            Kind::RailwayService => "`start_command` (variables, domains unchanged)",
        }
    }

    /// One resource block named `<prefix><i>`; `variant` 1 is the update.
    pub fn block(self, i: usize, variant: u8) -> String {
        let v2 = variant == 1;
        match self {
            Kind::TailscaleKey => format!(
                r#"resource "tailscale_key" "k{i}" {{
  reusable      = true
  preauthorized = true
  tags          = ["tag:ci"]
  expiry        = 86400
  description   = "bench key {i}{suffix}"
}}
"#,
                suffix = if v2 { " v2" } else { "" }
            ),
            Kind::R2Bucket => format!(
                r#"resource "r2_bucket" "b{i}" {{
  name          = "bench-bucket-{i}"
  location      = "enam"
  storage_class = "{class}"
  cors = [{{
    allowed         = {{ origins = ["https://app.example.com"], methods = ["GET", "PUT"] }}
    max_age_seconds = 3600
  }}]
  lifecycle_rules = [{{ id = "expire-tmp", prefix = "tmp/", delete_objects_after_days = 7 }}]
}}
"#,
                class = if v2 { "InfrequentAccess" } else { "Standard" }
            ),
            Kind::VercelProject => format!(
                r#"resource "vercel_project" "v{i}" {{
  name             = "bench-web-{i}"
  framework        = "vite"
  build_command    = "{build}"
  output_directory = "dist"
  git_repository   = {{ type = "github", repo = "acme/bench-web-{i}" }}
  environment = [
    {{ key = "VITE_API_URL", value = "https://api.example.com", target = ["production", "preview"] }},
  ]
}}
"#,
                build = if v2 { "pnpm run build" } else { "pnpm build" }
            ),
            Kind::RenderService => format!(
                r#"resource "render_service" "s{i}" {{
  type          = "web_service"
  name          = "bench-api-{i}"
  runtime       = "node"
  plan          = "starter"
  region        = "oregon"
  repo          = "https://github.com/example/bench"
  build_command = "npm ci"
  start_command = "{start}"
  env_vars = {{
    NODE_ENV = {{ value = "production" }}
  }}
  secret_files   = {{ ".npmrc" = "//registry.npmjs.org/:_authToken=bench" }}
  custom_domains = ["api-{i}.example.com"]
}}
"#,
                start = if v2 { "node server.js" } else { "npm start" }
            ),
            Kind::RenderDatabase => format!(
                r#"resource "render_database" "d{i}" {{
  name          = "bench-db-{i}{suffix}"
  plan          = "basic_256mb"
  version       = "16"
  ip_allow_list = [{{ cidr_block = "10.0.0.0/8", description = "vpn" }}]
}}
"#,
                suffix = if v2 { "-v2" } else { "" }
            ),
            Kind::RailwayService => format!(
                r#"resource "railway_service" "r{i}" {{
  project_id     = railway_project.bench.id
  name           = "bench-svc-{i}"
  source_image   = "ghcr.io/acme/api:1"
  start_command  = "{start}"
  variables      = {{ LOG_LEVEL = "info" }}
  service_domain = true
}}
"#,
                start = if v2 {
                    "uvicorn app:app --workers 2"
                } else {
                    "uvicorn app:app"
                }
            ),
        }
    }
}

/// `required_providers` for the five identities (unused ones cost nothing: no block uses them).
fn providers(kinds: &[Kind]) -> String {
    let mut names: Vec<&str> = kinds.iter().map(|k| k.provider()).collect();
    names.sort_unstable();
    names.dedup();
    let lines: String = names
        .iter()
        .map(|p| format!("    {p} = {{ source = \"paasform/{p}\" }}\n"))
        .collect();
    format!("terraform {{\n  required_providers {{\n{lines}  }}\n}}\n\n")
}

/// The shared Railway project services belong to (counted as one of the N resources).
const RAILWAY_PROJECT: &str = "resource \"railway_project\" \"bench\" {\n  name = \"bench\"\n}\n";

/// N built-in `terraform_data` resources: Terraform with no provider work.
pub fn floor(n: usize) -> String {
    (0..n)
        .map(|i| format!("resource \"terraform_data\" \"d{i}\" {{\n  input = \"bench-{i}\"\n}}\n"))
        .collect()
}

/// N resources cycling through [`KINDS`]: the first is the shared `railway_project`, the rest
/// follow the cycle, so every type is present from N = 7 on.
pub fn mix(n: usize) -> String {
    let mut out = providers(&KINDS);
    if n == 0 {
        return out;
    }
    out.push_str(RAILWAY_PROJECT);
    for i in 1..n {
        out.push_str(&KINDS[(i - 1) % KINDS.len()].block(i, 0));
    }
    out
}

/// How many of each type [`mix`] holds (the project included under `railway_project`).
pub fn mix_counts(n: usize) -> Vec<(&'static str, usize)> {
    let mut counts: Vec<(&'static str, usize)> = KINDS.iter().map(|k| (k.type_name(), 0)).collect();
    for i in 1..n {
        counts[(i - 1) % KINDS.len()].1 += 1;
    }
    counts.push(("railway_project", usize::from(n > 0)));
    counts
}

/// `count` resources of one kind (plus the Railway project its services need), in `variant`.
pub fn single(kind: Kind, count: usize, variant: u8) -> String {
    let mut out = providers(&[kind]);
    if kind == Kind::RailwayService {
        out.push_str(RAILWAY_PROJECT);
    }
    for i in 0..count {
        out.push_str(&kind.block(i, variant));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(hcl: &str) -> usize {
        hcl.matches("\nresource \"").count() + usize::from(hcl.starts_with("resource \""))
    }

    #[test]
    fn the_floor_and_the_mix_hold_n_resources() {
        assert_eq!(blocks(&floor(10)), 10);
        assert_eq!(blocks(&mix(10)), 10);
        assert_eq!(blocks(&mix(500)), 500);
        let counts = mix_counts(500);
        assert_eq!(counts.iter().map(|(_, n)| n).sum::<usize>(), 500);
        assert!(counts.iter().all(|(_, n)| *n >= 1));
    }

    #[test]
    fn the_mix_uses_every_type_and_unique_names() {
        let hcl = mix(13);
        for kind in KINDS {
            assert!(
                hcl.contains(&format!("resource \"{}\"", kind.type_name())),
                "{kind:?}"
            );
            assert!(hcl.contains(&format!("source = \"paasform/{}\"", kind.provider())));
        }
        assert!(hcl.contains("bench-web-3") && hcl.contains("bench-web-9"));
    }

    #[test]
    fn the_update_variant_changes_only_the_named_argument() {
        for kind in KINDS {
            let (a, b) = (kind.block(1, 0), kind.block(1, 1));
            let changed: Vec<(&str, &str)> =
                a.lines().zip(b.lines()).filter(|(x, y)| x != y).collect();
            assert_eq!(changed.len(), 1, "{kind:?}: {changed:?}");
        }
        assert!(single(Kind::RailwayService, 2, 0).contains("railway_project"));
        assert!(!single(Kind::R2Bucket, 2, 0).contains("railway_project"));
    }
}

//! Vercel API emulation: project CRUD and validation, team scoping, pagination, git links, and
//! environment variables (types and what is revealed, upsert, the gitBranch rule, edit, remove).
//! In-process on 127.0.0.1:0.

use paasform_emulator::{Config, Emulator};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const TOKEN: &str = "vercel-token";

struct Running {
    base: String,
    client: reqwest::Client,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn start() -> Running {
    let config = Config {
        token: Some(TOKEN.to_string()),
        ..Config::default()
    };
    let (addr, task) = Emulator::new(config).spawn().await.expect("bind");
    Running {
        base: format!("http://{addr}/vercel"),
        client: reqwest::Client::new(),
        task,
    }
}

impl Running {
    fn req(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(TOKEN)
    }

    async fn create(&self, query: &str, body: Value) -> (StatusCode, Value) {
        call(
            self.req(Method::POST, &format!("/v11/projects{query}"))
                .json(&body),
        )
        .await
    }

    /// A new project's id (asserting success).
    async fn project(&self, name: &str) -> String {
        let (s, body) = self.create("", json!({"name": name})).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        body["id"].as_str().expect("id").to_string()
    }

    async fn add_env(&self, project: &str, query: &str, body: Value) -> (StatusCode, Value) {
        call(
            self.req(Method::POST, &format!("/v10/projects/{project}/env{query}"))
                .json(&body),
        )
        .await
    }

    async fn envs(&self, project: &str, query: &str) -> Vec<Value> {
        let (s, body) =
            call(self.req(Method::GET, &format!("/v10/projects/{project}/env{query}"))).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        body["envs"].as_array().expect("envs").clone()
    }
}

/// Status and JSON body (Null when empty).
async fn call(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("request");
    let status = response.status();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).expect("JSON body")
    };
    (status, body)
}

fn assert_error(body: &Value, code: &str) {
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

#[tokio::test]
async fn project_crud() {
    let emu = start().await;
    let (s, p) = emu
        .create(
            "",
            json!({
                "name": "web-app",
                "framework": "nextjs",
                "buildCommand": "npm run build",
                "rootDirectory": "apps/web",
                "publicSource": false,
                "gitRepository": {"type": "github", "repo": "acme/web"},
                "environmentVariables": [
                    {"key": "API_URL", "value": "https://api.example.com", "target": ["production", "preview"], "type": "plain"},
                    {"key": "DB_PASSWORD", "value": "hunter2", "target": "production", "type": "sensitive"}
                ]
            }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let id = p["id"].as_str().expect("id").to_string();
    assert!(id.starts_with("prj_"));
    assert_eq!(p["name"], "web-app");
    assert_eq!(p["framework"], "nextjs");
    assert_eq!(p["nodeVersion"], "22.x");
    assert_eq!(p["buildCommand"], "npm run build");
    assert_eq!(p["devCommand"], Value::Null);
    assert_eq!(p["rootDirectory"], "apps/web");
    assert!(p["accountId"].as_str().is_some_and(|a| !a.is_empty()));
    assert!(
        p["createdAt"]
            .as_u64()
            .is_some_and(|t| t > 1_600_000_000_000),
        "epoch millis"
    );
    assert_eq!(p["link"]["type"], "github");
    assert_eq!(p["link"]["org"], "acme");
    assert_eq!(p["link"]["repo"], "web");
    assert_eq!(p["link"]["productionBranch"], "main");
    let env = p["env"].as_array().expect("env");
    assert_eq!(env.len(), 2);
    assert!(env
        .iter()
        .all(|e| e["id"].as_str().is_some_and(|i| !i.is_empty())));
    let secret = env
        .iter()
        .find(|e| e["key"] == "DB_PASSWORD")
        .expect("sensitive var");
    assert_eq!(secret["value"], "", "a sensitive value is never returned");
    assert_eq!(secret["target"], json!(["production"]));

    let (s, by_name) = call(emu.req(Method::GET, "/v9/projects/web-app")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(by_name["id"], json!(id));
    let (_, by_id) = call(emu.req(Method::GET, &format!("/v9/projects/{id}"))).await;
    assert_eq!(by_id, by_name);

    let (s, u) = call(
        emu.req(Method::PATCH, &format!("/v9/projects/{id}"))
            .json(&json!({
                "name": "web-app-2", "nodeVersion": "20.x", "gitForkProtection": false,
                "framework": null, "buildCommand": null, "serverlessFunctionRegion": "fra1"
            })),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert_eq!(u["name"], "web-app-2");
    assert_eq!(u["nodeVersion"], "20.x");
    assert_eq!(u["gitForkProtection"], json!(false));
    assert_eq!(u["framework"], Value::Null);
    assert_eq!(u["buildCommand"], Value::Null);
    assert_eq!(u["rootDirectory"], "apps/web", "untouched fields stay");
    assert!(u["updatedAt"].as_u64() > p["updatedAt"].as_u64());
    let (s, _) = call(emu.req(Method::GET, "/v9/projects/web-app")).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "the old name is gone after a rename"
    );

    let (s, body) = call(emu.req(Method::DELETE, &format!("/v9/projects/{id}"))).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(body, Value::Null);
    let (s, body) = call(emu.req(Method::GET, &format!("/v9/projects/{id}"))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_error(&body, "not_found");
    let (s, _) = call(emu.req(Method::DELETE, &format!("/v9/projects/{id}"))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn invalid_projects_are_rejected() {
    let emu = start().await;
    let too_long = "a".repeat(101);
    for name in [
        "Upper",
        "has space",
        "a---b",
        "slash/name",
        "",
        too_long.as_str(),
    ] {
        let (s, body) = emu.create("", json!({"name": name})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "name {name:?}: {body}");
        assert_error(&body, "bad_request");
    }
    assert_eq!(
        emu.create("", json!({"name": "a.b_c-d--e"})).await.0,
        StatusCode::OK
    );
    assert_eq!(
        emu.create("", json!({"name": "a".repeat(100)})).await.0,
        StatusCode::OK
    );
    for body in [
        json!({}),
        json!({"name": "ok", "framework": "rails"}),
        json!({"name": "ok", "unknownField": true}),
        json!({"name": "ok", "serverlessFunctionRegion": "toolong"}),
        json!({"name": "ok", "gitRepository": {"type": "svn", "repo": "a/b"}}),
        json!({"name": "ok", "gitRepository": {"type": "github", "repo": "no-owner"}}),
        json!({"name": "ok", "environmentVariables": [{"key": "1BAD", "value": "v", "target": ["production"]}]}),
    ] {
        let (s, reply) = emu.create("", body.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}: {reply}");
        assert_error(&reply, "bad_request");
    }
    let (s, _) = call(emu.req(Method::GET, "/v9/projects/ok")).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "rejected creates leave nothing behind"
    );
    let id = emu.project("patchme").await;
    for body in [
        json!({"nodeVersion": "8.10.x"}),
        json!({"framework": "rails"}),
        json!({"name": "Bad Name"}),
        json!({"gitForkProtection": "yes"}),
        json!({"buildCommand": "x".repeat(257)}),
        json!({"notAField": 1}),
    ] {
        let (s, reply) = call(
            emu.req(Method::PATCH, &format!("/v9/projects/{id}"))
                .json(&body),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}: {reply}");
    }
    let (s, body) = call(
        emu.req(Method::POST, "/v11/projects")
            .header("content-type", "application/json")
            .body("{oops"),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_error(&body, "bad_request");
}

#[tokio::test]
async fn duplicate_names_conflict_within_a_team_only() {
    let emu = start().await;
    emu.project("site").await;
    let (s, body) = emu.create("", json!({"name": "site"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_error(&body, "conflict");
    let (s, _) = emu.create("?teamId=team_a", json!({"name": "site"})).await;
    assert_eq!(s, StatusCode::OK, "another team may use the name");
    let other = emu.project("other").await;
    let (s, body) = call(
        emu.req(Method::PATCH, &format!("/v9/projects/{other}"))
            .json(&json!({"name": "site"})),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "a rename may not take a used name: {body}"
    );
    let (s, _) = call(
        emu.req(Method::PATCH, "/v9/projects/site")
            .json(&json!({"name": "site"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "renaming to its own name is fine");
}

#[tokio::test]
async fn projects_are_scoped_to_their_team() {
    let emu = start().await;
    let (_, a) = emu
        .create("?teamId=team_alpha", json!({"name": "shared"}))
        .await;
    assert_eq!(a["accountId"], "team_alpha");
    let (_, b) = emu.create("?slug=beta", json!({"name": "shared"})).await;
    let beta = b["accountId"].as_str().expect("account").to_string();
    assert!(beta.starts_with("team_") && beta != "team_alpha");
    let (_, personal) = emu.create("", json!({"name": "shared"})).await;
    assert_ne!(personal["accountId"], a["accountId"]);
    assert_ne!(personal["accountId"], b["accountId"]);

    let (s, got) = call(emu.req(Method::GET, "/v9/projects/shared?slug=beta")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(got["id"], b["id"]);
    let (s, got) = call(emu.req(Method::GET, &format!("/v9/projects/shared?teamId={beta}"))).await;
    assert_eq!(s, StatusCode::OK, "slug and id name the same team");
    assert_eq!(got["id"], b["id"]);
    let alpha_id = a["id"].as_str().expect("id");
    let (s, _) = call(emu.req(Method::GET, &format!("/v9/projects/{alpha_id}?slug=beta"))).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "another team's project is invisible, even by id"
    );
    let (s, _) = call(emu.req(Method::GET, &format!("/v9/projects/{alpha_id}"))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = call(emu.req(
        Method::DELETE,
        &format!("/v9/projects/{alpha_id}?teamId=team_other"),
    ))
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, list) = call(emu.req(Method::GET, "/v10/projects?teamId=team_alpha")).await;
    let ids: Vec<_> = list["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .map(|p| p["id"].clone())
        .collect();
    assert_eq!(ids, vec![a["id"].clone()]);
    let (s, _) = call(emu.req(Method::GET, "/v10/projects/shared/env?teamId=team_other")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "env routes are scoped too");
}

#[tokio::test]
async fn listing_pages_newest_first() {
    let emu = start().await;
    let mut made = Vec::new();
    for i in 0..7 {
        made.push(emu.project(&format!("p{i}")).await);
    }
    emu.project("unrelated").await;
    let mut seen = Vec::new();
    let mut from: Option<u64> = None;
    for _ in 0..10 {
        let mut path = "/v10/projects?limit=3&search=p".to_string();
        if let Some(f) = from {
            path.push_str(&format!("&from={f}"));
        }
        let (s, body) = call(emu.req(Method::GET, &path)).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let page = body["projects"].as_array().expect("projects");
        assert_eq!(body["pagination"]["count"], json!(page.len()));
        seen.extend(
            page.iter()
                .map(|p| p["id"].as_str().expect("id").to_string()),
        );
        from = body["pagination"]["next"].as_u64();
        if from.is_none() {
            break;
        }
    }
    made.reverse();
    assert_eq!(seen, made, "every match once, most recently updated first");
    let (s, _) = call(emu.req(Method::GET, "/v10/projects?limit=0")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (_, body) = call(emu.req(Method::GET, "/v10/projects")).await;
    assert_eq!(body["projects"].as_array().expect("projects").len(), 8);
    assert_eq!(body["pagination"]["next"], Value::Null);
}

#[tokio::test]
async fn git_links_per_provider() {
    let emu = start().await;
    let (_, gl) = emu
        .create(
            "",
            json!({"name": "gl", "gitRepository": {"type": "gitlab", "repo": "group/app"}}),
        )
        .await;
    assert_eq!(gl["link"]["type"], "gitlab");
    assert_eq!(gl["link"]["projectNamespace"], "group");
    assert_eq!(gl["link"]["projectName"], "app");
    let (_, bb) = emu
        .create(
            "",
            json!({"name": "bb", "gitRepository": {"type": "bitbucket", "repo": "team/app"}}),
        )
        .await;
    assert_eq!(bb["link"]["owner"], "team");
    assert_eq!(bb["link"]["slug"], "app");
    let (_, none) = emu.create("", json!({"name": "nolink"})).await;
    assert!(none.get("link").is_none());
    let (_, list) = call(emu.req(Method::GET, "/v10/projects?repo=group/app")).await;
    let names: Vec<_> = list["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .map(|p| p["name"].clone())
        .collect();
    assert_eq!(names, vec![json!("gl")]);
}

#[tokio::test]
async fn env_types_reveal_values_as_the_api_does() {
    let emu = start().await;
    let id = emu.project("envs").await;
    let vars = json!([
        {"key": "PLAIN", "value": "p-value", "type": "plain", "target": ["production"]},
        {"key": "ENC", "value": "e-value", "type": "encrypted", "target": ["production", "preview", "development"], "comment": "why"},
        {"key": "SENS", "value": "s-value", "type": "sensitive", "target": ["production", "preview"]}
    ]);
    let (s, body) = emu.add_env(&id, "", vars).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(body["failed"], json!([]));
    let created = body["created"]
        .as_array()
        .expect("created array for an array body");
    assert_eq!(created.len(), 3);
    assert!(
        !body.to_string().contains("s-value"),
        "sensitive never echoed: {body}"
    );
    assert!(
        !body.to_string().contains("e-value"),
        "encrypted stays sealed: {body}"
    );

    let by_key =
        |list: &[Value], key: &str| list.iter().find(|e| e["key"] == key).cloned().expect("var");
    let sealed = emu.envs(&id, "").await;
    assert_eq!(by_key(&sealed, "PLAIN")["value"], "p-value");
    let enc = by_key(&sealed, "ENC");
    assert!(
        enc["value"]
            .as_str()
            .is_some_and(|v| !v.is_empty() && v != "e-value"),
        "{enc}"
    );
    assert_eq!(enc["decrypted"], json!(false));
    assert_eq!(enc["comment"], "why");
    assert_eq!(by_key(&sealed, "SENS")["value"], "");

    let open = emu.envs(&id, "?decrypt=true").await;
    assert_eq!(by_key(&open, "ENC")["value"], "e-value");
    assert_eq!(by_key(&open, "ENC")["decrypted"], json!(true));
    assert_eq!(
        by_key(&open, "SENS")["value"],
        "",
        "decrypt does not reveal sensitive values"
    );

    let sens_id = by_key(&open, "SENS")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (s, one) = call(emu.req(Method::GET, &format!("/v1/projects/{id}/env/{sens_id}"))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        one.get("value").is_none(),
        "single GET omits a sensitive value: {one}"
    );
    assert_eq!(one["type"], "sensitive");
    let enc_id = enc["id"].as_str().expect("id");
    let (_, one) = call(emu.req(Method::GET, &format!("/v1/projects/envs/env/{enc_id}"))).await;
    assert_eq!(one["value"], "e-value", "the single GET decrypts");
    let (_, project) = call(emu.req(Method::GET, &format!("/v9/projects/{id}"))).await;
    assert!(!project.to_string().contains("s-value") && !project.to_string().contains("e-value"));
    let (s, _) = call(emu.req(Method::GET, &format!("/v1/projects/{id}/env/nope"))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = call(emu.req(
        Method::GET,
        &format!("/v10/projects/{id}/env?decrypt=maybe"),
    ))
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn env_upsert_and_clashes() {
    let emu = start().await;
    let id = emu.project("ups").await;
    let var = |value: &str| json!({"key": "TOKEN", "value": value, "type": "plain", "target": ["production"]});
    let (s, body) = emu.add_env(&id, "", var("one")).await;
    assert_eq!(s, StatusCode::CREATED);
    assert!(
        body["created"].is_object(),
        "a single body gets a single created object: {body}"
    );
    let first_id = body["created"]["id"].clone();

    let (s, body) = emu.add_env(&id, "", var("two")).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert_error(&body, "ENV_ALREADY_EXISTS");
    assert_eq!(body["error"]["envVarId"], first_id);

    let (s, body) = emu.add_env(&id, "?upsert=true", var("three")).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(
        body["created"]["id"], first_id,
        "upsert overwrites in place"
    );
    let list = emu.envs(&id, "").await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["value"], "three");

    let (s, body) = emu
        .add_env(&id, "", json!([var("x"), {"key": "TOKEN", "value": "dev", "type": "plain", "target": ["development"]}]))
        .await;
    assert_eq!(
        s,
        StatusCode::CREATED,
        "a batch with one clash creates the rest: {body}"
    );
    assert_eq!(body["created"].as_array().map(Vec::len), Some(1));
    assert_eq!(body["failed"].as_array().map(Vec::len), Some(1));
    assert_eq!(body["failed"][0]["error"]["code"], "ENV_ALREADY_EXISTS");
    assert_eq!(emu.envs(&id, "").await.len(), 2);
}

#[tokio::test]
async fn git_branch_only_for_preview_only_vars() {
    let emu = start().await;
    let id = emu.project("branches").await;
    let var = |target: Value| json!({"key": "FLAG", "value": "1", "type": "plain", "target": target, "gitBranch": "feature-1"});
    for target in [
        json!(["production"]),
        json!(["preview", "development"]),
        json!(["preview", "production"]),
    ] {
        let (s, body) = emu.add_env(&id, "", var(target.clone())).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{target}: {body}");
        assert_error(&body, "bad_request");
    }
    let (s, body) = emu.add_env(&id, "", var(json!(["preview"]))).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(body["created"]["gitBranch"], "feature-1");
    let branch_var = body["created"]["id"].as_str().expect("id").to_string();
    let (s, body) = emu
        .add_env(
            &id,
            "",
            json!({"key": "FLAG", "value": "2", "type": "plain", "target": ["preview"]}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::CREATED,
        "no branch is a different variable: {body}"
    );
    assert_eq!(emu.envs(&id, "?gitBranch=feature-1").await.len(), 1);
    let (s, body) = call(
        emu.req(
            Method::PATCH,
            &format!("/v9/projects/{id}/env/{branch_var}"),
        )
        .json(&json!({"target": ["preview", "production"]})),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "an edit may not break the rule: {body}"
    );
    let (s, _) = emu
        .add_env(
            &id,
            "",
            json!({"key": "S", "value": "v", "type": "sensitive", "target": ["development"]}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "sensitive variables cannot target development"
    );
    let (s, _) = emu
        .add_env(
            &id,
            "",
            json!({"key": "NOTYPE", "value": "v", "target": ["production"]}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "type is required");
    let (s, _) = emu
        .add_env(
            &id,
            "",
            json!({"key": "T", "value": "v", "type": "plain", "target": ["staging"]}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn env_edit_and_remove() {
    let emu = start().await;
    let id = emu.project("edits").await;
    let (_, body) = emu
        .add_env(
            &id,
            "",
            json!([
                {"key": "A", "value": "a", "type": "encrypted", "target": ["production"]},
                {"key": "B", "value": "b", "type": "plain", "target": ["preview"]},
                {"key": "C", "value": "c", "type": "plain", "target": ["preview"]}
            ]),
        )
        .await;
    let ids: Vec<String> = body["created"]
        .as_array()
        .expect("created")
        .iter()
        .map(|v| v["id"].as_str().expect("id").to_string())
        .collect();
    let (s, edited) = call(
        emu.req(Method::PATCH, &format!("/v9/projects/{id}/env/{}", ids[0]))
            .json(
                &json!({"value": "a2", "target": ["production", "preview"], "comment": "edited"}),
            ),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{edited}");
    assert_eq!(edited["id"], json!(ids[0]));
    assert_eq!(edited["target"], json!(["production", "preview"]));
    assert_eq!(edited["type"], "encrypted", "untouched fields stay");
    let (_, one) = call(emu.req(Method::GET, &format!("/v1/projects/{id}/env/{}", ids[0]))).await;
    assert_eq!(one["value"], "a2");
    assert_eq!(one["comment"], "edited");
    let (s, body) = call(
        emu.req(Method::PATCH, &format!("/v9/projects/{id}/env/{}", ids[2]))
            .json(&json!({"key": "B"})),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "renaming onto another variable clashes: {body}"
    );
    let (s, _) = call(
        emu.req(Method::PATCH, &format!("/v9/projects/{id}/env/{}", ids[2]))
            .json(&json!({"bogus": 1})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = call(
        emu.req(Method::PATCH, &format!("/v9/projects/{id}/env/nope"))
            .json(&json!({"value": "x"})),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let (s, removed) =
        call(emu.req(Method::DELETE, &format!("/v9/projects/{id}/env/{}", ids[1]))).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(removed["key"], "B");
    let (s, _) = call(emu.req(Method::DELETE, &format!("/v9/projects/{id}/env/{}", ids[1]))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, body) = call(
        emu.req(Method::DELETE, &format!("/v1/projects/{id}/env"))
            .json(&json!({"ids": [ids[0], ids[2], "unknown"]})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["deleted"], json!(2));
    assert!(emu.envs(&id, "").await.is_empty());
    let (s, _) = call(
        emu.req(Method::DELETE, &format!("/v1/projects/{id}/env"))
            .json(&json!({"ids": []})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_token_is_required() {
    let emu = start().await;
    let (s, body) = call(emu.client.get(format!("{}/v10/projects", emu.base))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_error(&body, "forbidden");
    let (s, body) = call(
        emu.client
            .post(format!("{}/v11/projects", emu.base))
            .bearer_auth("wrong")
            .json(&json!({"name": "x"})),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["invalidToken"], json!(true));
    let (_, list) = call(emu.req(Method::GET, "/v10/projects")).await;
    assert_eq!(
        list["projects"],
        json!([]),
        "the rejected create made nothing"
    );
}

#[tokio::test]
async fn projects_and_env_survive_a_restart_from_the_state_file() {
    let dir = std::env::temp_dir().join(format!("paasform-vercel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("state.json");
    let _ = std::fs::remove_file(&file);
    let config = || Config {
        token: Some(TOKEN.to_string()),
        state_file: Some(file.clone()),
        ..Config::default()
    };
    let (addr, task) = Emulator::new(config()).spawn().await.expect("bind");
    let first = Running {
        base: format!("http://{addr}/vercel"),
        client: reqwest::Client::new(),
        task,
    };
    let id = first.project("kept").await;
    let (s, _) = first
        .add_env(
            &id,
            "?slug=ignored-team",
            json!({"key": "K", "value": "v", "type": "encrypted", "target": ["production"]}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "the project is not in that team");
    first
        .add_env(
            &id,
            "",
            json!({"key": "K", "value": "v", "type": "encrypted", "target": ["production"]}),
        )
        .await;
    drop(first);
    let world = Emulator::load(config()).expect("state file loads");
    let (addr, task) = world.spawn().await.expect("bind");
    let second = Running {
        base: format!("http://{addr}/vercel"),
        client: reqwest::Client::new(),
        task,
    };
    let (s, p) = call(second.req(Method::GET, "/v9/projects/kept")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(p["id"], json!(id));
    let envs = second.envs(&id, "?decrypt=true").await;
    assert_eq!(envs.len(), 1);
    assert_eq!(envs[0]["value"], "v");
    let next = second.project("after-restart").await;
    let (_, q) = call(second.req(Method::GET, &format!("/v9/projects/{next}"))).await;
    assert!(
        q["createdAt"].as_u64() > p["createdAt"].as_u64(),
        "the clock carries on"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

//! Cloudflare R2 emulation: the envelope, bucket CRUD and validation, jurisdiction scoping, cursor
//! pagination, CORS / lifecycle / custom and managed domains, the non-empty-delete hook and auth.
//! In-process on 127.0.0.1:0.

use paasform_emulator::{Config, Emulator};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const TOKEN: &str = "cf-token";
const ACCOUNT: &str = "acct123";

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
        base: format!("http://{addr}/cloudflare/client/v4"),
        client: reqwest::Client::new(),
        task,
    }
}

impl Running {
    fn buckets(&self) -> String {
        format!("{}/accounts/{ACCOUNT}/r2/buckets", self.base)
    }

    fn bucket(&self, name: &str, suffix: &str) -> String {
        format!("{}/{name}{suffix}", self.buckets())
    }

    /// An authorised request, in `jurisdiction` when given.
    fn req(
        &self,
        method: Method,
        url: &str,
        jurisdiction: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let r = self.client.request(method, url).bearer_auth(TOKEN);
        match jurisdiction {
            Some(j) => r.header("cf-r2-jurisdiction", j),
            None => r,
        }
    }

    async fn create(&self, body: Value, jurisdiction: Option<&str>) -> (StatusCode, Value) {
        call(
            self.req(Method::POST, &self.buckets(), jurisdiction)
                .json(&body),
        )
        .await
    }
}

async fn call(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("request");
    let status = response.status();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).expect("JSON envelope"))
}

/// A failure envelope with exactly this code.
fn assert_failure(body: &Value, code: u64) {
    assert_eq!(body["success"], json!(false), "{body}");
    assert_eq!(body["result"], Value::Null, "{body}");
    assert_eq!(body["messages"], json!([]), "{body}");
    assert_eq!(body["errors"][0]["code"], json!(code), "{body}");
    assert!(body["errors"][0]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
}

fn assert_success(body: &Value) {
    assert_eq!(body["success"], json!(true), "{body}");
    assert_eq!(body["errors"], json!([]), "{body}");
    assert_eq!(body["messages"], json!([]), "{body}");
}

#[tokio::test]
async fn bucket_crud_in_the_envelope() {
    let emu = start().await;
    let (s, body) = emu
        .create(
            json!({"name": "assets", "locationHint": "wnam", "storageClass": "InfrequentAccess"}),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_success(&body);
    let b = &body["result"];
    assert_eq!(b["name"], "assets");
    assert_eq!(b["location"], "WNAM", "location is reported in upper case");
    assert_eq!(b["storage_class"], "InfrequentAccess");
    assert_eq!(b["jurisdiction"], "default");
    assert!(b["creation_date"]
        .as_str()
        .is_some_and(|d| d.ends_with('Z')));

    let (s, body) = call(emu.req(Method::GET, &emu.bucket("assets", ""), None)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["result"], *b);

    let (s, body) = call(
        emu.req(Method::PATCH, &emu.bucket("assets", ""), None)
            .header("cf-r2-storage-class", "Standard"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["result"]["storage_class"], "Standard");

    let (s, body) = call(emu.req(Method::DELETE, &emu.bucket("assets", ""), None)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_success(&body);
    let (s, body) = call(emu.req(Method::GET, &emu.bucket("assets", ""), None)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_failure(&body, 10006);
    let (s, body) = call(emu.req(Method::DELETE, &emu.bucket("assets", ""), None)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_failure(&body, 10006);
}

#[tokio::test]
async fn defaults_location_enam_and_standard_class() {
    let emu = start().await;
    let (_, body) = emu.create(json!({"name": "plain"}), None).await;
    assert_eq!(body["result"]["location"], "ENAM");
    assert_eq!(body["result"]["storage_class"], "Standard");
    let (s, body) = emu
        .create(json!({"name": "lower", "locationHint": "weur"}), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["result"]["location"], "WEUR", "reported in upper case");
    // The spec's create enum is lower case only, although answers are upper case.
    let (s, body) = emu
        .create(json!({"name": "upper", "locationHint": "WEUR"}), None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn duplicate_and_invalid_buckets_are_rejected() {
    let emu = start().await;
    assert_eq!(
        emu.create(json!({"name": "dup"}), None).await.0,
        StatusCode::OK
    );
    let (s, body) = emu.create(json!({"name": "dup"}), None).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_failure(&body, 10004);
    assert_eq!(
        body["errors"][0]["message"],
        "The bucket you tried to create already exists, and you own it."
    );
    for bad in [
        "ab",
        "-leading",
        "trailing-",
        "Upper",
        "under_score",
        &"x".repeat(64),
    ] {
        let (s, body) = emu.create(json!({"name": bad}), None).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "name {bad:?}");
        assert_failure(&body, 10005);
    }
    assert_eq!(
        emu.create(json!({"name": "a-b"}), None).await.0,
        StatusCode::OK
    );
    assert_eq!(
        emu.create(json!({"name": "x".repeat(63)}), None).await.0,
        StatusCode::OK
    );
    for body in [
        json!({"name": "ok-name", "locationHint": "mars"}),
        json!({"name": "ok-name", "storageClass": "Glacier"}),
        json!({}),
    ] {
        let (s, reply) = emu.create(body.clone(), None).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(reply["success"], json!(false));
    }
    let (s, _) = call(emu.req(Method::GET, &emu.bucket("ok-name", ""), None)).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "rejected creates leave nothing behind"
    );
    let (s, body) = call(
        emu.req(Method::POST, &emu.buckets(), Some("mars"))
            .json(&json!({"name": "j"})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn patch_needs_a_valid_storage_class_header() {
    let emu = start().await;
    emu.create(json!({"name": "pb"}), None).await;
    let (s, body) = call(emu.req(Method::PATCH, &emu.bucket("pb", ""), None)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    let (s, _) = call(
        emu.req(Method::PATCH, &emu.bucket("pb", ""), None)
            .header("cf-r2-storage-class", "Cold"),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, body) = call(
        emu.req(Method::PATCH, &emu.bucket("missing", ""), None)
            .header("cf-r2-storage-class", "Standard"),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_failure(&body, 10006);
}

#[tokio::test]
async fn jurisdictions_scope_buckets() {
    let emu = start().await;
    let (s, body) = emu.create(json!({"name": "shared"}), Some("eu")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["result"]["jurisdiction"], "eu");
    let (s, _) = call(emu.req(Method::GET, &emu.bucket("shared", ""), None)).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "an eu bucket is invisible from default"
    );
    let (s, _) = emu.create(json!({"name": "shared"}), None).await;
    assert_eq!(
        s,
        StatusCode::OK,
        "the same name may exist once per jurisdiction"
    );
    let (_, body) = emu
        .create(
            json!({"name": "shared", "locationHint": "apac"}),
            Some("fedramp"),
        )
        .await;
    assert_eq!(body["result"]["jurisdiction"], "fedramp");

    let (_, eu) = call(emu.req(Method::GET, &emu.buckets(), Some("eu"))).await;
    let names: Vec<_> = eu["result"]["buckets"]
        .as_array()
        .expect("array")
        .iter()
        .map(|b| b["jurisdiction"].clone())
        .collect();
    assert_eq!(names, vec![json!("eu")]);

    emu.create(json!({"name": "only-eu"}), Some("eu")).await;
    let (_, default) = call(emu.req(Method::GET, &emu.buckets(), None)).await;
    assert_eq!(
        default["result"]["buckets"]
            .as_array()
            .expect("array")
            .len(),
        1
    );

    let (s, _) = call(emu.req(Method::DELETE, &emu.bucket("shared", ""), Some("eu"))).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = call(emu.req(Method::GET, &emu.bucket("shared", ""), None)).await;
    assert_eq!(
        s,
        StatusCode::OK,
        "deleting in eu leaves the default bucket"
    );
}

#[tokio::test]
async fn listing_pages_with_a_cursor() {
    let emu = start().await;
    for i in 0..7 {
        emu.create(json!({"name": format!("page-{i}")}), None).await;
    }
    emu.create(json!({"name": "other"}), None).await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let mut url = format!("{}?per_page=3&name_contains=page", emu.buckets());
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let (s, body) = call(emu.req(Method::GET, &url, None)).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_success(&body);
        assert_eq!(body["result_info"]["per_page"], json!(3));
        let page = body["result"]["buckets"].as_array().expect("array");
        assert!(page.len() <= 3);
        seen.extend(
            page.iter()
                .map(|b| b["name"].as_str().expect("string").to_string()),
        );
        cursor = body["result_info"]["cursor"].as_str().map(str::to_string);
        if cursor.is_none() {
            break;
        }
    }
    let want: Vec<String> = (0..7).map(|i| format!("page-{i}")).collect();
    assert_eq!(seen, want, "every match once, in name order");

    let (_, body) = call(emu.req(
        Method::GET,
        &format!("{}?direction=desc&start_after=page-2", emu.buckets()),
        None,
    ))
    .await;
    let names: Vec<_> = body["result"]["buckets"]
        .as_array()
        .expect("array")
        .iter()
        .map(|b| b["name"].clone())
        .collect();
    assert_eq!(
        names,
        vec![json!("page-1"), json!("page-0"), json!("other")]
    );
    let (s, _) = call(emu.req(Method::GET, &format!("{}?per_page=0", emu.buckets()), None)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = call(emu.req(
        Method::GET,
        &format!("{}?cursor=garbage", emu.buckets()),
        None,
    ))
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn cors_round_trip() {
    let emu = start().await;
    emu.create(json!({"name": "cors"}), None).await;
    let url = emu.bucket("cors", "/cors");
    let (s, body) = call(emu.req(Method::GET, &url, None)).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "no policy yet");
    assert_failure(&body, 10059);
    let rules = json!([{
        "id": "local dev",
        "allowed": {"origins": ["http://localhost:3000"], "methods": ["GET", "PUT"], "headers": ["x-user"]},
        "exposeHeaders": ["ETag"],
        "maxAgeSeconds": 3600
    }]);
    let (s, body) = call(
        emu.req(Method::PUT, &url, None)
            .json(&json!({"rules": rules})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_success(&body);
    let (_, body) = call(emu.req(Method::GET, &url, None)).await;
    assert_eq!(body["result"]["rules"], rules);
    let bad = json!({"rules": [{"allowed": {"origins": ["*"], "methods": ["PATCH"]}}]});
    let (s, _) = call(emu.req(Method::PUT, &url, None).json(&bad)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let bad = json!({"rules": [{"allowed": {"origins": ["*"]}}]});
    let (s, _) = call(emu.req(Method::PUT, &url, None).json(&bad)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "methods is required");
    let (_, body) = call(emu.req(Method::GET, &url, None)).await;
    assert_eq!(
        body["result"]["rules"], rules,
        "a rejected PUT changes nothing"
    );
    let (s, _) = call(emu.req(Method::DELETE, &url, None)).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = call(emu.req(Method::GET, &url, None)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, body) = call(emu.req(Method::GET, &emu.bucket("nope", "/cors"), None)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_failure(&body, 10006);
}

#[tokio::test]
async fn lifecycle_round_trip() {
    let emu = start().await;
    emu.create(json!({"name": "life"}), None).await;
    let url = emu.bucket("life", "/lifecycle");
    let (s, body) = call(emu.req(Method::GET, &url, None)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["result"], json!({"rules": []}));
    let rules = json!([{
        "id": "expire-exports",
        "enabled": true,
        "conditions": {"prefix": "exports/"},
        "deleteObjectsTransition": {"condition": {"type": "Age", "maxAge": 2_592_000}},
        "abortMultipartUploadsTransition": {"condition": {"type": "Age", "maxAge": 604_800}},
        "storageClassTransitions": [{"condition": {"type": "Date", "date": "2030-01-01T00:00:00Z"}, "storageClass": "InfrequentAccess"}]
    }]);
    let (s, body) = call(
        emu.req(Method::PUT, &url, None)
            .json(&json!({"rules": rules})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (_, body) = call(emu.req(Method::GET, &url, None)).await;
    assert_eq!(body["result"]["rules"], rules);
    for bad in [
        json!([{"id": "x", "enabled": true}]),
        json!([{"id": "x", "enabled": true, "conditions": {"prefix": ""}, "deleteObjectsTransition": {"condition": {"type": "Age"}}}]),
        json!([{"id": "x", "enabled": true, "conditions": {"prefix": ""}, "abortMultipartUploadsTransition": {"condition": {"type": "Date", "date": "2030-01-01T00:00:00Z"}}}]),
        json!([{"id": "x", "enabled": true, "conditions": {"prefix": ""}}, {"id": "x", "enabled": false, "conditions": {"prefix": "a"}}]),
    ] {
        let (s, _) = call(
            emu.req(Method::PUT, &url, None)
                .json(&json!({"rules": bad})),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}");
    }
    let (s, _) = call(emu.req(Method::PUT, &url, None).json(&json!({"rules": []}))).await;
    assert_eq!(s, StatusCode::OK);
    let (_, body) = call(emu.req(Method::GET, &url, None)).await;
    assert_eq!(body["result"]["rules"], json!([]));
}

#[tokio::test]
async fn custom_domains_round_trip() {
    let emu = start().await;
    emu.create(json!({"name": "site"}), None).await;
    let list = emu.bucket("site", "/domains/custom");
    let one = emu.bucket("site", "/domains/custom/cdn.example.com");
    let add =
        json!({"domain": "cdn.example.com", "zoneId": "zone1", "enabled": true, "minTLS": "1.2"});
    let (s, body) = call(emu.req(Method::POST, &list, None).json(&add)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(
        body["result"],
        json!({"domain": "cdn.example.com", "enabled": true, "minTLS": "1.2"})
    );
    let (s, body) = call(emu.req(Method::POST, &list, None).json(&add)).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(body["success"], json!(false));
    let (_, body) = call(emu.req(Method::GET, &one, None)).await;
    let d = &body["result"];
    assert_eq!(d["zoneId"], "zone1");
    assert_eq!(d["zoneName"], "example.com");
    assert_eq!(d["status"], json!({"ownership": "active", "ssl": "active"}));
    let (s, body) = call(
        emu.req(Method::PUT, &one, None)
            .json(&json!({"enabled": false})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        body["result"],
        json!({"domain": "cdn.example.com", "enabled": false, "minTLS": "1.2"}),
        "minTLS kept"
    );
    let (_, body) = call(emu.req(Method::GET, &list, None)).await;
    assert_eq!(
        body["result"]["domains"].as_array().expect("array").len(),
        1
    );
    assert_eq!(body["result"]["domains"][0]["enabled"], json!(false));
    let (s, _) = call(
        emu.req(Method::POST, &list, None)
            .json(&json!({"domain": "x.example.com", "zoneId": "z"})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "enabled is required");
    let (s, _) = call(
        emu.req(Method::PUT, &one, None)
            .json(&json!({"minTLS": "2.0"})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, body) = call(emu.req(Method::DELETE, &one, None)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["result"], json!({"domain": "cdn.example.com"}));
    let (s, _) = call(emu.req(Method::GET, &one, None)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = call(emu.req(Method::DELETE, &one, None)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn managed_domain_round_trip() {
    let emu = start().await;
    emu.create(json!({"name": "pub"}), None).await;
    let url = emu.bucket("pub", "/domains/managed");
    let (_, body) = call(emu.req(Method::GET, &url, None)).await;
    let id = body["result"]["bucketId"]
        .as_str()
        .expect("string")
        .to_string();
    assert_eq!(id.len(), 32);
    assert_eq!(body["result"]["domain"], format!("pub-{id}.r2.dev"));
    assert_eq!(body["result"]["enabled"], json!(false));
    let (s, body) = call(
        emu.req(Method::PUT, &url, None)
            .json(&json!({"enabled": true})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["result"]["enabled"], json!(true));
    let (_, body) = call(emu.req(Method::GET, &url, None)).await;
    assert_eq!(body["result"]["enabled"], json!(true));
    let (s, _) = call(emu.req(Method::PUT, &url, None).json(&json!({}))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn non_empty_bucket_cannot_be_deleted() {
    let emu = start().await;
    emu.create(json!({"name": "full"}), Some("eu")).await;
    let hook = format!("{}/_emulator/r2/{ACCOUNT}/full/objects?count=3", emu.base);
    let (s, _) = call(emu.client.post(&hook).header("cf-r2-jurisdiction", "eu")).await;
    assert_eq!(s, StatusCode::OK);
    let (s, body) = call(emu.req(Method::DELETE, &emu.bucket("full", ""), Some("eu"))).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_failure(&body, 10008);
    assert_eq!(
        body["errors"][0]["message"],
        "The bucket you tried to delete is not empty."
    );
    let (s, _) = call(emu.req(Method::GET, &emu.bucket("full", ""), Some("eu"))).await;
    assert_eq!(s, StatusCode::OK, "still there");
    let (s, _) = call(
        emu.client
            .post(hook.replace("count=3", "count=0"))
            .header("cf-r2-jurisdiction", "eu"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = call(emu.req(Method::DELETE, &emu.bucket("full", ""), Some("eu"))).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = call(emu.client.post(&hook)).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "the hook is jurisdiction-scoped too"
    );
}

#[tokio::test]
async fn credentials_are_required() {
    let emu = start().await;
    let (s, body) = call(emu.client.get(emu.buckets())).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_failure(&body, 10000);
    assert_eq!(body["errors"][0]["message"], "Authentication error");
    let (s, body) = call(
        emu.client
            .post(emu.buckets())
            .bearer_auth("wrong")
            .json(&json!({"name": "x-y-z"})),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_failure(&body, 10000);
    let (s, _) = call(
        emu.client
            .get(emu.buckets())
            .header("x-auth-email", "me@example.com")
            .header("x-auth-key", TOKEN),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "global API key headers work too");
}

#[tokio::test]
async fn malformed_body_is_a_failure_envelope() {
    let emu = start().await;
    let (s, body) = call(
        emu.req(Method::POST, &emu.buckets(), None)
            .header("content-type", "application/json")
            .body("{not json"),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(body["success"], json!(false));
}

#[tokio::test]
async fn buckets_survive_a_restart_from_the_state_file() {
    let dir = std::env::temp_dir().join(format!("paasform-r2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("state.json");
    let _ = std::fs::remove_file(&file);
    let config = || Config {
        token: Some(TOKEN.to_string()),
        state_file: Some(file.clone()),
        ..Config::default()
    };
    let spawn = |emu: Emulator| async move {
        let (addr, task) = emu.spawn().await.expect("bind");
        Running {
            base: format!("http://{addr}/cloudflare/client/v4"),
            client: reqwest::Client::new(),
            task,
        }
    };
    let first = spawn(Emulator::new(config())).await;
    first.create(json!({"name": "kept"}), Some("eu")).await;
    let rules = json!({"rules": [{"allowed": {"origins": ["*"], "methods": ["GET"]}}]});
    let (s, _) = call(
        first
            .req(Method::PUT, &first.bucket("kept", "/cors"), Some("eu"))
            .json(&rules),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    drop(first);
    let second = spawn(Emulator::load(config()).expect("state file loads")).await;
    let (s, body) =
        call(second.req(Method::GET, &second.bucket("kept", "/cors"), Some("eu"))).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["result"], rules);
    let _ = std::fs::remove_dir_all(&dir);
}

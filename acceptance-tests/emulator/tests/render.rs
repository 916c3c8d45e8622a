//! In-process tests of the Render API emulator: the emulator is served on 127.0.0.1:0 and driven
//! over HTTP with reqwest, the way the provider talks to Render.

use paasform_emulator::{Config, Emulator};
use serde_json::{json, Value};

const OWNER: &str = "tea-paasformemulator0001";

struct Api {
    base: String,
    http: reqwest::Client,
    token: Option<&'static str>,
}

impl Api {
    async fn start(config: Config) -> Api {
        let app = Emulator::new(config).router();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, app).await });
        Api {
            base: format!("http://{addr}/render/v1"),
            http: reqwest::Client::new(),
            token: Some("test-token"),
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = self.token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }
    async fn get(&self, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }
    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }
    async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::PUT, path, Some(body)).await
    }
    async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::PATCH, path, Some(body)).await
    }
    async fn delete(&self, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::DELETE, path, None).await
    }

    /// Create a service and return its id, asserting the 201.
    async fn create_service(&self, body: Value) -> Value {
        let (status, out) = self.post("/services", body).await;
        assert_eq!(status, 201, "create failed: {out}");
        out
    }
}

fn web(name: &str) -> Value {
    json!({
        "type": "web_service",
        "name": name,
        "ownerId": OWNER,
        "repo": "https://github.com/render-examples/flask-hello-world",
        "serviceDetails": {
            "runtime": "python",
            "plan": "standard",
            "region": "frankfurt",
            "envSpecificDetails": {"buildCommand": "pip install -r requirements.txt", "startCommand": "gunicorn app:app"},
        },
    })
}

fn assert_render_error(body: &Value) {
    assert!(body["id"].is_string(), "error body without id: {body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "error body without message: {body}"
    );
}

#[tokio::test]
async fn requests_without_credentials_get_401() {
    let mut api = Api::start(Config::default()).await;
    api.token = None;
    let (status, body) = api.get("/services").await;
    assert_eq!(status, 401);
    assert_render_error(&body);
    let (status, _) = api.post("/services", web("x")).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn wrong_token_is_rejected_when_one_is_configured() {
    let mut api = Api::start(Config {
        token: Some("right".into()),
        ..Config::default()
    })
    .await;
    assert_eq!(api.get("/owners").await.0, 401);
    api.token = Some("right");
    assert_eq!(api.get("/owners").await.0, 200);
}

#[tokio::test]
async fn owners_list_and_get() {
    let api = Api::start(Config::default()).await;
    let (status, list) = api.get("/owners").await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["owner"]["id"], OWNER);
    assert_eq!(list[0]["cursor"], OWNER);
    let (status, owner) = api.get(&format!("/owners/{OWNER}")).await;
    assert_eq!(status, 200);
    assert_eq!(owner["type"], "team");
    let (status, body) = api.get("/owners/tea-doesnotexist000000000").await;
    assert_eq!(status, 404);
    assert_render_error(&body);
}

#[tokio::test]
async fn web_service_crud() {
    let api = Api::start(Config::default()).await;
    let created = api.create_service(web("My API")).await;
    let svc = &created["service"];
    let id = svc["id"].as_str().expect("id").to_string();
    assert!(id.starts_with("srv-") && id.len() == 24, "{id}");
    assert!(created["deployId"]
        .as_str()
        .is_some_and(|d| d.starts_with("dep-")));
    assert_eq!(svc["slug"], "my-api");
    assert_eq!(svc["type"], "web_service");
    assert_eq!(svc["ownerId"], OWNER);
    assert_eq!(svc["suspended"], "not_suspended");
    assert_eq!(svc["suspenders"], json!([]));
    assert_eq!(svc["autoDeploy"], "yes");
    assert_eq!(svc["branch"], "main");
    let d = &svc["serviceDetails"];
    assert_eq!(d["url"], "https://my-api.onrender.com");
    assert_eq!(d["plan"], "standard");
    assert_eq!(d["region"], "frankfurt");
    assert_eq!(d["runtime"], "python");
    assert_eq!(d["env"], "python");
    assert_eq!(d["numInstances"], 1);
    assert_eq!(d["envSpecificDetails"]["startCommand"], "gunicorn app:app");
    assert_eq!(d["openPorts"][0]["port"], 10000);

    let (status, got) = api.get(&format!("/services/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(&got, svc);

    let (status, patched) = api
        .patch(
            &format!("/services/{id}"),
            json!({"name": "My API v2", "autoDeploy": "no", "serviceDetails": {
                "plan": "pro", "healthCheckPath": "/healthz",
                "envSpecificDetails": {"startCommand": "gunicorn app:app -w 4"},
                "preDeployCommand": "./migrate"}}),
        )
        .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["name"], "My API v2");
    assert_eq!(patched["slug"], "my-api", "slug survives a rename");
    assert_eq!(patched["autoDeploy"], "no");
    let d = &patched["serviceDetails"];
    assert_eq!(d["plan"], "pro");
    assert_eq!(d["healthCheckPath"], "/healthz");
    assert_eq!(
        d["envSpecificDetails"]["startCommand"],
        "gunicorn app:app -w 4"
    );
    assert_eq!(
        d["envSpecificDetails"]["buildCommand"],
        "pip install -r requirements.txt"
    );
    assert_eq!(d["envSpecificDetails"]["preDeployCommand"], "./migrate");
    assert_eq!(d["region"], "frankfurt");

    assert_eq!(api.delete(&format!("/services/{id}")).await.0, 204);
    let (status, body) = api.get(&format!("/services/{id}")).await;
    assert_eq!(status, 404);
    assert_render_error(&body);
    assert_eq!(api.delete(&format!("/services/{id}")).await.0, 404);
    assert_eq!(
        api.patch(&format!("/services/{id}"), json!({"name": "x"}))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn every_service_type_round_trips() {
    let api = Api::start(Config::default()).await;
    let cases = [
        json!({"type": "static_site", "name": "site", "ownerId": OWNER,
               "serviceDetails": {"buildCommand": "npm run build", "publishPath": "dist",
                                  "previews": {"generation": "manual"}}}),
        json!({"type": "private_service", "name": "internal", "ownerId": OWNER,
               "serviceDetails": {"runtime": "docker", "numInstances": 2,
                                  "envSpecificDetails": {"dockerCommand": "./run"}}}),
        json!({"type": "background_worker", "name": "worker", "ownerId": OWNER,
               "image": {"ownerId": OWNER, "imagePath": "docker.io/library/busybox:latest"},
               "serviceDetails": {"runtime": "image", "maxShutdownDelaySeconds": 120}}),
        json!({"type": "cron_job", "name": "nightly", "ownerId": OWNER,
               "serviceDetails": {"runtime": "node", "schedule": "0 3 * * *",
                                  "envSpecificDetails": {"buildCommand": "npm ci", "startCommand": "node job.js"}}}),
    ];
    for body in cases {
        let created = api.create_service(body.clone()).await;
        let svc = &created["service"];
        let id = svc["id"].as_str().expect("id");
        let d = &svc["serviceDetails"];
        match body["type"].as_str() {
            Some("static_site") => {
                assert_eq!(d["url"], "https://site.onrender.com");
                assert_eq!(d["publishPath"], "dist");
                assert_eq!(d["buildCommand"], "npm run build");
                assert_eq!(d["previews"]["generation"], "manual");
                assert!(d.get("plan").is_none());
                let (s, p) = api
                    .patch(
                        &format!("/services/{id}"),
                        json!({"serviceDetails": {"publishPath": "out"}}),
                    )
                    .await;
                assert_eq!(
                    (s, p["serviceDetails"]["publishPath"].clone()),
                    (200, json!("out"))
                );
            }
            Some("private_service") => {
                assert_eq!(d["envSpecificDetails"]["dockerCommand"], "./run");
                assert_eq!(d["envSpecificDetails"]["dockerfilePath"], "./Dockerfile");
                assert_eq!(d["numInstances"], 2);
                assert_eq!(d["plan"], "starter");
                assert_eq!(d["region"], "oregon");
            }
            Some("background_worker") => {
                assert_eq!(svc["imagePath"], "docker.io/library/busybox:latest");
                assert_eq!(d["runtime"], "image");
                assert_eq!(d["maxShutdownDelaySeconds"], 120);
                assert!(d.get("url").is_none());
            }
            Some("cron_job") => {
                assert_eq!(d["schedule"], "0 3 * * *");
                assert_eq!(d["envSpecificDetails"]["startCommand"], "node job.js");
                let (s, p) = api
                    .patch(
                        &format!("/services/{id}"),
                        json!({"serviceDetails": {"schedule": "*/5 * * * *"}}),
                    )
                    .await;
                assert_eq!(
                    (s, p["serviceDetails"]["schedule"].clone()),
                    (200, json!("*/5 * * * *"))
                );
            }
            other => panic!("unexpected type {other:?}"),
        }
        let (status, got) = api.get(&format!("/services/{id}")).await;
        assert_eq!(status, 200);
        assert_eq!(got["type"], body["type"]);
        assert_eq!(api.delete(&format!("/services/{id}")).await.0, 204);
        assert_eq!(api.get(&format!("/services/{id}")).await.0, 404);
    }
}

#[tokio::test]
async fn list_paginates_with_cursors_and_filters() {
    let api = Api::start(Config::default()).await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let out = api.create_service(web(&format!("svc-{i}"))).await;
        ids.push(out["service"]["id"].as_str().expect("id").to_string());
    }
    api.create_service(json!({"type": "static_site", "name": "static", "ownerId": OWNER}))
        .await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/services?type=web_service&limit=2&cursor={c}"),
            None => "/services?type=web_service&limit=2".to_string(),
        };
        let (status, page) = api.get(&path).await;
        assert_eq!(status, 200);
        let items = page.as_array().expect("array").clone();
        if items.is_empty() {
            break;
        }
        pages += 1;
        assert!(items.len() <= 2);
        for item in &items {
            assert_eq!(item["service"]["type"], "web_service");
            seen.push(item["service"]["id"].as_str().expect("id").to_string());
        }
        cursor = items
            .last()
            .and_then(|i| i["cursor"].as_str())
            .map(String::from);
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, ids);

    let (_, by_name) = api.get("/services?name=svc-3").await;
    assert_eq!(by_name.as_array().map(Vec::len), Some(1));
    assert_eq!(by_name[0]["service"]["id"], ids[3].as_str());
    let (_, both) = api.get("/services?name=svc-1&name=static").await;
    assert_eq!(both.as_array().map(Vec::len), Some(2));
    let (_, other_owner) = api.get("/services?ownerId=tea-someoneelse0000000000").await;
    assert_eq!(other_owner, json!([]));
    let (_, all) = api.get("/services").await;
    assert_eq!(all.as_array().map(Vec::len), Some(6));
}

#[tokio::test]
async fn duplicate_name_conflicts() {
    let api = Api::start(Config::default()).await;
    let first = api.create_service(web("dup")).await;
    let (status, body) = api.post("/services", web("dup")).await;
    assert_eq!(status, 409);
    assert_render_error(&body);
    let second = api.create_service(web("other")).await;
    let id = second["service"]["id"].as_str().expect("id");
    let (status, _) = api
        .patch(&format!("/services/{id}"), json!({"name": "dup"}))
        .await;
    assert_eq!(status, 409);
    // Deleting the first frees the name.
    let first_id = first["service"]["id"].as_str().expect("id");
    assert_eq!(api.delete(&format!("/services/{first_id}")).await.0, 204);
    assert_eq!(api.post("/services", web("dup")).await.0, 201);
}

#[tokio::test]
async fn invalid_input_is_a_400() {
    let api = Api::start(Config::default()).await;
    let mut cases = Vec::new();
    let mut bad_type = web("a");
    bad_type["type"] = json!("lambda");
    cases.push(bad_type);
    let mut bad_plan = web("b");
    bad_plan["serviceDetails"]["plan"] = json!("gigantic");
    cases.push(bad_plan);
    let mut bad_region = web("c");
    bad_region["serviceDetails"]["region"] = json!("mars");
    cases.push(bad_region);
    let mut bad_runtime = web("d");
    bad_runtime["serviceDetails"]["runtime"] = json!("cobol");
    cases.push(bad_runtime);
    let mut no_name = web("e");
    no_name.as_object_mut().expect("object").remove("name");
    cases.push(no_name);
    let mut no_runtime = web("f");
    no_runtime["serviceDetails"]
        .as_object_mut()
        .expect("object")
        .remove("runtime");
    cases.push(no_runtime);
    let mut no_start = web("g");
    no_start["serviceDetails"]["envSpecificDetails"] = json!({"buildCommand": "make"});
    cases.push(no_start);
    let mut bad_owner = web("h");
    bad_owner["ownerId"] = json!("tea-nope");
    cases.push(bad_owner);
    cases.push(json!({"type": "cron_job", "name": "i", "ownerId": OWNER,
        "serviceDetails": {"runtime": "docker", "schedule": "every day"}}));
    cases.push(
        json!({"type": "background_worker", "name": "j", "ownerId": OWNER,
        "serviceDetails": {"runtime": "image"}}),
    );
    for body in cases {
        let (status, out) = api.post("/services", body.clone()).await;
        assert_eq!(status, 400, "expected 400 for {body}, got {out}");
        assert_render_error(&out);
    }
    let (status, _) = api.get("/services").await;
    assert_eq!(status, 200);
    assert_eq!(
        api.get("/services").await.1,
        json!([]),
        "nothing was created"
    );
    let (status, out) = api.get("/services?limit=abc").await;
    assert_eq!(status, 400, "{out}");
}

#[tokio::test]
async fn env_vars_with_generated_values() {
    let api = Api::start(Config::default()).await;
    let mut body = web("envy");
    body["envVars"] =
        json!([{"key": "PLAIN", "value": "1"}, {"key": "SECRET", "generateValue": true}]);
    let created = api.create_service(body).await;
    let id = created["service"]["id"].as_str().expect("id");
    let base = format!("/services/{id}/env-vars");
    let (status, list) = api.get(&base).await;
    assert_eq!(status, 200);
    assert_eq!(list[0]["envVar"], json!({"key": "PLAIN", "value": "1"}));
    assert_eq!(list[0]["cursor"], "PLAIN");
    let generated = list[1]["envVar"]["value"]
        .as_str()
        .expect("value")
        .to_string();
    assert!(
        generated.len() >= 16,
        "generated value too short: {generated}"
    );

    let (status, replaced) = api
        .put(
            &base,
            json!([{"key": "A", "value": "a"}, {"key": "TOKEN", "generateValue": true}]),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(replaced.as_array().map(Vec::len), Some(2));
    let token = replaced[1]["envVar"]["value"]
        .as_str()
        .expect("token")
        .to_string();
    assert!(!token.is_empty() && token != generated);
    let (_, list) = api.get(&base).await;
    assert_eq!(list, replaced, "PUT replaced everything");

    let (status, one) = api.get(&format!("{base}/TOKEN")).await;
    assert_eq!((status, one["value"].as_str()), (200, Some(token.as_str())));
    let (status, upserted) = api.put(&format!("{base}/NEW"), json!({"value": "n"})).await;
    assert_eq!(
        (status, upserted),
        (200, json!({"key": "NEW", "value": "n"}))
    );
    assert_eq!(api.put(&format!("{base}/NEW"), json!({})).await.0, 400);
    assert_eq!(api.delete(&format!("{base}/A")).await.0, 204);
    assert_eq!(api.get(&format!("{base}/A")).await.0, 404);
    assert_eq!(api.delete(&format!("{base}/A")).await.0, 404);
    let (_, list) = api.get(&format!("{base}?limit=1")).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(api.put(&base, json!([{"key": "X"}])).await.0, 400);
    assert_eq!(api.get("/services/srv-unknown/env-vars").await.0, 404);
}

#[tokio::test]
async fn secret_files() {
    let api = Api::start(Config::default()).await;
    let mut body = web("files");
    body["secretFiles"] = json!([{"name": ".env", "content": "A=1"}]);
    let id = api.create_service(body).await["service"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let base = format!("/services/{id}/secret-files");
    let (_, list) = api.get(&base).await;
    assert_eq!(
        list,
        json!([{"cursor": ".env", "secretFile": {"name": ".env", "content": "A=1"}}])
    );
    let (status, out) = api
        .put(&format!("{base}/key.pem"), json!({"content": "PEM"}))
        .await;
    assert_eq!(
        (status, out),
        (201, json!({"name": "key.pem", "content": "PEM"}))
    );
    let (status, replaced) = api
        .put(&base, json!([{"name": "only", "content": "x"}]))
        .await;
    assert_eq!(status, 200);
    assert_eq!(replaced.as_array().map(Vec::len), Some(1));
    assert_eq!(api.get(&format!("{base}/.env")).await.0, 404);
    assert_eq!(api.get(&format!("{base}/only")).await.1["content"], "x");
    assert_eq!(api.delete(&format!("{base}/only")).await.0, 204);
    assert_eq!(api.get(&base).await.1, json!([]));
}

#[tokio::test]
async fn custom_domains_add_companions_and_verify() {
    let api = Api::start(Config::default()).await;
    let id = api.create_service(web("site")).await["service"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let base = format!("/services/{id}/custom-domains");
    let (status, added) = api.post(&base, json!({"name": "example.com"})).await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(added[0]["name"], "example.com");
    assert_eq!(added[0]["domainType"], "apex");
    assert_eq!(added[0]["verificationStatus"], "unverified");
    assert_eq!(added[0]["redirectForName"], "");
    assert_eq!(added[0]["server"]["id"], id.as_str());
    assert_eq!(added[1]["name"], "www.example.com");
    assert_eq!(added[1]["domainType"], "subdomain");
    assert_eq!(added[1]["redirectForName"], "example.com");
    let (status, single) = api.post(&base, json!({"name": "api.other.org"})).await;
    assert_eq!((status, single.as_array().map(Vec::len)), (201, Some(1)));
    assert_eq!(api.post(&base, json!({"name": "example.com"})).await.0, 409);
    assert_eq!(
        api.post(&base, json!({"name": "not a domain"})).await.0,
        400
    );

    let domain_id = added[0]["id"].as_str().expect("id");
    assert!(domain_id.starts_with("cdm-"));
    assert_eq!(
        api.get(&format!("{base}/{domain_id}")).await.1["name"],
        "example.com"
    );
    assert_eq!(
        api.post(&format!("{base}/example.com/verify"), json!({}))
            .await
            .0,
        202
    );
    assert_eq!(
        api.get(&format!("{base}/example.com")).await.1["verificationStatus"],
        "verified"
    );
    let (_, unverified) = api
        .get(&format!("{base}?verificationStatus=unverified"))
        .await;
    assert_eq!(unverified.as_array().map(Vec::len), Some(2));

    assert_eq!(api.delete(&format!("{base}/{domain_id}")).await.0, 204);
    let (_, rest) = api.get(&base).await;
    assert_eq!(
        rest.as_array().map(Vec::len),
        Some(1),
        "www companion went with the apex: {rest}"
    );
    assert_eq!(api.delete(&format!("{base}/example.com")).await.0, 404);

    let worker = api
        .create_service(
            json!({"type": "background_worker", "name": "w", "ownerId": OWNER,
            "serviceDetails": {"runtime": "docker"}}),
        )
        .await;
    let wid = worker["service"]["id"].as_str().expect("id");
    assert_eq!(
        api.post(
            &format!("/services/{wid}/custom-domains"),
            json!({"name": "w.example.net"})
        )
        .await
        .0,
        400
    );
}

#[tokio::test]
async fn disks_scaling_and_autoscaling() {
    let api = Api::start(Config::default()).await;
    let mut body = web("stateful");
    body["serviceDetails"]["disk"] =
        json!({"name": "data", "mountPath": "/var/data", "sizeGB": 10});
    let created = api.create_service(body).await;
    let id = created["service"]["id"].as_str().expect("id").to_string();
    let disk = &created["service"]["serviceDetails"]["disk"];
    assert_eq!(disk["sizeGB"], 10);
    let disk_id = disk["id"].as_str().expect("disk id").to_string();
    assert!(disk_id.starts_with("dsk-"));

    let (_, disks) = api.get(&format!("/disks?serviceId={id}")).await;
    assert_eq!(disks[0]["disk"]["id"], disk_id.as_str());
    assert_eq!(disks[0]["disk"]["serviceId"], id.as_str());
    let (status, _) = api
        .patch(&format!("/disks/{disk_id}"), json!({"sizeGB": 5}))
        .await;
    assert_eq!(status, 400, "disks cannot shrink");
    let (status, grown) = api
        .patch(&format!("/disks/{disk_id}"), json!({"sizeGB": 20}))
        .await;
    assert_eq!((status, grown["sizeGB"].clone()), (200, json!(20)));
    assert_eq!(
        api.get(&format!("/services/{id}")).await.1["serviceDetails"]["disk"]["sizeGB"],
        20
    );
    assert_eq!(
        api.post(&format!("/services/{id}/scale"), json!({"numInstances": 3}))
            .await
            .0,
        400
    );
    let dup = json!({"name": "more", "sizeGB": 1, "mountPath": "/more", "serviceId": id});
    assert_eq!(api.post("/disks", dup).await.0, 409);
    assert_eq!(api.delete(&format!("/disks/{disk_id}")).await.0, 204);
    assert_eq!(api.get(&format!("/disks/{disk_id}")).await.0, 404);

    assert_eq!(
        api.post(&format!("/services/{id}/scale"), json!({"numInstances": 3}))
            .await
            .0,
        202
    );
    assert_eq!(
        api.get(&format!("/services/{id}")).await.1["serviceDetails"]["numInstances"],
        3
    );
    let too_many = json!({"name": "d", "sizeGB": 1, "mountPath": "/d", "serviceId": id});
    assert_eq!(api.post("/disks", too_many).await.0, 400);

    let auto = json!({"enabled": true, "min": 1, "max": 4, "criteria": {
        "cpu": {"enabled": true, "percentage": 60}, "memory": {"enabled": false, "percentage": 80}}});
    let (status, out) = api
        .put(&format!("/services/{id}/autoscaling"), auto.clone())
        .await;
    assert_eq!((status, &out), (200, &auto));
    assert_eq!(
        api.get(&format!("/services/{id}")).await.1["serviceDetails"]["autoscaling"],
        auto
    );
    let bad = json!({"enabled": true, "min": 5, "max": 2, "criteria": auto["criteria"]});
    assert_eq!(
        api.put(&format!("/services/{id}/autoscaling"), bad).await.0,
        400
    );
    assert_eq!(
        api.delete(&format!("/services/{id}/autoscaling")).await.0,
        204
    );
    assert!(
        api.get(&format!("/services/{id}")).await.1["serviceDetails"]
            .get("autoscaling")
            .is_none()
    );

    let other = api.create_service(web("second")).await;
    let other_id = other["service"]["id"].as_str().expect("id");
    let (status, made) = api
        .post(
            "/disks",
            json!({"name": "d2", "sizeGB": 2, "mountPath": "/data", "serviceId": other_id}),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(api.delete(&format!("/services/{other_id}")).await.0, 204);
    assert_eq!(
        api.get(&format!("/disks/{}", made["id"].as_str().expect("id")))
            .await
            .0,
        404,
        "disk goes with its service"
    );
}

#[tokio::test]
async fn suspend_and_resume() {
    let api = Api::start(Config::default()).await;
    let id = api.create_service(web("sleepy")).await["service"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_eq!(
        api.post(&format!("/services/{id}/suspend"), json!({}))
            .await
            .0,
        202
    );
    let svc = api.get(&format!("/services/{id}")).await.1;
    assert_eq!(
        (svc["suspended"].clone(), svc["suspenders"].clone()),
        (json!("suspended"), json!(["user"]))
    );
    assert_eq!(
        api.get("/services?suspended=suspended")
            .await
            .1
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        api.post(&format!("/services/{id}/resume"), json!({}))
            .await
            .0,
        202
    );
    assert_eq!(
        api.get(&format!("/services/{id}")).await.1["suspended"],
        "not_suspended"
    );
    let (_, deploys) = api.get(&format!("/services/{id}/deploys")).await;
    assert_eq!(deploys[0]["deploy"]["trigger"], "service_resumed");
}

#[tokio::test]
async fn deploys_with_instant_builds() {
    let api = Api::start(Config::default()).await;
    let created = api.create_service(web("instant")).await;
    let id = created["service"]["id"].as_str().expect("id").to_string();
    let first = created["deployId"].as_str().expect("deploy").to_string();
    let (status, d) = api.get(&format!("/services/{id}/deploys/{first}")).await;
    assert_eq!(status, 200);
    assert_eq!(d["status"], "live");
    assert!(d["finishedAt"].is_string() && d["commit"]["id"].is_string());

    let (status, second) = api
        .post(
            &format!("/services/{id}/deploys"),
            json!({"clearCache": "clear"}),
        )
        .await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["status"], "live");
    assert_eq!(
        api.get(&format!("/services/{id}/deploys/{first}")).await.1["status"],
        "deactivated"
    );
    let (_, list) = api.get(&format!("/services/{id}/deploys")).await;
    assert_eq!(list[0]["deploy"]["id"], second["id"], "newest first");
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    assert_eq!(
        api.post(
            &format!("/services/{id}/deploys"),
            json!({"clearCache": "maybe"})
        )
        .await
        .0,
        400
    );
    assert_eq!(
        api.get(&format!("/services/{id}/deploys/dep-unknown"))
            .await
            .0,
        404
    );
    let (_, live_only) = api
        .get(&format!("/services/{id}/deploys?status=live"))
        .await;
    assert_eq!(live_only.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn failing_build_command_ends_build_failed() {
    let api = Api::start(Config::default()).await;
    let mut body = web("broken");
    body["serviceDetails"]["envSpecificDetails"]["buildCommand"] = json!("make && exit 1");
    let created = api.create_service(body).await;
    let id = created["service"]["id"].as_str().expect("id");
    let dep = created["deployId"].as_str().expect("deploy");
    assert_eq!(
        api.get(&format!("/services/{id}/deploys/{dep}")).await.1["status"],
        "build_failed"
    );
    let fixed = json!({"serviceDetails": {"envSpecificDetails": {"buildCommand": "make"}}});
    assert_eq!(api.patch(&format!("/services/{id}"), fixed).await.0, 200);
    let (_, next) = api
        .post(&format!("/services/{id}/deploys"), json!({}))
        .await;
    assert_eq!(next["status"], "live");
}

#[tokio::test]
async fn deploy_waits_in_created_and_can_be_canceled() {
    // An hour-long deploy: its status right after creation is deterministic.
    let api = Api::start(Config {
        render_deploy_ms: 3_600_000,
        ..Config::default()
    })
    .await;
    let created = api.create_service(web("slow")).await;
    let id = created["service"]["id"].as_str().expect("id");
    let dep = created["deployId"].as_str().expect("deploy");
    let (_, d) = api.get(&format!("/services/{id}/deploys/{dep}")).await;
    assert_eq!(d["status"], "created");
    assert!(d.get("finishedAt").is_none());
    let (status, canceled) = api
        .post(&format!("/services/{id}/deploys/{dep}/cancel"), json!({}))
        .await;
    assert_eq!(
        (status, canceled["status"].clone()),
        (200, json!("canceled"))
    );
    assert_eq!(
        api.post(&format!("/services/{id}/deploys/{dep}/cancel"), json!({}))
            .await
            .0,
        409
    );
}

#[tokio::test]
async fn deploy_progresses_to_live_in_order() {
    let api = Api::start(Config {
        render_deploy_ms: 400,
        ..Config::default()
    })
    .await;
    let created = api.create_service(web("progress")).await;
    let id = created["service"]["id"].as_str().expect("id");
    let dep = created["deployId"].as_str().expect("deploy");
    let order = ["created", "build_in_progress", "update_in_progress", "live"];
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..400 {
        let status = api.get(&format!("/services/{id}/deploys/{dep}")).await.1["status"]
            .as_str()
            .expect("status")
            .to_string();
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if status == "live" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(seen.last().map(String::as_str), Some("live"), "{seen:?}");
    let positions: Vec<usize> = seen
        .iter()
        .map(|s| order.iter().position(|o| o == s).expect("known status"))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "statuses out of order: {seen:?}"
    );
}

#[tokio::test]
async fn postgres_lifecycle() {
    let api = Api::start(Config {
        render_db_ready_ms: 300,
        ..Config::default()
    })
    .await;
    let (status, db) = api
        .post(
            "/postgres",
            json!({"name": "Main DB", "ownerId": OWNER, "plan": "basic_1gb",
            "version": "16", "region": "ohio", "diskSizeGB": 10,
            "ipAllowList": [{"cidrBlock": "10.0.0.0/8", "description": "office"}]}),
        )
        .await;
    assert_eq!(status, 201, "{db}");
    let id = db["id"].as_str().expect("id").to_string();
    assert!(id.starts_with("dpg-"));
    assert_eq!(db["status"], "creating");
    assert!(
        db["databaseName"]
            .as_str()
            .is_some_and(|n| n.starts_with("main_db_")),
        "{db}"
    );
    assert_eq!(db["databaseUser"], "main_db_user");
    assert_eq!(db["owner"]["id"], OWNER);
    assert_eq!(db["ipAllowList"][0]["cidrBlock"], "10.0.0.0/8");
    assert_eq!(db["highAvailabilityEnabled"], false);
    assert_eq!(db["role"], "primary");

    let mut status = String::new();
    for _ in 0..500 {
        status = api.get(&format!("/postgres/{id}")).await.1["status"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if status == "available" {
            break;
        }
        assert_eq!(status, "creating");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(status, "available");

    let (status, info) = api.get(&format!("/postgres/{id}/connection-info")).await;
    assert_eq!(status, 200);
    let password = info["password"].as_str().expect("password");
    let user = db["databaseUser"].as_str().expect("user");
    for key in [
        "internalConnectionString",
        "externalConnectionString",
        "psqlCommand",
    ] {
        assert!(
            info[key]
                .as_str()
                .is_some_and(|s| s.contains(password) && s.contains(user)),
            "{key}: {info}"
        );
    }

    let (status, patched) = api
        .patch(
            &format!("/postgres/{id}"),
            json!({"plan": "pro_4gb", "diskSizeGB": 20,
            "enableHighAvailability": true, "readReplicas": [{"name": "replica-1"}]}),
        )
        .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["plan"], "pro_4gb");
    assert_eq!(patched["diskSizeGB"], 20);
    assert_eq!(patched["highAvailabilityEnabled"], true);
    assert_eq!(patched["readReplicas"][0]["name"], "replica-1");
    assert_eq!(
        api.patch(&format!("/postgres/{id}"), json!({"diskSizeGB": 5}))
            .await
            .0,
        400
    );
    assert_eq!(
        api.patch(&format!("/postgres/{id}"), json!({"plan": "huge"}))
            .await
            .0,
        400
    );
    assert_eq!(
        api.get("/postgres?region=ohio").await.1[0]["postgres"]["id"],
        id.as_str()
    );
    assert_eq!(api.get("/postgres?region=oregon").await.1, json!([]));

    assert_eq!(
        api.post(&format!("/postgres/{id}/suspend"), json!({}))
            .await
            .0,
        202
    );
    assert_eq!(
        api.get(&format!("/postgres/{id}")).await.1["status"],
        "suspended"
    );
    assert_eq!(
        api.post(&format!("/postgres/{id}/resume"), json!({}))
            .await
            .0,
        202
    );

    assert_eq!(api.delete(&format!("/postgres/{id}")).await.0, 204);
    assert_eq!(api.get(&format!("/postgres/{id}")).await.0, 404);
    assert_eq!(api.delete(&format!("/postgres/{id}")).await.0, 404);
    assert_eq!(
        api.get(&format!("/postgres/{id}/connection-info")).await.0,
        404
    );
}

#[tokio::test]
async fn postgres_validation() {
    let api = Api::start(Config::default()).await;
    let ok = json!({"name": "db", "ownerId": OWNER, "plan": "free", "version": "17"});
    let (status, db) = api.post("/postgres", ok.clone()).await;
    assert_eq!(status, 201);
    assert_eq!(
        db["status"], "available",
        "render_db_ready_ms = 0 means immediately"
    );
    assert!(db["expiresAt"].is_string(), "free databases expire");
    assert_eq!(db["ipAllowList"][0]["cidrBlock"], "0.0.0.0/0");
    for (key, value) in [
        ("version", json!("9")),
        ("plan", json!("massive")),
        ("region", json!("moon")),
    ] {
        let mut body = ok.clone();
        body[key] = value;
        let (status, out) = api.post("/postgres", body).await;
        assert_eq!(status, 400, "{key}: {out}");
        assert_render_error(&out);
    }
    let mut missing = ok.clone();
    missing.as_object_mut().expect("object").remove("version");
    assert_eq!(api.post("/postgres", missing).await.0, 400);
    let mut bad_cidr = ok.clone();
    bad_cidr["ipAllowList"] = json!([{"cidrBlock": "nope", "description": "x"}]);
    assert_eq!(api.post("/postgres", bad_cidr).await.0, 400);
}

#[tokio::test]
async fn key_value_lifecycle() {
    let api = Api::start(Config {
        render_db_ready_ms: 3_600_000,
        ..Config::default()
    })
    .await;
    let (status, kv) = api
        .post(
            "/key-value",
            json!({"name": "cache", "ownerId": OWNER, "plan": "starter",
            "maxmemoryPolicy": "volatile_lru"}),
        )
        .await;
    assert_eq!(status, 201, "{kv}");
    let id = kv["id"].as_str().expect("id").to_string();
    assert!(id.starts_with("red-"));
    assert_eq!(kv["status"], "creating");
    assert_eq!(kv["options"]["maxmemoryPolicy"], "volatile_lru");
    assert_eq!(kv["region"], "oregon");
    assert_eq!(kv["ipAllowList"], json!([]));
    assert_eq!(
        api.get(&format!("/key-value/{id}")).await.1["status"],
        "creating"
    );

    let (status, info) = api.get(&format!("/key-value/{id}/connection-info")).await;
    assert_eq!(status, 200);
    assert!(info["internalConnectionString"]
        .as_str()
        .is_some_and(|s| s.starts_with("redis://")));
    assert!(info["externalConnectionString"]
        .as_str()
        .is_some_and(|s| s.starts_with("rediss://")));
    assert!(info["cliCommand"].is_string());

    let (status, patched) = api
        .patch(
            &format!("/key-value/{id}"),
            json!({"maxmemoryPolicy": "noeviction",
            "ipAllowList": [{"cidrBlock": "1.2.3.4/32", "description": "me"}]}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(patched["options"]["maxmemoryPolicy"], "noeviction");
    assert_eq!(patched["ipAllowList"][0]["cidrBlock"], "1.2.3.4/32");
    assert_eq!(
        api.patch(
            &format!("/key-value/{id}"),
            json!({"maxmemoryPolicy": "lru"})
        )
        .await
        .0,
        400
    );
    assert_eq!(
        api.post(
            "/key-value",
            json!({"name": "x", "ownerId": OWNER, "plan": "mega"})
        )
        .await
        .0,
        400
    );
    assert_eq!(
        api.get("/key-value").await.1[0]["keyValue"]["id"],
        id.as_str()
    );
    assert_eq!(api.delete(&format!("/key-value/{id}")).await.0, 204);
    assert_eq!(api.get(&format!("/key-value/{id}")).await.0, 404);
    assert_eq!(api.delete(&format!("/key-value/{id}")).await.0, 404);
}

#[tokio::test]
async fn state_survives_a_restart_through_the_state_file() {
    let dir = std::env::temp_dir().join(format!("render-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("world.json");
    let _ = std::fs::remove_file(&file);
    let config = || Config {
        state_file: Some(file.clone()),
        ..Config::default()
    };
    let api = Api::start(config()).await;
    let id = api.create_service(web("persisted")).await["service"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let again = Api::start(config()).await;
    let (status, svc) = again.get(&format!("/services/{id}")).await;
    assert_eq!((status, svc["name"].clone()), (200, json!("persisted")));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn static_site_headers_and_routes_round_trip() {
    let api = Api::start(Config::default()).await;
    let site = api
        .create_service(
            json!({"type": "static_site", "name": "rules-site", "ownerId": OWNER,
            "serviceDetails": {"buildCommand": "npm run build", "publishPath": "dist",
                "headers": [{"path": "/*", "name": "X-Frame-Options", "value": "DENY"}],
                "routes": [{"type": "rewrite", "source": "/*", "destination": "/index.html"}]}}),
        )
        .await;
    let id = site["service"]["id"].as_str().expect("id").to_string();
    let (status, headers) = api.get(&format!("/services/{id}/headers")).await;
    assert_eq!(status, 200);
    assert_eq!(headers[0]["header"]["name"], "X-Frame-Options");
    let (status, _) = api
        .put(
            &format!("/services/{id}/routes"),
            json!([
            {"type": "redirect", "source": "/old", "destination": "/new"},
            {"type": "rewrite", "source": "/*", "destination": "/index.html"}]),
        )
        .await;
    assert_eq!(status, 200);
    let (_, routes) = api.get(&format!("/services/{id}/routes")).await;
    assert_eq!(routes[0]["route"]["type"], "redirect");
    assert_eq!(routes[1]["route"]["priority"], 1);
    let (status, _) = api
        .put(
            &format!("/services/{id}/routes"),
            json!([{"type": "proxy", "source": "/a", "destination": "/b"}]),
        )
        .await;
    assert_eq!(status, 400, "route type is validated");
    let (_, worker) = api
        .call(reqwest::Method::POST, "/services", Some(json!({"type": "background_worker", "name": "w", "ownerId": OWNER,
            "serviceDetails": {"runtime": "node", "envSpecificDetails": {"buildCommand": "b", "startCommand": "s"}}})))
        .await;
    let wid = worker["service"]["id"].as_str().expect("worker id");
    let (status, _) = api
        .put(
            &format!("/services/{wid}/headers"),
            json!([{"path": "/", "name": "a", "value": "b"}]),
        )
        .await;
    assert_eq!(status, 400, "only static sites have headers");
}

#[tokio::test]
async fn projects_environments_and_the_resources_in_them() {
    let api = Api::start(Config::default()).await;
    let (status, body) = api
        .post(
            "/projects",
            json!({"name": "shop", "ownerId": OWNER, "environments": []}),
        )
        .await;
    assert_eq!(status, 400, "a project needs an environment: {body}");
    assert_render_error(&body);
    let (status, p) = api
        .post(
            "/projects",
            json!({"name": "shop", "ownerId": OWNER, "environments": [
                {"name": "staging"},
                {"name": "production", "protectedStatus": "protected", "networkIsolationEnabled": true}]}),
        )
        .await;
    assert_eq!(status, 201, "{p}");
    let pid = p["id"].as_str().expect("id").to_string();
    assert!(pid.starts_with("prj-"));
    assert_eq!(p["environmentIds"].as_array().map(Vec::len), Some(2));
    let (status, body) = api.get("/environments").await;
    assert_eq!(status, 400, "projectId is required: {body}");
    let (_, envs) = api.get(&format!("/environments?projectId={pid}")).await;
    let env = |name: &str| {
        envs.as_array()
            .into_iter()
            .flatten()
            .map(|e| &e["environment"])
            .find(|e| e["name"] == name)
            .cloned()
            .expect("environment")
    };
    let (staging, production) = (env("staging"), env("production"));
    assert_eq!(staging["protectedStatus"], "unprotected");
    assert_eq!(production["networkIsolationEnabled"], true);
    let (sid, prod_id) = (
        staging["id"].as_str().expect("id").to_string(),
        production["id"].as_str().expect("id").to_string(),
    );

    // Rename in place; a duplicate name in the project is a conflict.
    let (status, e) = api
        .patch(&format!("/environments/{sid}"), json!({"name": "preview"}))
        .await;
    assert_eq!((status, e["name"].clone()), (200, json!("preview")));
    let (status, _) = api
        .patch(
            &format!("/environments/{sid}"),
            json!({"name": "production"}),
        )
        .await;
    assert_eq!(status, 409);

    // A database moves between environments; the one holding it cannot be deleted.
    let (_, db) = api
        .post(
            "/postgres",
            json!({"name": "db", "ownerId": OWNER, "plan": "basic_1gb", "version": "16", "environmentId": sid}),
        )
        .await;
    let db_id = db["id"].as_str().expect("id").to_string();
    let (_, e) = api.get(&format!("/environments/{sid}")).await;
    assert_eq!(e["databasesIds"], json!([db_id]));
    let (status, e) = api
        .post(
            &format!("/environments/{prod_id}/resources"),
            json!({"resourceIds": [db_id]}),
        )
        .await;
    assert_eq!(status, 200, "{e}");
    assert_eq!(e["databasesIds"], json!([db_id]));
    let (_, db) = api.get(&format!("/postgres/{db_id}")).await;
    assert_eq!(db["environmentId"], json!(prod_id));
    let (status, body) = api.delete(&format!("/environments/{prod_id}")).await;
    assert_eq!(status, 409, "{body}");
    assert_render_error(&body);
    let (status, _) = api.delete(&format!("/projects/{pid}")).await;
    assert_eq!(status, 409, "a project with resources is not deleted");
    let (status, _) = api
        .delete(&format!(
            "/environments/{prod_id}/resources?resourceIds={db_id}"
        ))
        .await;
    assert_eq!(status, 204);
    let (_, db) = api.get(&format!("/postgres/{db_id}")).await;
    assert!(db["environmentId"].is_null(), "{db}");
    let (status, _) = api
        .post(
            &format!("/environments/{prod_id}/resources"),
            json!({"resourceIds": ["srv-missing"]}),
        )
        .await;
    assert_eq!(status, 404);

    let (status, _) = api.delete(&format!("/environments/{sid}")).await;
    assert_eq!(status, 204);
    let (_, p) = api.get(&format!("/projects/{pid}")).await;
    assert_eq!(p["environmentIds"], json!([prod_id]));
    let (status, _) = api.delete(&format!("/projects/{pid}")).await;
    assert_eq!(status, 204);
    let (status, _) = api.get(&format!("/environments/{prod_id}")).await;
    assert_eq!(status, 404, "the project's environments go with it");
}

#[tokio::test]
async fn env_groups_variables_files_and_service_links() {
    let api = Api::start(Config::default()).await;
    let svc = api.create_service(web("grouped")).await;
    let svc_id = svc["service"]["id"].as_str().expect("id").to_string();
    let (status, g) = api
        .post(
            "/env-groups",
            json!({"name": "shared", "ownerId": OWNER,
                "envVars": [{"key": "A", "value": "1"}, {"key": "SECRET", "generateValue": true}],
                "secretFiles": [{"name": ".npmrc", "content": "x"}]}),
        )
        .await;
    assert_eq!(status, 201, "{g}");
    let gid = g["id"].as_str().expect("id").to_string();
    assert!(gid.starts_with("evg-"));
    let secret = g["envVars"][1]["value"]
        .as_str()
        .expect("generated")
        .to_string();
    assert_eq!(secret.len(), 32);
    let (status, g) = api
        .put(
            &format!("/env-groups/{gid}/env-vars/B"),
            json!({"value": "2"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(g["envVars"].as_array().map(Vec::len), Some(3));
    let (status, _) = api.delete(&format!("/env-groups/{gid}/env-vars/A")).await;
    assert_eq!(status, 204);
    let (status, _) = api.get(&format!("/env-groups/{gid}/env-vars/A")).await;
    assert_eq!(status, 404);
    let (_, f) = api
        .get(&format!("/env-groups/{gid}/secret-files/.npmrc"))
        .await;
    assert_eq!(f["content"], "x");
    let (status, g) = api
        .post(&format!("/env-groups/{gid}/services/{svc_id}"), json!({}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(g["serviceLinks"][0]["id"], json!(svc_id));
    assert_eq!(g["serviceLinks"][0]["type"], "web");
    let (_, list) = api.get("/env-groups?name=shared").await;
    assert_eq!(
        list[0]["id"],
        json!(gid),
        "the list holds bare envGroupMeta: {list}"
    );
    assert!(list[0].get("envVars").is_none());
    let (status, _) = api
        .delete(&format!("/env-groups/{gid}/services/{svc_id}"))
        .await;
    assert_eq!(status, 204);
    let (status, _) = api
        .delete(&format!("/env-groups/{gid}/services/{svc_id}"))
        .await;
    assert_eq!(status, 404);
    let (status, g) = api
        .patch(&format!("/env-groups/{gid}"), json!({"name": "renamed"}))
        .await;
    assert_eq!((status, g["name"].clone()), (200, json!("renamed")));
    let (status, _) = api.delete(&format!("/env-groups/{gid}")).await;
    assert_eq!(status, 204);
    let (status, _) = api.get(&format!("/env-groups/{gid}")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn notification_settings_and_service_overrides() {
    let api = Api::start(Config::default()).await;
    let owner = format!("/notification-settings/owners/{OWNER}");
    let (status, fresh) = api.get(&owner).await;
    assert_eq!(status, 200);
    assert_eq!(
        fresh,
        json!({"ownerId": OWNER, "slackEnabled": false, "emailEnabled": true,
               "previewNotificationsEnabled": false, "notificationsToSend": "failure"})
    );
    let (status, out) = api
        .patch(&owner, json!({"notificationsToSend": "all"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(out["notificationsToSend"], "all");
    assert_eq!(out["emailEnabled"], true, "an unsent field keeps its value");
    let (status, body) = api
        .patch(&owner, json!({"notificationsToSend": "some"}))
        .await;
    assert_eq!(status, 400);
    assert_render_error(&body);

    let sid = api.create_service(web("notified")).await["service"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let path = format!("/notification-settings/overrides/services/{sid}");
    assert_eq!(api.get(&path).await.1["notificationsToSend"], "default");
    let (status, out) = api
        .patch(&path, json!({"previewNotificationsEnabled": "true"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(out["previewNotificationsEnabled"], "true");
    let (_, listed) = api.get("/notification-settings/overrides").await;
    assert_eq!(listed[0]["override"]["serviceId"], sid.as_str());
    assert_eq!(listed[0]["cursor"], sid.as_str());
    // Deleting the service takes its override with it.
    assert_eq!(api.delete(&format!("/services/{sid}")).await.0, 204);
    assert_eq!(
        api.get("/notification-settings/overrides").await.1,
        json!([])
    );
    assert_eq!(api.get(&path).await.0, 404);
}

#[tokio::test]
async fn log_streams_owner_and_resource_overrides() {
    let api = Api::start(Config::default()).await;
    let owner = format!("/logs/streams/owner/{OWNER}");
    assert_eq!(api.get(&owner).await.0, 404, "no stream until one is set");
    let (status, body) = api.put(&owner, json!({"preview": "send"})).await;
    assert_eq!(status, 400, "a first stream needs an endpoint: {body}");
    let (status, out) = api
        .put(
            &owner,
            json!({"endpoint": "logs.example.com:6514", "token": "tok", "preview": "drop"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        out,
        json!({"ownerId": OWNER, "endpoint": "logs.example.com:6514", "preview": "drop"}),
        "the token is never answered"
    );
    assert_eq!(api.get(&owner).await.1["preview"], "drop");
    assert_eq!(api.delete(&owner).await.0, 204);
    assert_eq!(api.delete(&owner).await.0, 404);

    let sid = api.create_service(web("streamed")).await["service"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let path = format!("/logs/streams/resource/{sid}");
    assert_eq!(api.get(&path).await.0, 404);
    let (status, _) = api.put(&path, json!({"setting": "send"})).await;
    assert_eq!(status, 400, "send needs an endpoint");
    let (status, _) = api
        .put(&path, json!({"setting": "drop", "endpoint": "x:1"}))
        .await;
    assert_eq!(status, 400, "drop refuses one");
    let (status, out) = api.put(&path, json!({"setting": "drop"})).await;
    assert_eq!(status, 200);
    assert_eq!(out, json!({"resourceId": sid, "setting": "drop"}));
    let (_, listed) = api.get("/logs/streams/resource?setting=drop").await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(
        api.get("/logs/streams/resource?setting=send").await.1,
        json!([])
    );
    assert_eq!(
        api.put(
            "/logs/streams/resource/srv-nope",
            json!({"setting": "drop"})
        )
        .await
        .0,
        404
    );
    assert_eq!(api.delete(&path).await.0, 204);
    assert_eq!(api.get(&path).await.0, 404);
}

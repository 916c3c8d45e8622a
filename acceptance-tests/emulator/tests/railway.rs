//! Railway GraphQL emulation, in process: schema validation and error shapes, then a whole
//! project lifecycle (environments, services, variables, instance settings, domains, cascading
//! deletes) driven over HTTP exactly as a client would.

use paasform_emulator::{Config, Emulator};
use serde_json::{json, Value};

struct Api {
    url: String,
    root: String,
    http: reqwest::Client,
}

/// The world's router (which serves the Railway endpoint with and without a trailing slash).
async fn start() -> Api {
    let emu = Emulator::new(Config::default());
    let app = emu.router();
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("emulator binds");
    let addr = listener.local_addr().expect("bound address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Api {
        url: format!("http://{addr}/railway/graphql/v2"),
        root: format!("http://{addr}"),
        http: reqwest::Client::new(),
    }
}

impl Api {
    async fn post(&self, url: &str, token: Option<&str>, query: &str, vars: Value) -> (u16, Value) {
        let mut req = self
            .http
            .post(url)
            .json(&json!({"query": query, "variables": vars}));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        (status, resp.json().await.expect("json body"))
    }

    /// A request expected to succeed: 200, no errors; returns `data`.
    async fn ok(&self, query: &str, vars: Value) -> Value {
        let (status, body) = self.post(&self.url, Some("tok"), query, vars).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// A request answered with status `status` and at least one error; returns the whole body.
    async fn fails(&self, status: u16, query: &str, vars: Value) -> Value {
        let (got, body) = self.post(&self.url, Some("tok"), query, vars).await;
        assert_eq!(got, status, "{body}");
        assert!(
            body["errors"].as_array().is_some_and(|e| !e.is_empty()),
            "{body}"
        );
        body
    }
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

fn message(body: &Value) -> &str {
    body["errors"][0]["message"].as_str().unwrap_or_default()
}

const CREATE_PROJECT: &str = "mutation($input: ProjectCreateInput!) {
  projectCreate(input: $input) { id name baseEnvironmentId
    environments { edges { node { id name } } } } }";

const CREATE_SERVICE: &str = "mutation($input: ServiceCreateInput!) {
  serviceCreate(input: $input) { id name projectId } }";

const VARIABLES: &str = "query($p: String!, $e: String!, $s: String, $u: Boolean) {
  variables(projectId: $p, environmentId: $e, serviceId: $s, unrendered: $u) }";

#[tokio::test]
async fn validation_rejects_a_misspelled_field_with_location_and_code() {
    let api = start().await;
    let body = api
        .fails(400, "query {\n  project(id: \"x\") { nmae }\n}", json!({}))
        .await;
    assert_eq!(
        message(&body),
        "Cannot query field \"nmae\" on type \"Project\"."
    );
    assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED");
    assert_eq!(
        body["errors"][0]["locations"],
        json!([{"line": 2, "column": 22}])
    );
    assert!(
        body.get("data").is_none(),
        "validation errors carry no data: {body}"
    );
}

#[tokio::test]
async fn validation_rejects_missing_required_arguments_and_bad_variables() {
    let api = start().await;
    let body = api.fails(400, "{ service { id } }", json!({})).await;
    assert_eq!(
        message(&body),
        "Field \"service\" argument \"id\" of type \"String!\" is required, but it was not provided."
    );
    let body = api
        .fails(
            400,
            "query($id: String!) { project(id: $id) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT");
    assert!(message(&body).contains("\"$id\" of required type \"String!\" was not provided"));
    let body = api
        .fails(
            400,
            "mutation($i: ServiceInstanceUpdateInput!) { serviceInstanceUpdate(serviceId: \"s\", input: $i) }",
            json!({"i": {"builder": "MAVEN"}}),
        )
        .await;
    assert_eq!(code(&body), "BAD_USER_INPUT");
    assert!(
        message(&body).contains("\"MAVEN\" does not exist in \"Builder\" enum"),
        "{body}"
    );
    let body = api
        .fails(400, "{ project(id: \"x\") { id }", json!({}))
        .await;
    assert_eq!(code(&body), "GRAPHQL_PARSE_FAILED");
}

#[tokio::test]
async fn unauthenticated_requests_get_not_authorized_and_trailing_slash_works() {
    let api = start().await;
    let (status, body) = api.post(&api.url, None, "{ me { id } }", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"], Value::Null);
    assert_eq!(message(&body), "Not Authorized");
    assert_eq!(code(&body), "UNAUTHENTICATED");
    let slash = format!("{}/", api.url);
    let (status, body) = api
        .post(&slash, Some("tok"), "{ me { id } }", json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["me"]["id"], json!("emulated-user"));
}

#[tokio::test]
async fn not_found_nulls_data_with_a_located_error() {
    let api = start().await;
    let body = api
        .fails(200, "{ project(id: \"nope\") { id name } }", json!({}))
        .await;
    assert_eq!(body["data"], Value::Null);
    assert_eq!(message(&body), "Project not found");
    assert_eq!(code(&body), "NOT_FOUND");
    assert_eq!(body["errors"][0]["path"], json!(["project"]));
}

#[tokio::test]
async fn project_lifecycle_with_environments_services_variables_domains_and_cascade() {
    let api = start().await;

    // Project with its default environment.
    let p = api
        .ok(
            CREATE_PROJECT,
            json!({"input": {"name": "shop", "description": "d"}}),
        )
        .await["projectCreate"]
        .clone();
    let pid = p["id"].as_str().expect("id").to_string();
    let envs = p["environments"]["edges"]
        .as_array()
        .expect("edges")
        .clone();
    assert_eq!(envs.len(), 1);
    assert_eq!(envs[0]["node"]["name"], json!("production"));
    let prod = envs[0]["node"]["id"].as_str().expect("env id").to_string();
    assert_eq!(p["baseEnvironmentId"], json!(prod));

    let staging = api
        .ok(
            "mutation($i: EnvironmentCreateInput!) { environmentCreate(input: $i) { id name projectId } }",
            json!({"i": {"name": "staging", "projectId": pid}}),
        )
        .await["environmentCreate"]["id"]
        .as_str()
        .expect("id")
        .to_string();

    // Two services: a repo and an image, each with an instance in both environments.
    let api_svc = api
        .ok(
            CREATE_SERVICE,
            json!({"input": {"projectId": pid, "name": "api",
            "source": {"repo": "acme/api"}, "branch": "main", "variables": {"PORT": "8080"}}}),
        )
        .await["serviceCreate"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let worker = api
        .ok(
            CREATE_SERVICE,
            json!({"input": {"projectId": pid, "name": "worker",
            "source": {"image": "ghcr.io/acme/worker:1"}}}),
        )
        .await["serviceCreate"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let both = api
        .fails(
            200,
            CREATE_SERVICE,
            json!({"input": {"projectId": pid,
            "source": {"image": "a", "repo": "b/c"}}}),
        )
        .await;
    assert_eq!(code(&both), "BAD_USER_INPUT");

    let listing = api
        .ok(
            "query($id: String!) { project(id: $id) { services { edges { node { name } } }
               environments { edges { node { name serviceInstances { edges { node { serviceName source { repo image } } } } } } } } }",
            json!({"id": pid}),
        )
        .await;
    let names: Vec<&str> = listing["project"]["services"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter_map(|e| e["node"]["name"].as_str())
        .collect();
    assert_eq!(names, ["api", "worker"]);
    for env in listing["project"]["environments"]["edges"]
        .as_array()
        .expect("envs")
    {
        let inst = &env["node"]["serviceInstances"]["edges"];
        assert_eq!(inst[0]["node"]["source"]["repo"], json!("acme/api"));
        assert_eq!(
            inst[1]["node"]["source"]["image"],
            json!("ghcr.io/acme/worker:1")
        );
    }

    // Variables: creation values, merge, then replace; references render unless unrendered.
    let vars = api
        .ok(VARIABLES, json!({"p": pid, "e": prod, "s": api_svc}))
        .await["variables"]
        .clone();
    assert_eq!(vars, json!({"PORT": "8080"}));
    let upsert =
        "mutation($i: VariableCollectionUpsertInput!) { variableCollectionUpsert(input: $i) }";
    api.ok(
        upsert,
        json!({"i": {"projectId": pid, "environmentId": prod,
        "variables": {"DB_HOST": "db.internal"}}}),
    )
    .await;
    api.ok(
        upsert,
        json!({"i": {"projectId": pid, "environmentId": prod, "serviceId": api_svc,
        "variables": {"A": "1", "B": "2"}}}),
    )
    .await;
    let vars = api
        .ok(VARIABLES, json!({"p": pid, "e": prod, "s": api_svc}))
        .await["variables"]
        .clone();
    assert_eq!(vars, json!({"A": "1", "B": "2", "PORT": "8080"}));
    api.ok(upsert, json!({"i": {"projectId": pid, "environmentId": prod, "serviceId": api_svc,
        "replace": true, "variables": {"A": "9", "URL": "http://${{shared.DB_HOST}}:${{worker.W}}"}}}))
        .await;
    api.ok(
        "mutation($i: VariableUpsertInput!) { variableUpsert(input: $i) }",
        json!({"i": {"projectId": pid, "environmentId": prod, "serviceId": worker, "name": "W", "value": "7"}}),
    )
    .await;
    let vars = api
        .ok(VARIABLES, json!({"p": pid, "e": prod, "s": api_svc}))
        .await["variables"]
        .clone();
    assert_eq!(vars, json!({"A": "9", "URL": "http://db.internal:7"}));
    let raw = api
        .ok(
            VARIABLES,
            json!({"p": pid, "e": prod, "s": api_svc, "u": true}),
        )
        .await["variables"]
        .clone();
    assert_eq!(
        raw["URL"],
        json!("http://${{shared.DB_HOST}}:${{worker.W}}")
    );
    let staging_vars = api
        .ok(VARIABLES, json!({"p": pid, "e": staging, "s": api_svc}))
        .await["variables"]
        .clone();
    assert_eq!(staging_vars, json!({"PORT": "8080"}), "staging untouched");
    api.ok(
        "mutation($i: VariableDeleteInput!) { variableDelete(input: $i) }",
        json!({"i": {"projectId": pid, "environmentId": prod, "serviceId": api_svc, "name": "A"}}),
    )
    .await;
    let vars = api
        .ok(
            VARIABLES,
            json!({"p": pid, "e": prod, "s": api_svc, "u": true}),
        )
        .await["variables"]
        .clone();
    assert!(vars.get("A").is_none(), "{vars}");

    // Instance settings round-trip (production only), with defaults elsewhere.
    let update = "mutation($s: String!, $e: String, $i: ServiceInstanceUpdateInput!) {
      serviceInstanceUpdate(serviceId: $s, environmentId: $e, input: $i) }";
    let settings = json!({
        "buildCommand": "make", "startCommand": "./run", "preDeployCommand": ["migrate", "seed"],
        "builder": "NIXPACKS", "dockerfilePath": "Dockerfile.prod", "railwayConfigFile": "railway.toml",
        "healthcheckPath": "/health", "healthcheckTimeout": 30, "cronSchedule": "*/15 * * * *",
        "numReplicas": 2, "region": "europe-west4-drams3a", "restartPolicyType": "ALWAYS",
        "restartPolicyMaxRetries": 3, "sleepApplication": true, "drainingSeconds": 10,
        "overlapSeconds": 5, "rootDirectory": "/svc", "watchPatterns": ["src/**"]
    });
    assert_eq!(
        api.ok(update, json!({"s": api_svc, "e": prod, "i": settings}))
            .await["serviceInstanceUpdate"],
        json!(true)
    );
    let read = "query($s: String!, $e: String!) { serviceInstance(serviceId: $s, environmentId: $e) {
      buildCommand startCommand preDeployCommand builder dockerfilePath railwayConfigFile healthcheckPath
      healthcheckTimeout cronSchedule numReplicas region restartPolicyType restartPolicyMaxRetries
      sleepApplication drainingSeconds overlapSeconds rootDirectory watchPatterns } }";
    let got = api.ok(read, json!({"s": api_svc, "e": prod})).await["serviceInstance"].clone();
    assert_eq!(got, settings);
    let other = api.ok(read, json!({"s": api_svc, "e": staging})).await["serviceInstance"].clone();
    assert_eq!(other["builder"], json!("RAILPACK"));
    assert_eq!(other["startCommand"], Value::Null);
    api.ok(
        update,
        json!({"s": api_svc, "e": prod, "i": {"startCommand": null}}),
    )
    .await;
    let got = api.ok(read, json!({"s": api_svc, "e": prod})).await["serviceInstance"].clone();
    assert_eq!(got["startCommand"], Value::Null, "explicit null resets");
    assert_eq!(got["buildCommand"], json!("make"), "absent keeps");
    for (bad, needle) in [
        (json!({"cronSchedule": "* * *"}), "Invalid cron schedule"),
        (json!({"region": "moon-1"}), "Invalid region \"moon-1\""),
        (json!({"numReplicas": -1}), "must not be negative"),
    ] {
        let body = api
            .fails(200, update, json!({"s": api_svc, "e": prod, "i": bad}))
            .await;
        assert_eq!(code(&body), "BAD_USER_INPUT");
        assert!(message(&body).contains(needle), "{body}");
        assert_eq!(body["data"], Value::Null);
    }

    // Deploy, then domains.
    api.ok(
        "mutation($s: String!, $e: String!) { serviceInstanceDeploy(serviceId: $s, environmentId: $e) }",
        json!({"s": worker, "e": staging}),
    )
    .await;
    let sd = api
        .ok(
            "mutation($i: ServiceDomainCreateInput!) { serviceDomainCreate(input: $i) { id domain targetPort serviceId } }",
            json!({"i": {"serviceId": api_svc, "environmentId": prod, "targetPort": 8080}}),
        )
        .await["serviceDomainCreate"]
        .clone();
    let domain = sd["domain"].as_str().expect("domain");
    assert!(
        domain.starts_with("api-production-") && domain.ends_with(".up.railway.app"),
        "{domain}"
    );
    assert_eq!(sd["targetPort"], json!(8080));
    let cd = api
        .ok(
            "mutation($i: CustomDomainCreateInput!) { customDomainCreate(input: $i) { id domain
               status { verified dnsRecords { recordType hostlabel zone requiredValue status } } } }",
            json!({"i": {"projectId": pid, "environmentId": prod, "serviceId": api_svc, "domain": "shop.example.com"}}),
        )
        .await["customDomainCreate"]
        .clone();
    let rec = &cd["status"]["dnsRecords"][0];
    assert_eq!(rec["recordType"], json!("DNS_RECORD_TYPE_CNAME"));
    assert_eq!(
        (rec["hostlabel"].as_str(), rec["zone"].as_str()),
        (Some("shop"), Some("example.com"))
    );
    assert!(rec["requiredValue"]
        .as_str()
        .is_some_and(|v| v.ends_with(".up.railway.app")));
    let dup = api
        .fails(200, "mutation($i: CustomDomainCreateInput!) { customDomainCreate(input: $i) { id } }",
            json!({"i": {"projectId": pid, "environmentId": prod, "serviceId": worker, "domain": "shop.example.com"}}))
        .await;
    assert!(message(&dup).contains("already in use"), "{dup}");
    let doms = api
        .ok(
            "query($p: String!, $e: String!, $s: String!) { all: domains(projectId: $p, environmentId: $e, serviceId: $s) {
               railway: serviceDomains { domain } custom: customDomains { domain __typename } } }",
            json!({"p": pid, "e": prod, "s": api_svc}),
        )
        .await;
    assert_eq!(doms["all"]["railway"], json!([{"domain": domain}]));
    assert_eq!(
        doms["all"]["custom"],
        json!([{"domain": "shop.example.com", "__typename": "CustomDomain"}])
    );

    // Deleting a service removes its instances, variables and domains.
    api.ok(
        "mutation($id: String!) { serviceDelete(id: $id) }",
        json!({"id": api_svc}),
    )
    .await;
    let body = api
        .fails(200, VARIABLES, json!({"p": pid, "e": prod, "s": api_svc}))
        .await;
    assert_eq!(message(&body), "Service not found");
    let body = api
        .fails(
            200,
            "query($id: String!, $p: String!) { customDomain(id: $id, projectId: $p) { id } }",
            json!({"id": cd["id"], "p": pid}),
        )
        .await;
    assert_eq!(code(&body), "NOT_FOUND");

    // Deleting the project removes everything left.
    api.ok(
        "mutation($id: String!) { projectDelete(id: $id) }",
        json!({"id": pid}),
    )
    .await;
    let body = api
        .fails(
            200,
            "query($id: String!) { environment(id: $id) { id } }",
            json!({"id": staging}),
        )
        .await;
    assert_eq!(message(&body), "Environment not found");
    let body = api
        .fails(
            200,
            "query($id: String!) { service(id: $id) { id } }",
            json!({"id": worker}),
        )
        .await;
    assert_eq!(message(&body), "Service not found");
    let state: Value = api
        .http
        .get(format!("{}/_emulator/state", api.root))
        .send()
        .await
        .expect("state")
        .json()
        .await
        .expect("json");
    for key in [
        "projects",
        "environments",
        "services",
        "instances",
        "variables",
        "service_domains",
        "custom_domains",
        "deployments",
    ] {
        assert_eq!(
            state["railway"][key],
            json!({}),
            "{key} left behind: {}",
            state["railway"]
        );
    }
}

#[tokio::test]
async fn forked_environment_copies_instances_and_variables() {
    let api = start().await;
    let p = api
        .ok(CREATE_PROJECT, json!({"input": {"name": "fork"}}))
        .await["projectCreate"]
        .clone();
    let pid = p["id"].as_str().expect("id").to_string();
    let prod = p["baseEnvironmentId"].as_str().expect("env").to_string();
    let svc = api
        .ok(
            CREATE_SERVICE,
            json!({"input": {"projectId": pid, "name": "web", "variables": {"K": "v"}}}),
        )
        .await["serviceCreate"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    api.ok(
        "mutation($s: String!, $e: String!) { serviceInstanceUpdate(serviceId: $s, environmentId: $e, input: {startCommand: \"serve\"}) }",
        json!({"s": svc, "e": prod}),
    )
    .await;
    let pr = api
        .ok(
            "mutation($i: EnvironmentCreateInput!) { environmentCreate(input: $i) { id sourceEnvironment { name } } }",
            json!({"i": {"name": "pr-1", "projectId": pid, "sourceEnvironmentId": prod}}),
        )
        .await["environmentCreate"]
        .clone();
    assert_eq!(pr["sourceEnvironment"]["name"], json!("production"));
    let pr_id = pr["id"].as_str().expect("id");
    let inst = api
        .ok(
            "query($s: String!, $e: String!) { serviceInstance(serviceId: $s, environmentId: $e) { startCommand environmentId } }",
            json!({"s": svc, "e": pr_id}),
        )
        .await;
    assert_eq!(inst["serviceInstance"]["startCommand"], json!("serve"));
    let vars = api
        .ok(VARIABLES, json!({"p": pid, "e": pr_id, "s": svc}))
        .await;
    assert_eq!(vars["variables"], json!({"K": "v"}));
    let dup = api
        .fails(
            200,
            "mutation($i: EnvironmentCreateInput!) { environmentCreate(input: $i) { id } }",
            json!({"i": {"name": "pr-1", "projectId": pid}}),
        )
        .await;
    assert!(message(&dup).contains("already exists"), "{dup}");
}

#[tokio::test]
async fn aliases_fragments_typename_and_pagination() {
    let api = start().await;
    for name in ["a", "b", "c"] {
        api.ok(CREATE_PROJECT, json!({"input": {"name": name}}))
            .await;
    }
    let q = "query Page($after: String) {
      page: projects(first: 2, after: $after) {
        edges { cursor node { ...P kind: __typename } }
        pageInfo { hasNextPage endCursor } } }
      fragment P on Project { title: name }";
    let first = api.ok(q, json!({})).await;
    let names: Vec<&str> = first["page"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter_map(|e| e["node"]["title"].as_str())
        .collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(first["page"]["edges"][0]["node"]["kind"], json!("Project"));
    assert_eq!(first["page"]["pageInfo"]["hasNextPage"], json!(true));
    let next = api
        .ok(q, json!({"after": first["page"]["pageInfo"]["endCursor"]}))
        .await;
    assert_eq!(next["page"]["edges"][0]["node"]["title"], json!("c"));
    assert_eq!(next["page"]["pageInfo"]["hasNextPage"], json!(false));
    assert!(
        next["page"]["edges"][0]["node"].get("id").is_none(),
        "only selected fields"
    );
    let two = api
        .ok(
            "query($id: String!) { one: project(id: $id) { name } two: project(id: $id) { id @skip(if: true) name } }",
            json!({"id": first["page"]["edges"][0]["cursor"]}),
        )
        .await;
    assert_eq!(two, json!({"one": {"name": "a"}, "two": {"name": "a"}}));
}

//! Static-site headers and redirect/rewrite routes of a Render service: parsing the create-body
//! arrays and the `/headers` and `/routes` routes (list, add one, replace all, delete one), with
//! the spec's `header` / `route` shapes. Routes keep their priority in list order.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::api::{as_object, body_array, body_object, empty, page, reply, req_str};
use super::api::{ApiError, ApiResult, Authed, ListQuery};
use super::{read, write};
use crate::world::{new_id, Emulator};

const ROUTE_TYPES: &[&str] = &["redirect", "rewrite"];

#[derive(Clone, Serialize, Deserialize)]
pub struct Header {
    pub id: String,
    pub path: String,
    pub name: String,
    pub value: String,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct Route {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub source: String,
    pub destination: String,
}

fn header(item: &Value) -> Result<Header, ApiError> {
    let obj = as_object(item, "header")?;
    Ok(Header {
        id: new_id("hdr-"),
        path: req_str(obj, "path")?,
        name: req_str(obj, "name")?,
        value: req_str(obj, "value")?,
    })
}

fn route(item: &Value) -> Result<Route, ApiError> {
    let obj = as_object(item, "route")?;
    let kind = req_str(obj, "type")?;
    if !ROUTE_TYPES.contains(&kind.as_str()) {
        return Err(ApiError::bad_request(format!(
            "invalid route type {kind:?}: must be redirect or rewrite"
        )));
    }
    Ok(Route {
        id: new_id("rdr-"),
        kind,
        source: req_str(obj, "source")?,
        destination: req_str(obj, "destination")?,
    })
}

/// A `headerInput` array (create body or PUT).
pub fn parse_headers(items: Option<&Vec<Value>>) -> Result<Vec<Header>, ApiError> {
    items.into_iter().flatten().map(header).collect()
}

/// A `routePost`/`routePut` array (create body or PUT).
pub fn parse_routes(items: Option<&Vec<Value>>) -> Result<Vec<Route>, ApiError> {
    items.into_iter().flatten().map(route).collect()
}

fn header_json(h: &Header) -> Value {
    json!({"id": h.id, "path": h.path, "name": h.name, "value": h.value})
}

fn route_json(r: &Route, priority: usize) -> Value {
    json!({"id": r.id, "type": r.kind, "source": r.source, "destination": r.destination, "priority": priority})
}

fn static_only(kind: &str) -> Result<(), ApiError> {
    if kind == "static_site" {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "headers and routes apply to static sites only",
        ))
    }
}

/// GET /services/{serviceId}/headers
pub async fn list_headers(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult {
    read(&emu, |r, _| {
        let items = r
            .service(&id)?
            .headers
            .iter()
            .map(|h| (h.id.clone(), header_json(h)))
            .collect();
        page(items, "header", &ListQuery(q))
    })
}

/// POST /services/{serviceId}/headers — add one.
pub async fn add_header(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let h = header(&Value::Object(body_object(&body)?))?;
    write(&emu, |r, _| {
        let s = r.service_mut(&id)?;
        static_only(&s.kind)?;
        s.headers.push(h.clone());
        Ok(reply(StatusCode::CREATED, header_json(&h)))
    })
}

/// PUT /services/{serviceId}/headers — replace all.
pub async fn replace_headers(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let headers = parse_headers(Some(&body_array(&body)?))?;
    write(&emu, |r, _| {
        let s = r.service_mut(&id)?;
        static_only(&s.kind)?;
        s.headers = headers;
        Ok(reply(
            StatusCode::OK,
            Value::Array(s.headers.iter().map(header_json).collect()),
        ))
    })
}

/// DELETE /services/{serviceId}/headers/{headerId}
pub async fn delete_header(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, hid)): Path<(String, String)>,
) -> ApiResult {
    write(&emu, |r, _| {
        let s = r.service_mut(&id)?;
        let before = s.headers.len();
        s.headers.retain(|h| h.id != hid);
        if s.headers.len() == before {
            return Err(ApiError::not_found("header"));
        }
        Ok(empty(StatusCode::NO_CONTENT))
    })
}

/// GET /services/{serviceId}/routes — in priority order.
pub async fn list_routes(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> ApiResult {
    read(&emu, |r, _| {
        let items = r
            .service(&id)?
            .routes
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.clone(), route_json(x, i)))
            .collect();
        page(items, "route", &ListQuery(q))
    })
}

/// POST /services/{serviceId}/routes — add one, last in priority unless `priority` says otherwise.
pub async fn add_route(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let obj = body_object(&body)?;
    let x = route(&Value::Object(obj.clone()))?;
    let priority = obj
        .get("priority")
        .and_then(Value::as_u64)
        .map(|p| p as usize);
    write(&emu, |r, _| {
        let s = r.service_mut(&id)?;
        static_only(&s.kind)?;
        let at = priority.unwrap_or(s.routes.len()).min(s.routes.len());
        s.routes.insert(at, x.clone());
        Ok(reply(StatusCode::CREATED, route_json(&x, at)))
    })
}

/// PUT /services/{serviceId}/routes — replace all; list order is priority order.
pub async fn replace_routes(
    _: Authed,
    State(emu): State<Emulator>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let routes = parse_routes(Some(&body_array(&body)?))?;
    write(&emu, |r, _| {
        let s = r.service_mut(&id)?;
        static_only(&s.kind)?;
        s.routes = routes;
        Ok(reply(
            StatusCode::OK,
            Value::Array(
                s.routes
                    .iter()
                    .enumerate()
                    .map(|(i, x)| route_json(x, i))
                    .collect(),
            ),
        ))
    })
}

/// DELETE /services/{serviceId}/routes/{routeId}
pub async fn delete_route(
    _: Authed,
    State(emu): State<Emulator>,
    Path((id, rid)): Path<(String, String)>,
) -> ApiResult {
    write(&emu, |r, _| {
        let s = r.service_mut(&id)?;
        let before = s.routes.len();
        s.routes.retain(|x| x.id != rid);
        if s.routes.len() == before {
            return Err(ApiError::not_found("route"));
        }
        Ok(empty(StatusCode::NO_CONTENT))
    })
}

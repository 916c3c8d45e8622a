//! `railway_tcp_proxy`: a public TCP endpoint (`<domain>:<proxy_port>`) forwarding to one port of
//! a service in one environment — for databases and other non-HTTP services. tcpProxyCreate /
//! tcpProxyDelete; nothing is updatable, so every argument replaces. Read from the service
//! instance's `tcpProxies`. Model, pure mapping and CRUD in one file; must not import protocol.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::models::{TcpProxy, TcpProxyCreateInput};
use super::client::RailwayClient;
use super::environment::id_validator;
use super::railway_ids;
use crate::clouds::support::api_diag;
use crate::framework::rules::int_between;
use crate::framework::{
    create_or_adopt, Applied, ApplyCx, Attribute, Create, Diagnostic, Diagnostics, Identity,
    ImportId, Path, Schema, TypedResource, Update, Val,
};

pub struct TcpProxyResource;

/// `railway_tcp_proxy` state. `Val`s for what an import's partial state lacks until Read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TcpProxyModel {
    pub id: Val<String>,
    pub environment_id: Val<String>,
    pub service_id: Val<String>,
    pub application_port: Val<i64>,
    pub domain: Val<String>,
    pub proxy_port: Val<i64>,
}

pub(crate) fn schema() -> Schema {
    Schema::new(
        "A TCP proxy of a Railway service in one environment: Railway's public `domain:proxy_port` forwards to the service's \
`application_port` (for databases and other non-HTTP services). Railway applies a new proxy with the service's next deploy. \
Changing any argument replaces it.",
        vec![
            Attribute::string("id").computed().keep_state().description("The TCP proxy id."),
            Attribute::string("environment_id").required().replace().validate(id_validator()).description("The environment of the service instance."),
            Attribute::string("service_id").required().replace().validate(id_validator()).description("The service the proxy forwards to."),
            Attribute::int("application_port").required().replace().validate(int_between(1, 65535)).description("The port the service listens on inside Railway."),
            Attribute::string("domain").computed().keep_state().description("The public host name of the proxy (e.g. `roundhouse.proxy.rlwy.net`)."),
            Attribute::int("proxy_port").computed().keep_state().description("The public port of the proxy."),
        ],
    )
}

impl TcpProxyModel {
    pub fn from_api(p: &TcpProxy) -> TcpProxyModel {
        TcpProxyModel {
            id: Val::Known(p.id.clone()),
            environment_id: Val::Known(p.environment_id.clone()),
            service_id: Val::Known(p.service_id.clone()),
            application_port: Val::Known(p.application_port),
            domain: Val::Known(p.domain.clone()),
            proxy_port: Val::Known(p.proxy_port),
        }
    }

    pub fn to_create_request(&self) -> Result<TcpProxyCreateInput, Diagnostics> {
        Ok(TcpProxyCreateInput {
            environment_id: self.environment_id.required("environment_id")?.to_string(),
            service_id: self.service_id.required("service_id")?.to_string(),
            application_port: self.application_port.known().copied().ok_or_else(|| {
                Diagnostics::from(
                    Diagnostic::error(
                        "Missing application_port",
                        "`application_port` is required.",
                    )
                    .at(Path::root("application_port")),
                )
            })?,
        })
    }
}

#[async_trait]
impl TypedResource for TcpProxyResource {
    type Model = TcpProxyModel;
    type Client = RailwayClient;
    const TYPE_NAME: &'static str = "railway_tcp_proxy";

    fn schema(&self) -> Schema {
        schema()
    }

    /// `<environment_id>/<service_id>/<id>`: proxies are listed per service instance.
    fn import_id(&self) -> ImportId {
        ImportId::formats(&["<environment_id>/<service_id>/<id>"]).check(railway_ids)
    }

    fn identity(&self) -> Identity {
        Identity::new(&["environment_id", "service_id", "id"])
    }

    async fn create(
        &self,
        c: &RailwayClient,
        op: Create<TcpProxyModel>,
        _cx: &ApplyCx,
    ) -> Applied<TcpProxyModel> {
        let input = op.plan.to_create_request()?;
        // A lost answer must not make a second proxy: find the one on the same application port.
        let proxy = create_or_adopt(
            "Failed to create Railway TCP proxy",
            c.create_tcp_proxy(&input),
            || async {
                let all = c
                    .tcp_proxies(&input.environment_id, &input.service_id)
                    .await?;
                Ok(all
                    .into_iter()
                    .find(|p| p.application_port == input.application_port))
            },
        )
        .await?;
        Ok(TcpProxyModel::from_api(&proxy))
    }

    async fn read(
        &self,
        c: &RailwayClient,
        state: TcpProxyModel,
        _cx: &ApplyCx,
    ) -> Result<Option<TcpProxyModel>, Diagnostics> {
        let env = state.environment_id.required("environment_id")?;
        let service = state.service_id.required("service_id")?;
        let id = state.id.required("id")?;
        match c.tcp_proxies(env, service).await {
            Ok(all) => Ok(all.iter().find(|p| p.id == id).map(TcpProxyModel::from_api)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(api_diag("Failed to read Railway TCP proxies", &e)),
        }
    }

    /// Every argument replaces: an update only ever carries the state forward.
    async fn update(
        &self,
        _c: &RailwayClient,
        op: Update<TcpProxyModel>,
        _cx: &ApplyCx,
    ) -> Applied<TcpProxyModel> {
        Ok(op.prior)
    }

    async fn delete(
        &self,
        c: &RailwayClient,
        state: TcpProxyModel,
        _cx: &ApplyCx,
    ) -> Result<(), Diagnostics> {
        c.delete_tcp_proxy(state.id.required("id")?)
            .await
            .map_err(|e| api_diag("Failed to delete Railway TCP proxy", &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_is_the_proxy_and_the_request_its_arguments() {
        let p = TcpProxy {
            id: "tp1".into(),
            application_port: 5432,
            proxy_port: 31234,
            domain: "roundhouse.proxy.rlwy.net".into(),
            environment_id: "e1".into(),
            service_id: "s1".into(),
        };
        let m = TcpProxyModel::from_api(&p);
        assert_eq!(m.proxy_port, Val::Known(31234));
        let req = m.to_create_request().expect("request");
        assert_eq!(
            (
                req.application_port,
                req.service_id.as_str(),
                req.environment_id.as_str()
            ),
            (5432, "s1", "e1")
        );
        assert!(TcpProxyModel::default().to_create_request().is_err());
    }
}

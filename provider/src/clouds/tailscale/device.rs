//! Data sources `tailscale_device` (one machine by MagicDNS name or hostname, optionally waiting
//! for it to join) and `tailscale_devices` (the machines whose name starts with a prefix and/or that
//! carry a tag). Devices join a tailnet by themselves, so these only read. Pure mapping in
//! `DeviceFacts::from_api`; no Terraform types in the client.

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::{Device, TailscaleClient};
use super::key::is_valid_tag;
use crate::clouds::support::api_diag;
use crate::framework::data_source::exactly_one;
use crate::framework::rules::{duration, parse_duration, Validator};
use crate::framework::validate::conflicting;
use crate::framework::{
    poll_until, ApplyCx, Attribute, Diagnostic, Diagnostics, Nesting, Path, Poll, Schema, Type,
    TypedDataSource, Val, Value, WaitSpec,
};

pub struct DeviceDataSource;
pub struct DevicesDataSource;

/// The lookup and what it found.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceLookup {
    pub name: Val<String>,
    pub hostname: Val<String>,
    pub wait_for: Option<String>,
    pub id: Val<String>,
    pub node_id: Val<String>,
    pub user: Val<String>,
    pub addresses: Val<Vec<String>>,
    pub tags: Val<Vec<String>>,
    pub authorized: Val<bool>,
    pub key_expiry_disabled: Val<bool>,
    pub expires: Val<String>,
    pub blocks_incoming_connections: Val<bool>,
}

/// One entry of `tailscale_devices.devices`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceFacts {
    pub id: String,
    pub node_id: String,
    pub name: String,
    pub hostname: String,
    pub user: String,
    pub addresses: Vec<String>,
    pub tags: Vec<String>,
    pub authorized: bool,
    pub key_expiry_disabled: bool,
}

impl DeviceFacts {
    pub fn from_api(d: &Device) -> Self {
        DeviceFacts {
            id: d.node_id.clone(),
            node_id: d.node_id.clone(),
            name: d.name.clone(),
            hostname: d.hostname.clone(),
            user: d.user.clone(),
            addresses: d.addresses.clone(),
            tags: d.tags.clone().unwrap_or_default(),
            authorized: d.authorized,
            key_expiry_disabled: d.key_expiry_disabled,
        }
    }
}

impl DeviceLookup {
    /// The configured lookup with everything the API reports filled in (pure).
    pub fn from_api(mut self, d: &Device) -> Self {
        self.name = Val::Known(d.name.clone());
        self.hostname = Val::Known(d.hostname.clone());
        self.id = Val::Known(d.node_id.clone());
        self.node_id = Val::Known(d.node_id.clone());
        self.user = Val::Known(d.user.clone());
        self.addresses = Val::Known(d.addresses.clone());
        self.tags = Val::Known(d.tags.clone().unwrap_or_default());
        self.authorized = Val::Known(d.authorized);
        self.key_expiry_disabled = Val::Known(d.key_expiry_disabled);
        self.expires = d.expires.clone().into();
        self.blocks_incoming_connections = Val::Known(d.blocks_incoming_connections);
        self
    }

    /// Whether `d` is the device asked for: the MagicDNS name matches with or without its final
    /// dot, the hostname exactly.
    fn matches(&self, d: &Device) -> bool {
        match (self.name.known(), self.hostname.known()) {
            (Some(n), _) => d.name.trim_end_matches('.') == n.trim_end_matches('.'),
            (None, Some(h)) => d.hostname == *h,
            (None, None) => false,
        }
    }

    fn what(&self) -> String {
        match (self.name.known(), self.hostname.known()) {
            (Some(n), _) => format!("Tailscale device named {n:?}"),
            (None, Some(h)) => format!("Tailscale device with hostname {h:?}"),
            _ => "Tailscale device".into(),
        }
    }
}

fn device_attributes() -> Vec<Attribute> {
    vec![
        Attribute::string("id").computed().description(
            "The device's node id (`n…CNTRL`), what the device resources take as `device_id`.",
        ),
        Attribute::string("node_id")
            .computed()
            .description("The device's node id."),
        Attribute::string("user")
            .computed()
            .description("The user who registered the device."),
        Attribute::list("addresses", Type::String)
            .computed()
            .description("The device's Tailscale IPs (IPv4 100.x.y.z first, then IPv6)."),
        Attribute::list("tags", Type::String)
            .computed()
            .description("The device's tags."),
        Attribute::bool("authorized")
            .computed()
            .description("Whether the device is authorized to join the tailnet."),
        Attribute::bool("key_expiry_disabled")
            .computed()
            .description("Whether the device's node key never expires."),
    ]
}

#[async_trait]
impl TypedDataSource for DeviceDataSource {
    type Model = DeviceLookup;
    type Client = TailscaleClient;
    const TYPE_NAME: &'static str = "tailscale_device";

    fn schema(&self) -> Schema {
        let mut attrs = vec![
            Attribute::string("name").optional_computed().description("The device's MagicDNS name (`desktop.tail1234.ts.net`). Exactly one of `name` and `hostname`."),
            Attribute::string("hostname").optional_computed().description("The device's machine name (`desktop`). Exactly one of `name` and `hostname`."),
            Attribute::string("wait_for").optional().description("How long to wait for the device to join the tailnet (e.g. `\"5m\"`) before failing; progress is logged about every 10 s. Default: no waiting.").validate(duration()),
            Attribute::string("expires").computed().description("When the device's node key expires (RFC 3339)."),
            Attribute::bool("blocks_incoming_connections").computed().description("Whether the device refuses incoming connections."),
        ];
        attrs.extend(device_attributes());
        Schema::new(
            "Looks up one device (machine) of the tailnet by its MagicDNS name or its hostname, e.g. to build a URL from its Tailscale IP. Nothing found, or two devices with that hostname, is an error.",
            attrs,
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        conflicting(config, &["name", "hostname"], diags);
        if config.attr("name").is_null() && config.attr("hostname").is_null() {
            diags.push(
                Diagnostic::error(
                    "Missing device name",
                    "Set `name` (the MagicDNS name) or `hostname` (the machine name) to say which device to look up.",
                )
                .at(Path::root("hostname")),
            );
        }
    }

    async fn read(
        &self,
        c: &TailscaleClient,
        q: DeviceLookup,
        cx: &ApplyCx,
    ) -> Result<DeviceLookup, Diagnostics> {
        let what = q.what();
        let limit = q.wait_for.as_deref().and_then(parse_duration);
        let find = || async {
            let devices = c
                .list_devices()
                .await
                .map_err(|e| api_diag("Failed to list Tailscale devices", &e))?;
            Ok::<_, Diagnostics>(
                devices
                    .into_iter()
                    .filter(|d| q.matches(d))
                    .collect::<Vec<_>>(),
            )
        };
        let found = match limit {
            Some(limit) if limit > Duration::ZERO => {
                let spec = WaitSpec::new(what.clone(), "wait_for", limit);
                poll_until(&cx.stop, &spec, || async {
                    let found = find().await?;
                    Ok(if found.is_empty() {
                        Poll::Pending("not in the tailnet yet".to_string())
                    } else {
                        Poll::Ready(found)
                    })
                })
                .await?
            }
            _ => find().await?,
        };
        let device = exactly_one(found, &what)?;
        Ok(q.from_api(&device))
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DevicesLookup {
    pub name_prefix: Option<String>,
    pub tag: Option<String>,
    pub id: Val<String>,
    pub devices: Val<Vec<DeviceFacts>>,
}

#[async_trait]
impl TypedDataSource for DevicesDataSource {
    type Model = DevicesLookup;
    type Client = TailscaleClient;
    const TYPE_NAME: &'static str = "tailscale_devices";

    fn schema(&self) -> Schema {
        let mut entry = device_attributes();
        entry.push(
            Attribute::string("name")
                .computed()
                .description("The device's MagicDNS name."),
        );
        entry.push(
            Attribute::string("hostname")
                .computed()
                .description("The device's machine name."),
        );
        Schema::new(
            "Lists the tailnet's devices, optionally those whose MagicDNS name starts with `name_prefix` and/or that carry `tag` (both must hold when both are set).",
            vec![
                Attribute::string("name_prefix").optional().description("Only devices whose MagicDNS name starts with this."),
                Attribute::string("tag").optional().description("Only devices that carry this tag (`tag:name`).").validate(Validator::string("A tag of the form `tag:name`.", |s| (!is_valid_tag(s)).then(|| format!("{s:?} is not a valid tag: use the form \"tag:name\"."))),),
                Attribute::string("id").computed().description("The filter, as one string."),
                Attribute::nested("devices", Nesting::List, entry).computed().description("The matching devices, sorted by MagicDNS name."),
            ],
        )
    }

    async fn read(
        &self,
        c: &TailscaleClient,
        mut q: DevicesLookup,
        _cx: &ApplyCx,
    ) -> Result<DevicesLookup, Diagnostics> {
        let devices = c
            .list_devices()
            .await
            .map_err(|e| api_diag("Failed to list Tailscale devices", &e))?;
        let prefix = q.name_prefix.clone().unwrap_or_default();
        let tags: Vec<String> = q.tag.iter().cloned().collect();
        let mut found: Vec<DeviceFacts> = devices
            .iter()
            .filter(|d| d.name.starts_with(&prefix))
            .filter(|d| {
                let have = d.tags.as_deref().unwrap_or_default();
                tags.iter().all(|t| have.contains(t))
            })
            .map(DeviceFacts::from_api)
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        q.id = Val::Known(format!("{prefix}|{}", tags.join(",")));
        q.devices = Val::Known(found);
        Ok(q)
    }
}

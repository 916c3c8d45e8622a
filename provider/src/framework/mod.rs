//! Terraform semantics, vendor-agnostic: types and values, schemas, paths, diagnostics, rules
//! (validators and plan modifiers), the plan pipeline, apply dispatch, import, timeouts and the
//! host that ties them to a provider. Must not import `protocol` (no wire types) or `clouds`.

pub mod action;
pub mod apply;
pub mod cron;
pub mod data_source;
pub mod diagnostics;
pub mod docs;
pub mod genconfig;
pub mod host;
pub mod identity;
pub mod import;
pub mod list;
pub mod model;
pub mod moves;
pub mod orphan;
pub mod path;
pub mod plan;
pub mod resource;
pub mod rules;
pub mod schema;
pub mod secret;

pub mod timeouts;
pub mod typed;
pub mod typed_ephemeral;
pub mod types;
pub mod validate;
pub mod value;
pub mod wait;

pub use action::{typed_action, Action, Progress, StatusLines, TypedAction};
pub use apply::{create_or_adopt, require_id, Ambiguous, Applied, Failed, KeepPartial};
pub use data_source::{typed_data_source, DataSource, TypedDataSource};
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use host::Host;
pub use identity::Identity;
pub use import::ImportId;
pub use list::{
    named_list, typed_list, Fetched, ListRequest, ListResource, Listed, NamedList, TypedList,
};
pub use model::Val;
pub use moves::{MoveMap, MoveSource, SourceState};
pub use path::Path;
pub use resource::{
    ApplyResult, ClientHandle, Ctx, EphemeralResource, PlanContext, Provider, Resource,
};
pub use rules::{PlanModifier, Validator, Verdict};
pub use schema::{Attribute, Block, Mode, NestedBlock, Nesting, Schema};
pub use secret::WriteOnlySecret;
pub use typed::{typed, ApplyCx, Create, TypedResource, Update};
pub use typed_ephemeral::{typed_ephemeral, TypedEphemeral};
pub use types::Type;
pub use value::{Number, Value};
pub use wait::{poll_until, Poll, WaitSpec};

#[cfg(test)]
mod plan_tests;

//! Terraform semantics, vendor-agnostic: types and values, schemas, paths, diagnostics, rules
//! (validators and plan modifiers), the plan pipeline, apply dispatch, import, timeouts and the
//! host that ties them to a provider. Must not import `protocol` (no wire types) or `clouds`.

pub mod cron;
pub mod diagnostics;
pub mod docs;
pub mod host;
pub mod path;
pub mod plan;
pub mod resource;
pub mod rules;
pub mod schema;

pub mod timeouts;
pub mod types;
pub mod validate;
pub mod value;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use host::Host;
pub use path::Path;
pub use resource::{
    ApplyResult, ClientHandle, Ctx, EphemeralResource, PlanContext, Provider, Resource,
};
pub use rules::{PlanModifier, Validator, Verdict};
pub use schema::{Attribute, Block, Mode, NestedBlock, Nesting, Schema};
pub use types::Type;
pub use value::{Number, Value};

#[cfg(test)]
mod plan_tests;

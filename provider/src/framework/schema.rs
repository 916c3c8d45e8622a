//! Schemas: attributes (Required / Optional / Computed / Optional+Computed as one enum), nested
//! attributes, blocks, sensitivity, write-only, defaults, validators and plan modifiers, and the
//! value type a schema implies. A small builder keeps resource files declarative.
//! Must not import protocol or clouds.

use std::collections::BTreeMap;

use super::rules::{PlanModifier, Validator};
use super::types::Type;
use super::value::Value;

/// Who sets an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Required,
    Optional,
    Computed,
    OptionalComputed,
}

impl Mode {
    pub fn is_computed(self) -> bool {
        matches!(self, Mode::Computed | Mode::OptionalComputed)
    }
    pub fn is_configurable(self) -> bool {
        !matches!(self, Mode::Computed)
    }
}

/// How nested attributes (or blocks) repeat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    Single,
    List,
    Set,
    Map,
}

#[derive(Clone, Debug)]
pub struct Attribute {
    pub name: String,
    /// The type; for nested attributes this is derived from `nested`.
    pub ty: Type,
    pub nested: Option<(Nesting, Vec<Attribute>)>,
    pub mode: Mode,
    pub description: String,
    pub sensitive: bool,
    pub write_only: bool,
    /// Lives in Terraform state only (e.g. `wait_for_deploy`): changing it calls no API, so it
    /// never makes computed attributes "(known after apply)".
    pub state_only: bool,
    pub deprecated: Option<String>,
    pub default: Option<Value>,
    pub validators: Vec<Validator>,
    pub modifiers: Vec<PlanModifier>,
}

impl Attribute {
    fn new(name: &str, ty: Type) -> Attribute {
        Attribute {
            name: name.to_string(),
            ty,
            nested: None,
            mode: Mode::Optional,
            description: String::new(),
            sensitive: false,
            write_only: false,
            state_only: false,
            deprecated: None,
            default: None,
            validators: Vec::new(),
            modifiers: Vec::new(),
        }
    }
    pub fn string(name: &str) -> Attribute {
        Attribute::new(name, Type::String)
    }
    pub fn bool(name: &str) -> Attribute {
        Attribute::new(name, Type::Bool)
    }
    pub fn number(name: &str) -> Attribute {
        Attribute::new(name, Type::Number)
    }
    /// An integer-valued number (a validator rejects fractions).
    pub fn int(name: &str) -> Attribute {
        Attribute::new(name, Type::Number).validate(super::rules::integer())
    }
    pub fn list(name: &str, elem: Type) -> Attribute {
        Attribute::new(name, Type::list(elem))
    }
    pub fn set(name: &str, elem: Type) -> Attribute {
        Attribute::new(name, Type::set(elem))
    }
    pub fn map(name: &str, elem: Type) -> Attribute {
        Attribute::new(name, Type::map(elem))
    }
    /// A protocol-6 nested attribute (`x = { … }`, `x = [{ … }]`).
    pub fn nested(name: &str, nesting: Nesting, attrs: Vec<Attribute>) -> Attribute {
        let obj = object_type(&attrs);
        let ty = match nesting {
            Nesting::Single => obj,
            Nesting::List => Type::list(obj),
            Nesting::Set => Type::set(obj),
            Nesting::Map => Type::map(obj),
        };
        let mut a = Attribute::new(name, ty);
        a.nested = Some((nesting, attrs));
        a
    }

    pub fn required(mut self) -> Self {
        self.mode = Mode::Required;
        self
    }
    pub fn optional(mut self) -> Self {
        self.mode = Mode::Optional;
        self
    }
    pub fn computed(mut self) -> Self {
        self.mode = Mode::Computed;
        self
    }
    pub fn optional_computed(mut self) -> Self {
        self.mode = Mode::OptionalComputed;
        self
    }
    pub fn description(mut self, d: &str) -> Self {
        self.description = d.to_string();
        self
    }
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    /// Write-only (Terraform ≥ 1.11): sent in config at apply, never stored in plan or state.
    /// Mark as state-only: a change to it alone is no change the API sees.
    pub fn state_only(mut self) -> Self {
        self.state_only = true;
        self
    }
    pub fn write_only(mut self) -> Self {
        self.write_only = true;
        self
    }
    pub fn deprecated(mut self, msg: &str) -> Self {
        self.deprecated = Some(msg.to_string());
        self
    }
    /// A default used when the configuration leaves the attribute null (implies Optional+Computed).
    pub fn default(mut self, v: Value) -> Self {
        self.default = Some(v);
        self.mode = Mode::OptionalComputed;
        self
    }
    pub fn validate(mut self, v: Validator) -> Self {
        self.validators.push(v);
        self
    }
    pub fn modifier(mut self, m: PlanModifier) -> Self {
        self.modifiers.push(m);
        self
    }
    /// Shorthand: changing this attribute replaces the resource.
    pub fn replace(self) -> Self {
        self.modifier(PlanModifier::RequiresReplace)
    }
    /// Shorthand: keep the prior state's value instead of "(known after apply)".
    pub fn keep_state(self) -> Self {
        self.modifier(PlanModifier::UseStateForUnknown)
    }

    pub fn nested_attributes(&self) -> Option<&[Attribute]> {
        self.nested.as_ref().map(|(_, a)| a.as_slice())
    }
}

/// A nested block (used for `timeouts`; structured arguments use nested attributes).
#[derive(Clone, Debug)]
pub struct NestedBlock {
    pub name: String,
    pub nesting: Nesting,
    pub block: Block,
}

#[derive(Clone, Debug, Default)]
pub struct Block {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
    pub description: String,
    pub deprecated: Option<String>,
}

impl Block {
    pub fn value_type(&self) -> Type {
        let mut m: BTreeMap<String, Type> = self
            .attributes
            .iter()
            .map(|a| (a.name.clone(), a.ty.clone()))
            .collect();
        for b in &self.blocks {
            let obj = b.block.value_type();
            let t = match b.nesting {
                Nesting::Single => obj,
                Nesting::List => Type::list(obj),
                Nesting::Set => Type::set(obj),
                Nesting::Map => Type::map(obj),
            };
            m.insert(b.name.clone(), t);
        }
        Type::Object(m)
    }
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

fn object_type(attrs: &[Attribute]) -> Type {
    Type::Object(
        attrs
            .iter()
            .map(|a| (a.name.clone(), a.ty.clone()))
            .collect(),
    )
}

/// A resource's, data source's or provider's schema.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
}

impl Schema {
    pub fn new(description: &str, attributes: Vec<Attribute>) -> Schema {
        let mut attributes = attributes;
        attributes.sort_by(|a, b| a.name.cmp(&b.name));
        Schema {
            version: 0,
            block: Block {
                attributes,
                blocks: Vec::new(),
                description: description.to_string(),
                deprecated: None,
            },
        }
    }
    pub fn version(mut self, v: i64) -> Self {
        self.version = v;
        self
    }
    pub fn block(mut self, b: NestedBlock) -> Self {
        self.block.blocks.push(b);
        self.block.blocks.sort_by(|a, b| a.name.cmp(&b.name));
        self
    }
    /// Add the standard `timeouts` block with the given operations (e.g. `["create", "delete"]`).
    pub fn with_timeouts(self, ops: &[(&str, &str)]) -> Self {
        let attrs = ops
            .iter()
            .map(|(op, default)| {
                Attribute::string(op)
                    .optional()
                    .description(&format!("How long to wait for {op} (default {default})."))
                    .validate(super::rules::duration())
            })
            .collect();
        self.block(NestedBlock {
            name: "timeouts".into(),
            nesting: Nesting::Single,
            block: Block {
                attributes: attrs,
                description:
                    "How long the provider waits for the operations that wait (for example \
                              a deploy or an instance becoming available)."
                        .into(),
                ..Default::default()
            },
        })
    }
    pub fn value_type(&self) -> Type {
        self.block.value_type()
    }
}

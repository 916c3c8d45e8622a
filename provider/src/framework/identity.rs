//! Resource identity (plugin protocol 6.9+, Terraform 1.12+): the few attributes that name an
//! object for good (`render_service`: id; `r2_bucket`: account_id, jurisdiction, name). Declared
//! as names of state attributes, so the identity of a state is its projection onto them and an
//! identity imports through the resource's import table. List resources hand these to Terraform.
//! Must not import protocol or clouds.

use super::schema::Schema;
use super::types::Type;
use super::value::Value;

/// Which state attributes form the identity, as a resource declares it.
#[derive(Clone, Debug)]
pub struct Identity {
    pub version: i64,
    /// Needed to import by identity.
    pub required: Vec<&'static str>,
    /// May be left out of an `import { identity = … }` (the import table has a default).
    pub optional: Vec<&'static str>,
}

impl Identity {
    pub fn new(required: &[&'static str]) -> Self {
        Identity {
            version: 0,
            required: required.to_vec(),
            optional: Vec::new(),
        }
    }
    pub fn optional(mut self, names: &[&'static str]) -> Self {
        self.optional.extend_from_slice(names);
        self
    }
    /// The wire schema, typed and described from the resource schema's attributes.
    pub fn schema(&self, schema: &Schema) -> IdentitySchema {
        let attr = |name: &str, required: bool| {
            let a = schema.block.attribute(name);
            IdentityAttribute {
                name: name.to_string(),
                ty: a.map_or(Type::String, |a| a.ty.clone()),
                required_for_import: required,
                description: a.map(|a| a.description.clone()).unwrap_or_default(),
            }
        };
        let mut attributes: Vec<IdentityAttribute> = self
            .required
            .iter()
            .map(|n| attr(n, true))
            .chain(self.optional.iter().map(|n| attr(n, false)))
            .collect();
        attributes.sort_by(|a, b| a.name.cmp(&b.name));
        IdentitySchema {
            version: self.version,
            attributes,
        }
    }
}

#[derive(Clone, Debug)]
pub struct IdentityAttribute {
    pub name: String,
    pub ty: Type,
    pub required_for_import: bool,
    pub description: String,
}

#[derive(Clone, Debug)]
pub struct IdentitySchema {
    pub version: i64,
    pub attributes: Vec<IdentityAttribute>,
}

impl IdentitySchema {
    pub fn value_type(&self) -> Type {
        Type::Object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), a.ty.clone()))
                .collect(),
        )
    }
    /// The identity of a stored object: its state projected onto the identity attributes.
    pub fn project(&self, state: &Value) -> Value {
        if state.is_null() {
            return Value::Null;
        }
        Value::object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), state.attr(&a.name).clone())),
        )
    }
}

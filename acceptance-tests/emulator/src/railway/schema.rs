//! The Railway GraphQL schema as an index: the SDL in `specs/railway.graphql` (Railway's own schema,
//! embedded at build time) parsed once with `graphql-parser` and flattened into lookups that
//! validation, input coercion and execution share.
//! Knows nothing about emulated state or HTTP; must not import the executor or the resolvers.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use graphql_parser::schema::{self as sdl, Definition, TypeDefinition};
use serde_json::Value;

/// Railway's schema, printed from its introspection result.
pub const SDL: &str = include_str!("../../specs/railway.graphql");

/// A type reference such as `[String!]!`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeRef {
    Named(String),
    List(Box<TypeRef>),
    NonNull(Box<TypeRef>),
}

impl TypeRef {
    /// The named type under any list and non-null wrappers.
    pub fn base(&self) -> &str {
        match self {
            TypeRef::Named(n) => n,
            TypeRef::List(t) | TypeRef::NonNull(t) => t.base(),
        }
    }

    pub fn is_non_null(&self) -> bool {
        matches!(self, TypeRef::NonNull(_))
    }

    /// Convert a `graphql-parser` type (schema or query side: both use the same AST type).
    pub fn from_ast<'a, T: graphql_parser::query::Text<'a>>(
        t: &graphql_parser::query::Type<'a, T>,
    ) -> Self {
        use graphql_parser::query::Type;
        match t {
            Type::NamedType(n) => TypeRef::Named(n.as_ref().to_string()),
            Type::ListType(inner) => TypeRef::List(Box::new(TypeRef::from_ast(inner))),
            Type::NonNullType(inner) => TypeRef::NonNull(Box::new(TypeRef::from_ast(inner))),
        }
    }
}

impl std::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeRef::Named(n) => write!(f, "{n}"),
            TypeRef::List(t) => write!(f, "[{t}]"),
            TypeRef::NonNull(t) => write!(f, "{t}!"),
        }
    }
}

/// An argument of a field or a field of an input object.
#[derive(Clone, Debug)]
pub struct InputDef {
    pub name: String,
    pub ty: TypeRef,
    /// The schema default, already converted to JSON.
    pub default: Option<Value>,
}

impl InputDef {
    /// Non-null without a default: the caller must give it.
    pub fn is_required(&self) -> bool {
        self.ty.is_non_null() && self.default.is_none()
    }
}

/// A field of an object or interface type.
#[derive(Clone, Debug)]
pub struct FieldDef {
    pub name: String,
    pub args: Vec<InputDef>,
    pub ty: TypeRef,
}

impl FieldDef {
    pub fn arg(&self, name: &str) -> Option<&InputDef> {
        self.args.iter().find(|a| a.name == name)
    }
}

#[derive(Clone, Debug)]
pub enum TypeDef {
    Scalar,
    Object {
        fields: BTreeMap<String, FieldDef>,
        interfaces: Vec<String>,
    },
    Interface {
        fields: BTreeMap<String, FieldDef>,
    },
    Union {
        members: Vec<String>,
    },
    Enum {
        values: BTreeSet<String>,
    },
    InputObject {
        fields: Vec<InputDef>,
    },
}

/// The whole schema, indexed by type name.
#[derive(Debug)]
pub struct Schema {
    pub types: BTreeMap<String, TypeDef>,
    pub query_type: String,
    pub mutation_type: String,
}

/// The parsed schema, built on first use. An `Err` only if the embedded SDL does not parse (a unit
/// test guards against that), reported to callers instead of panicking.
pub fn schema() -> Result<&'static Schema, &'static str> {
    static SCHEMA: OnceLock<Result<Schema, String>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| Schema::parse(SDL))
        .as_ref()
        .map_err(String::as_str)
}

impl Schema {
    pub fn parse(text: &str) -> Result<Schema, String> {
        let doc = sdl::parse_schema::<String>(text).map_err(|e| e.to_string())?;
        let mut types = BTreeMap::new();
        for name in ["String", "Int", "Float", "Boolean", "ID"] {
            types.insert(name.to_string(), TypeDef::Scalar);
        }
        let mut query_type = "Query".to_string();
        let mut mutation_type = "Mutation".to_string();
        for def in &doc.definitions {
            match def {
                Definition::SchemaDefinition(s) => {
                    if let Some(q) = &s.query {
                        query_type = q.clone();
                    }
                    if let Some(m) = &s.mutation {
                        mutation_type = m.clone();
                    }
                }
                Definition::TypeDefinition(t) => {
                    let (name, def) = convert_type(t);
                    types.insert(name, def);
                }
                Definition::TypeExtension(_) | Definition::DirectiveDefinition(_) => {}
            }
        }
        Ok(Schema {
            types,
            query_type,
            mutation_type,
        })
    }

    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(name)
    }

    /// A field of an object or interface type (`None` for other kinds or unknown names).
    pub fn field(&self, type_name: &str, field: &str) -> Option<&FieldDef> {
        match self.types.get(type_name)? {
            TypeDef::Object { fields, .. } | TypeDef::Interface { fields } => fields.get(field),
            _ => None,
        }
    }

    /// Objects, interfaces and unions: the types that take a selection set.
    pub fn is_composite(&self, name: &str) -> bool {
        matches!(
            self.types.get(name),
            Some(TypeDef::Object { .. } | TypeDef::Interface { .. } | TypeDef::Union { .. })
        )
    }

    /// Scalars, enums and input objects: the types a variable may have.
    pub fn is_input(&self, name: &str) -> bool {
        matches!(
            self.types.get(name),
            Some(TypeDef::Scalar | TypeDef::Enum { .. } | TypeDef::InputObject { .. })
        )
    }

    /// Whether a value of object type `object` may appear where `condition` (object, interface or
    /// union) is expected: the rule for fragments' type conditions.
    pub fn object_matches(&self, object: &str, condition: &str) -> bool {
        if object == condition {
            return true;
        }
        match self.types.get(condition) {
            Some(TypeDef::Interface { .. }) => matches!(
                self.types.get(object),
                Some(TypeDef::Object { interfaces, .. }) if interfaces.iter().any(|i| i == condition)
            ),
            Some(TypeDef::Union { members }) => members.iter().any(|m| m == object),
            _ => false,
        }
    }

    /// The object types a value of `name` may have at run time.
    pub fn possible_types(&self, name: &str) -> Vec<String> {
        match self.types.get(name) {
            Some(TypeDef::Object { .. }) => vec![name.to_string()],
            Some(TypeDef::Union { members }) => members.clone(),
            Some(TypeDef::Interface { .. }) => self
                .types
                .iter()
                .filter(|(_, d)| matches!(d, TypeDef::Object { interfaces, .. } if interfaces.iter().any(|i| i == name)))
                .map(|(n, _)| n.clone())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether two composite types can share an object (fragment spreads must be possible).
    pub fn types_overlap(&self, a: &str, b: &str) -> bool {
        let pa = self.possible_types(a);
        let pb = self.possible_types(b);
        pa.iter().any(|t| pb.contains(t))
    }
}

fn convert_type(t: &TypeDefinition<'_, String>) -> (String, TypeDef) {
    match t {
        TypeDefinition::Scalar(s) => (s.name.clone(), TypeDef::Scalar),
        TypeDefinition::Object(o) => (
            o.name.clone(),
            TypeDef::Object {
                fields: convert_fields(&o.fields),
                interfaces: o.implements_interfaces.clone(),
            },
        ),
        TypeDefinition::Interface(i) => (
            i.name.clone(),
            TypeDef::Interface {
                fields: convert_fields(&i.fields),
            },
        ),
        TypeDefinition::Union(u) => (
            u.name.clone(),
            TypeDef::Union {
                members: u.types.clone(),
            },
        ),
        TypeDefinition::Enum(e) => (
            e.name.clone(),
            TypeDef::Enum {
                values: e.values.iter().map(|v| v.name.clone()).collect(),
            },
        ),
        TypeDefinition::InputObject(i) => (
            i.name.clone(),
            TypeDef::InputObject {
                fields: i.fields.iter().map(convert_input).collect(),
            },
        ),
    }
}

fn convert_fields(fields: &[sdl::Field<'_, String>]) -> BTreeMap<String, FieldDef> {
    fields
        .iter()
        .map(|f| {
            (
                f.name.clone(),
                FieldDef {
                    name: f.name.clone(),
                    args: f.arguments.iter().map(convert_input).collect(),
                    ty: TypeRef::from_ast(&f.field_type),
                },
            )
        })
        .collect()
}

fn convert_input(v: &sdl::InputValue<'_, String>) -> InputDef {
    InputDef {
        name: v.name.clone(),
        ty: TypeRef::from_ast(&v.value_type),
        default: v.default_value.as_ref().map(const_to_json),
    }
}

/// A constant (variable-free) GraphQL value as JSON; enum values become strings.
pub fn const_to_json<'a, T: graphql_parser::query::Text<'a>>(
    v: &graphql_parser::query::Value<'a, T>,
) -> Value {
    use graphql_parser::query::Value as G;
    match v {
        G::Variable(_) | G::Null => Value::Null,
        G::Int(n) => n.as_i64().map(Value::from).unwrap_or(Value::Null),
        G::Float(f) => serde_json::Number::from_f64(*f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        G::String(s) => Value::String(s.clone()),
        G::Boolean(b) => Value::Bool(*b),
        G::Enum(e) => Value::String(e.as_ref().to_string()),
        G::List(items) => Value::Array(items.iter().map(const_to_json).collect()),
        G::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.as_ref().to_string(), const_to_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_schema_parses_and_knows_the_emulated_operations() {
        let s = schema().expect("embedded SDL parses");
        for f in [
            "project",
            "projects",
            "serviceInstance",
            "variables",
            "domains",
        ] {
            assert!(s.field(&s.query_type, f).is_some(), "Query.{f}");
        }
        for f in [
            "projectCreate",
            "serviceInstanceUpdate",
            "variableCollectionUpsert",
        ] {
            assert!(s.field(&s.mutation_type, f).is_some(), "Mutation.{f}");
        }
        assert!(s.object_matches("ServiceDomain", "Domain"));
        assert!(!s.object_matches("Project", "Domain"));
        let replace = match s.get("VariableCollectionUpsertInput") {
            Some(TypeDef::InputObject { fields }) => {
                fields.iter().find(|f| f.name == "replace").cloned()
            }
            _ => None,
        };
        assert_eq!(replace.and_then(|r| r.default), Some(Value::Bool(false)));
    }
}

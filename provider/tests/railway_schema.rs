//! Every GraphQL document the Railway client sends parses and type-checks against Railway's schema
//! (the emulator's copy of the vendor SDL): one named operation of the declared kind, every field
//! exists on its parent type, leaves have no selection and objects have one, every argument exists,
//! required arguments are given, variables are declared with input types compatible with where
//! they are used, and every declared variable is used. A small checker written for this test on
//! top of `graphql-parser`, independent of the emulator's.

use std::collections::{BTreeMap, BTreeSet};

use graphql_parser::query::{
    self as gq, Definition as QDef, OperationDefinition, Selection, SelectionSet,
};
use graphql_parser::schema::{self as gs, Definition as SDef, TypeDefinition};
use paasform::clouds::railway::queries::{Kind, Operation, ALL};

const SDL: &str = include_str!("../../acceptance-tests/emulator/specs/railway.graphql");

#[derive(Clone, Debug, PartialEq)]
enum Ty {
    Named(String),
    List(Box<Ty>),
    NonNull(Box<Ty>),
}

impl Ty {
    fn from(t: &gq::Type<'_, String>) -> Ty {
        match t {
            gq::Type::NamedType(n) => Ty::Named(n.clone()),
            gq::Type::ListType(i) => Ty::List(Box::new(Ty::from(i))),
            gq::Type::NonNullType(i) => Ty::NonNull(Box::new(Ty::from(i))),
        }
    }
    fn base(&self) -> &str {
        match self {
            Ty::Named(n) => n,
            Ty::List(i) | Ty::NonNull(i) => i.base(),
        }
    }
}

/// Can a variable of type `var` be used where `loc` is expected? (GraphQL's AreTypesCompatible.)
fn compatible(var: &Ty, loc: &Ty) -> bool {
    match (var, loc) {
        (Ty::NonNull(v), Ty::NonNull(l)) => compatible(v, l),
        (_, Ty::NonNull(_)) => false,
        (Ty::NonNull(v), l) => compatible(v, l),
        (Ty::List(v), Ty::List(l)) => compatible(v, l),
        (Ty::Named(a), Ty::Named(b)) => a == b,
        _ => false,
    }
}

struct FieldDef {
    args: BTreeMap<String, (Ty, bool)>,
    ty: Ty,
}

enum TypeKind {
    Composite(BTreeMap<String, FieldDef>),
    Union,
    Input,
    Leaf,
}

struct SchemaIndex {
    types: BTreeMap<String, TypeKind>,
    query: String,
    mutation: String,
}

fn index(sdl: &str) -> SchemaIndex {
    let doc = gs::parse_schema::<String>(sdl).expect("the Railway SDL parses");
    let mut types = BTreeMap::new();
    let (mut query, mut mutation) = ("Query".to_string(), "Mutation".to_string());
    let fields = |fs: &[gs::Field<'_, String>]| {
        fs.iter()
            .map(|f| {
                let args = f
                    .arguments
                    .iter()
                    .map(|a| {
                        (
                            a.name.clone(),
                            (Ty::from(&a.value_type), a.default_value.is_some()),
                        )
                    })
                    .collect();
                (
                    f.name.clone(),
                    FieldDef {
                        args,
                        ty: Ty::from(&f.field_type),
                    },
                )
            })
            .collect()
    };
    for d in &doc.definitions {
        match d {
            SDef::SchemaDefinition(s) => {
                query = s.query.clone().unwrap_or(query);
                mutation = s.mutation.clone().unwrap_or(mutation);
            }
            SDef::TypeDefinition(TypeDefinition::Object(o)) => {
                types.insert(o.name.clone(), TypeKind::Composite(fields(&o.fields)));
            }
            SDef::TypeDefinition(TypeDefinition::Interface(i)) => {
                types.insert(i.name.clone(), TypeKind::Composite(fields(&i.fields)));
            }
            SDef::TypeDefinition(TypeDefinition::Union(u)) => {
                types.insert(u.name.clone(), TypeKind::Union);
            }
            SDef::TypeDefinition(TypeDefinition::InputObject(i)) => {
                types.insert(i.name.clone(), TypeKind::Input);
            }
            SDef::TypeDefinition(TypeDefinition::Enum(e)) => {
                types.insert(e.name.clone(), TypeKind::Leaf);
            }
            SDef::TypeDefinition(TypeDefinition::Scalar(s)) => {
                types.insert(s.name.clone(), TypeKind::Leaf);
            }
            _ => {}
        }
    }
    for builtin in ["String", "Int", "Float", "Boolean", "ID"] {
        types.insert(builtin.to_string(), TypeKind::Leaf);
    }
    SchemaIndex {
        types,
        query,
        mutation,
    }
}

struct Checker<'s> {
    schema: &'s SchemaIndex,
    vars: BTreeMap<String, Ty>,
    used: BTreeSet<String>,
    errors: Vec<String>,
}

impl Checker<'_> {
    fn selection(&mut self, type_name: &str, set: &SelectionSet<'_, String>, path: &str) {
        let Some(TypeKind::Composite(fields)) = self.schema.types.get(type_name) else {
            self.errors
                .push(format!("{path}: {type_name} has no fields to select"));
            return;
        };
        for item in &set.items {
            let Selection::Field(f) = item else {
                self.errors
                    .push(format!("{path}: fragments are not used by the client"));
                continue;
            };
            let here = format!("{path}.{}", f.name);
            if f.name == "__typename" {
                continue;
            }
            let Some(def) = fields.get(&f.name) else {
                self.errors
                    .push(format!("{here}: {type_name} has no field {:?}", f.name));
                continue;
            };
            for (name, value) in &f.arguments {
                match def.args.get(name) {
                    None => self.errors.push(format!("{here}: no argument {name:?}")),
                    Some((ty, _)) => self.argument(value, ty, &format!("{here}({name})")),
                }
            }
            for (name, (ty, has_default)) in &def.args {
                if matches!(ty, Ty::NonNull(_))
                    && !has_default
                    && !f.arguments.iter().any(|(n, _)| n == name)
                {
                    self.errors
                        .push(format!("{here}: required argument {name:?} missing"));
                }
            }
            let base = def.ty.base().to_string();
            match self.schema.types.get(&base) {
                Some(TypeKind::Composite(_)) | Some(TypeKind::Union) => {
                    if f.selection_set.items.is_empty() {
                        self.errors
                            .push(format!("{here}: {base} needs a selection"));
                    } else {
                        self.selection(&base, &f.selection_set, &here);
                    }
                }
                Some(_) if !f.selection_set.items.is_empty() => self
                    .errors
                    .push(format!("{here}: {base} is a leaf, no selection allowed")),
                Some(_) => {}
                None => self.errors.push(format!("{here}: unknown type {base}")),
            }
        }
    }

    fn argument(&mut self, value: &gq::Value<'_, String>, loc: &Ty, at: &str) {
        match value {
            gq::Value::Variable(v) => {
                self.used.insert(v.clone());
                match self.vars.get(v) {
                    None => self.errors.push(format!("{at}: ${v} is not declared")),
                    Some(var) if !compatible(var, loc) => self.errors.push(format!(
                        "{at}: ${v} of type {var:?} cannot be used as {loc:?}"
                    )),
                    Some(_) => {}
                }
            }
            gq::Value::Null if matches!(loc, Ty::NonNull(_)) => self
                .errors
                .push(format!("{at}: null for a non-null argument")),
            gq::Value::Int(_) if !matches!(loc.base(), "Int" | "Float") => {
                self.errors.push(format!("{at}: an Int for {loc:?}"))
            }
            gq::Value::String(_) if !matches!(loc.base(), "String" | "ID") => {
                self.errors.push(format!("{at}: a String for {loc:?}"))
            }
            gq::Value::Boolean(_) if loc.base() != "Boolean" => {
                self.errors.push(format!("{at}: a Boolean for {loc:?}"))
            }
            _ => {}
        }
    }
}

/// The problems with one operation; empty when it type-checks.
fn check(schema: &SchemaIndex, op: &Operation) -> Vec<String> {
    let doc = match gq::parse_query::<String>(op.document) {
        Ok(d) => d,
        Err(e) => return vec![format!("does not parse: {e}")],
    };
    let ops: Vec<&OperationDefinition<'_, String>> = doc
        .definitions
        .iter()
        .filter_map(|d| match d {
            QDef::Operation(o) => Some(o),
            QDef::Fragment(_) => None,
        })
        .collect();
    let [single] = ops.as_slice() else {
        return vec![format!("{} operations in one document", ops.len())];
    };
    let (kind, name, var_defs, set) = match single {
        OperationDefinition::Query(q) => (
            Kind::Query,
            q.name.clone(),
            &q.variable_definitions,
            &q.selection_set,
        ),
        OperationDefinition::Mutation(m) => (
            Kind::Mutation,
            m.name.clone(),
            &m.variable_definitions,
            &m.selection_set,
        ),
        _ => return vec!["not a named query or mutation".into()],
    };
    let mut errors = Vec::new();
    if kind != op.kind {
        errors.push(format!(
            "declared {:?} but the document is a {kind:?}",
            op.kind
        ));
    }
    if name.as_deref() != Some(op.name) {
        errors.push(format!("operation name {name:?} is not {:?}", op.name));
    }
    let mut vars = BTreeMap::new();
    for v in var_defs {
        let ty = Ty::from(&v.var_type);
        match schema.types.get(ty.base()) {
            Some(TypeKind::Input) | Some(TypeKind::Leaf) => {}
            _ => errors.push(format!("${}: {} is not an input type", v.name, ty.base())),
        }
        vars.insert(v.name.clone(), ty);
    }
    let root = if kind == Kind::Query {
        &schema.query
    } else {
        &schema.mutation
    };
    let mut c = Checker {
        schema,
        vars,
        used: BTreeSet::new(),
        errors,
    };
    c.selection(root, set, op.name);
    for v in c.vars.keys() {
        if !c.used.contains(v) {
            c.errors.push(format!("${v} is declared but never used"));
        }
    }
    c.errors
}

#[test]
fn every_operation_type_checks_against_railways_schema() {
    let schema = index(SDL);
    assert!(ALL.len() >= 20, "the list of operations is complete");
    let mut failures = Vec::new();
    for op in ALL {
        for e in check(&schema, op) {
            failures.push(format!("{}: {e}", op.name));
        }
    }
    assert!(
        failures.is_empty(),
        "operations that do not type-check:\n{}",
        failures.join("\n")
    );
    let names: BTreeSet<&str> = ALL.iter().map(|o| o.name).collect();
    assert_eq!(names.len(), ALL.len(), "operation names are unique");
}

#[test]
fn the_checker_catches_typos() {
    let schema = index(SDL);
    let bad = |document: &'static str, kind: Kind| {
        check(
            &schema,
            &Operation {
                name: "Bad",
                kind,
                idempotent: true,
                document,
            },
        )
    };
    let cases = [
        (
            r#"query Bad($id: String!) { project(id: $id) { id nmae } }"#,
            Kind::Query,
        ),
        (
            r#"query Bad($id: String!) { project(ident: $id) { id } }"#,
            Kind::Query,
        ),
        (r#"query Bad { project { id } }"#, Kind::Query),
        (
            r#"query Bad($id: String) { project(id: $id) { id } }"#,
            Kind::Query,
        ),
        (
            r#"query Bad($id: String!) { project(id: $id) }"#,
            Kind::Query,
        ),
        (
            r#"query Bad($id: String!, $x: Int) { project(id: $id) { id } }"#,
            Kind::Query,
        ),
        (
            r#"mutation Bad($id: String!) { serviceDelete(id: $id) { id } }"#,
            Kind::Mutation,
        ),
        (
            r#"mutation Bad($input: ServiceCreateInput!) { serviceCreate(input: $input) { id } }"#,
            Kind::Query,
        ),
        (
            r#"query Bad($id: Int!) { project(id: $id) { id } }"#,
            Kind::Query,
        ),
        (
            r#"query Bad($id: String! { project(id: $id) { id } }"#,
            Kind::Query,
        ),
    ];
    for (doc, kind) in cases {
        assert!(!bad(doc, kind).is_empty(), "accepted: {doc}");
    }
    assert!(bad(
        r#"query Bad($id: String!) { project(id: $id) { id name } }"#,
        Kind::Query
    )
    .is_empty());
}

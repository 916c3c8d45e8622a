//! Validation of an incoming operation against the schema, before anything runs: the operation
//! is chosen (`operationName`), every selected field exists on its parent type (through fragments,
//! interfaces and unions), leaf/composite selections fit, arguments exist and required ones are
//! given, inline values fit their input types, variables are declared with input types, used where
//! their type is allowed, and all used. Then request variables are coerced to their declared types.
//! Messages follow graphql-js wording (what Railway's server prints). Imports only the schema index,
//! input coercion and the error type.

use std::collections::{BTreeMap, BTreeSet};

use graphql_parser::query::{
    Definition, Directive, Document, Field, FragmentDefinition, OperationDefinition, Selection,
    SelectionSet, TypeCondition, Value as Gql, VariableDefinition,
};
use graphql_parser::Pos;
use serde_json::{Map, Value};

use super::error::{code, GqlError};
use super::input::coerce;
use super::schema::{const_to_json, FieldDef, Schema, TypeDef, TypeRef};

pub type Doc<'a> = Document<'a, String>;
pub type Op<'a> = OperationDefinition<'a, String>;
pub type Fragment<'a> = FragmentDefinition<'a, String>;

/// What an operation looks like regardless of its kind.
pub struct OpParts<'d, 'a> {
    pub kind: OpKind,
    pub name: Option<&'d str>,
    pub position: Pos,
    pub variables: &'d [VariableDefinition<'a, String>],
    pub directives: &'d [Directive<'a, String>],
    pub selection_set: &'d SelectionSet<'a, String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OpKind {
    Query,
    Mutation,
    Subscription,
}

pub fn parts<'d, 'a>(op: &'d Op<'a>) -> OpParts<'d, 'a> {
    match op {
        OperationDefinition::SelectionSet(s) => OpParts {
            kind: OpKind::Query,
            name: None,
            position: s.span.0,
            variables: &[],
            directives: &[],
            selection_set: s,
        },
        OperationDefinition::Query(q) => OpParts {
            kind: OpKind::Query,
            name: q.name.as_deref(),
            position: q.position,
            variables: &q.variable_definitions,
            directives: &q.directives,
            selection_set: &q.selection_set,
        },
        OperationDefinition::Mutation(m) => OpParts {
            kind: OpKind::Mutation,
            name: m.name.as_deref(),
            position: m.position,
            variables: &m.variable_definitions,
            directives: &m.directives,
            selection_set: &m.selection_set,
        },
        OperationDefinition::Subscription(s) => OpParts {
            kind: OpKind::Subscription,
            name: s.name.as_deref(),
            position: s.position,
            variables: &s.variable_definitions,
            directives: &s.directives,
            selection_set: &s.selection_set,
        },
    }
}

/// The fragments of a document by name.
pub fn fragments<'d, 'a>(doc: &'d Doc<'a>) -> BTreeMap<&'d str, &'d Fragment<'a>> {
    doc.definitions
        .iter()
        .filter_map(|d| match d {
            Definition::Fragment(f) => Some((f.name.as_str(), f)),
            Definition::Operation(_) => None,
        })
        .collect()
}

/// Pick the operation to run, as the GraphQL spec's GetOperation does.
pub fn select_operation<'d, 'a>(
    doc: &'d Doc<'a>,
    name: Option<&str>,
) -> Result<&'d Op<'a>, GqlError> {
    let ops: Vec<&Op<'a>> = doc
        .definitions
        .iter()
        .filter_map(|d| match d {
            Definition::Operation(o) => Some(o),
            Definition::Fragment(_) => None,
        })
        .collect();
    let chosen = match name {
        Some(n) => ops
            .iter()
            .find(|o| parts(o).name == Some(n))
            .copied()
            .ok_or_else(|| {
                GqlError::new(
                    code::BAD_REQUEST,
                    format!("Unknown operation named \"{n}\"."),
                )
            })?,
        None if ops.len() == 1 => ops[0],
        None if ops.is_empty() => {
            return Err(GqlError::new(
                code::BAD_REQUEST,
                "Must provide an operation.",
            ))
        }
        None => {
            return Err(GqlError::new(
                code::BAD_REQUEST,
                "Must provide operation name if query contains multiple operations.",
            ))
        }
    };
    if ops.len() > 1 {
        if let Some(anon) = ops.iter().find(|o| parts(o).name.is_none()) {
            return Err(GqlError::validation(
                "This anonymous operation must be the only defined operation.",
                parts(anon).position,
            ));
        }
    }
    Ok(chosen)
}

/// Every validation error of `op` (empty: valid).
pub fn validate<'a>(schema: &Schema, doc: &Doc<'a>, op: &Op<'a>) -> Vec<GqlError> {
    let p = parts(op);
    let mut v = Validator {
        schema,
        fragments: fragments(doc),
        errors: Vec::new(),
        var_defs: BTreeMap::new(),
        used: BTreeSet::new(),
        op_name: p.name.map(str::to_string),
        spreading: Vec::new(),
    };
    let root = match p.kind {
        OpKind::Query => schema.query_type.clone(),
        OpKind::Mutation => schema.mutation_type.clone(),
        OpKind::Subscription => {
            return vec![GqlError::validation(
                "Subscriptions are not supported by this emulator.",
                p.position,
            )]
        }
    };
    for def in p.variables {
        v.variable_definition(def);
    }
    v.directives(p.directives, p.position);
    v.selection_set(&root, p.selection_set);
    for def in p.variables {
        if !v.used.contains(def.name.as_str()) {
            let msg = match &v.op_name {
                Some(op) => format!(
                    "Variable \"${}\" is never used in operation \"{op}\".",
                    def.name
                ),
                None => format!("Variable \"${}\" is never used.", def.name),
            };
            v.errors.push(GqlError::validation(msg, def.position));
        }
    }
    v.errors
}

struct Validator<'s, 'd, 'a> {
    schema: &'s Schema,
    fragments: BTreeMap<&'d str, &'d Fragment<'a>>,
    errors: Vec<GqlError>,
    /// Declared variables: type and whether a default was given.
    var_defs: BTreeMap<String, (TypeRef, bool)>,
    used: BTreeSet<String>,
    op_name: Option<String>,
    /// Fragments being expanded, to stop cycles.
    spreading: Vec<String>,
}

impl<'d, 'a> Validator<'_, 'd, 'a> {
    fn error(&mut self, msg: String, pos: Pos) {
        self.errors.push(GqlError::validation(msg, pos));
    }

    fn variable_definition(&mut self, def: &VariableDefinition<'a, String>) {
        let ty = TypeRef::from_ast(&def.var_type);
        if self.var_defs.contains_key(&def.name) {
            self.error(
                format!("There can be only one variable named \"${}\".", def.name),
                def.position,
            );
            return;
        }
        let base = ty.base();
        if self.schema.get(base).is_none() {
            self.error(format!("Unknown type \"{base}\"."), def.position);
        } else if !self.schema.is_input(base) {
            self.error(
                format!(
                    "Variable \"${}\" cannot be non-input type \"{ty}\".",
                    def.name
                ),
                def.position,
            );
        } else if let Some(default) = &def.default_value {
            self.value(default, &ty, false, def.position);
        }
        self.var_defs
            .insert(def.name.clone(), (ty, def.default_value.is_some()));
    }

    fn directives(&mut self, directives: &[Directive<'a, String>], pos: Pos) {
        for d in directives {
            if d.name != "skip" && d.name != "include" {
                self.error(format!("Unknown directive \"@{}\".", d.name), pos);
                continue;
            }
            let if_ty = TypeRef::NonNull(Box::new(TypeRef::Named("Boolean".into())));
            let mut seen_if = false;
            for (name, value) in &d.arguments {
                if name == "if" {
                    seen_if = true;
                    self.value(value, &if_ty, false, d.position);
                } else {
                    self.error(
                        format!("Unknown argument \"{name}\" on directive \"@{}\".", d.name),
                        d.position,
                    );
                }
            }
            if !seen_if {
                self.error(
                    format!(
                        "Directive \"@{}\" argument \"if\" of type \"Boolean!\" is required, but it was not provided.",
                        d.name
                    ),
                    d.position,
                );
            }
        }
    }

    fn selection_set(&mut self, parent: &str, set: &'d SelectionSet<'a, String>) {
        for item in &set.items {
            match item {
                Selection::Field(f) => self.field(parent, f),
                Selection::FragmentSpread(s) => {
                    self.directives(&s.directives, s.position);
                    let name = s.fragment_name.as_str();
                    let Some(frag) = self.fragments.get(name).copied() else {
                        self.error(format!("Unknown fragment \"{name}\"."), s.position);
                        continue;
                    };
                    if self.spreading.iter().any(|n| n == name) {
                        self.error(
                            format!("Cannot spread fragment \"{name}\" within itself."),
                            s.position,
                        );
                        continue;
                    }
                    let TypeCondition::On(cond) = &frag.type_condition;
                    if !self.type_condition(cond, parent, Some(name), s.position) {
                        continue;
                    }
                    self.directives(&frag.directives, frag.position);
                    self.spreading.push(name.to_string());
                    self.selection_set(cond, &frag.selection_set);
                    self.spreading.pop();
                }
                Selection::InlineFragment(i) => {
                    self.directives(&i.directives, i.position);
                    let cond = match &i.type_condition {
                        Some(TypeCondition::On(c)) => c.as_str(),
                        None => parent,
                    };
                    if self.type_condition(cond, parent, None, i.position) {
                        self.selection_set(cond, &i.selection_set);
                    }
                }
            }
        }
    }

    /// A fragment's type condition names a composite type that can overlap the parent.
    fn type_condition(&mut self, cond: &str, parent: &str, frag: Option<&str>, pos: Pos) -> bool {
        if self.schema.get(cond).is_none() {
            self.error(format!("Unknown type \"{cond}\"."), pos);
            return false;
        }
        if !self.schema.is_composite(cond) {
            self.error(
                format!("Fragment cannot condition on non composite type \"{cond}\"."),
                pos,
            );
            return false;
        }
        if !self.schema.types_overlap(cond, parent) {
            let what = frag
                .map(|f| format!("Fragment \"{f}\""))
                .unwrap_or_else(|| "Fragment".to_string());
            self.error(
                format!("{what} cannot be spread here as objects of type \"{parent}\" can never be of type \"{cond}\"."),
                pos,
            );
            return false;
        }
        true
    }

    fn field(&mut self, parent: &str, f: &'d Field<'a, String>) {
        self.directives(&f.directives, f.position);
        if f.name == "__typename" {
            if !f.arguments.is_empty() {
                self.error(
                    "Unknown argument on field \"__typename\".".to_string(),
                    f.position,
                );
            }
            if !f.selection_set.items.is_empty() {
                self.error(
                    "Field \"__typename\" must not have a selection since type \"String!\" has no subfields.".to_string(),
                    f.position,
                );
            }
            return;
        }
        let Some(def) = self.schema.field(parent, &f.name) else {
            self.error(
                format!("Cannot query field \"{}\" on type \"{parent}\".", f.name),
                f.position,
            );
            return;
        };
        self.arguments(parent, def, f);
        let base = def.ty.base();
        let has_selection = !f.selection_set.items.is_empty();
        if self.schema.is_composite(base) {
            if has_selection {
                self.selection_set(base, &f.selection_set);
            } else {
                self.error(
                    format!(
                        "Field \"{}\" of type \"{}\" must have a selection of subfields. Did you mean \"{} {{ ... }}\"?",
                        f.name, def.ty, f.name
                    ),
                    f.position,
                );
            }
        } else if has_selection {
            self.error(
                format!(
                    "Field \"{}\" must not have a selection since type \"{}\" has no subfields.",
                    f.name, def.ty
                ),
                f.position,
            );
        }
    }

    fn arguments(&mut self, parent: &str, def: &FieldDef, f: &'d Field<'a, String>) {
        let mut given = BTreeSet::new();
        for (name, value) in &f.arguments {
            if !given.insert(name.as_str()) {
                self.error(
                    format!("There can be only one argument named \"{name}\"."),
                    f.position,
                );
                continue;
            }
            match def.arg(name) {
                Some(arg) => self.value(value, &arg.ty, arg.default.is_some(), f.position),
                None => self.error(
                    format!(
                        "Unknown argument \"{name}\" on field \"{parent}.{}\".",
                        f.name
                    ),
                    f.position,
                ),
            }
        }
        for arg in def.args.iter().filter(|a| a.is_required()) {
            if !given.contains(arg.name.as_str()) {
                self.error(
                    format!(
                        "Field \"{}\" argument \"{}\" of type \"{}\" is required, but it was not provided.",
                        f.name, arg.name, arg.ty
                    ),
                    f.position,
                );
            }
        }
    }

    /// An inline value (possibly containing variables) in a position of type `ty`.
    fn value(&mut self, v: &Gql<'a, String>, ty: &TypeRef, location_default: bool, pos: Pos) {
        if let Gql::Variable(name) = v {
            self.used.insert(name.clone());
            match self.var_defs.get(name) {
                None => {
                    let msg = match &self.op_name {
                        Some(op) => {
                            format!("Variable \"${name}\" is not defined by operation \"{op}\".")
                        }
                        None => format!("Variable \"${name}\" is not defined."),
                    };
                    self.error(msg, pos);
                }
                Some((var_ty, var_default)) => {
                    if !usage_allowed(var_ty, *var_default || location_default, ty) {
                        let msg = format!(
                            "Variable \"${name}\" of type \"{var_ty}\" used in position expecting type \"{ty}\"."
                        );
                        self.error(msg, pos);
                    }
                }
            }
            return;
        }
        let inner = match ty {
            TypeRef::NonNull(inner) => {
                if matches!(v, Gql::Null) {
                    self.error(format!("Expected value of type \"{ty}\", found null."), pos);
                    return;
                }
                inner.as_ref()
            }
            other => other,
        };
        if matches!(v, Gql::Null) {
            return;
        }
        match inner {
            TypeRef::List(item) => match v {
                Gql::List(items) => {
                    for i in items {
                        self.value(i, item, false, pos);
                    }
                }
                single => self.value(single, item, false, pos),
            },
            TypeRef::Named(name) => self.named_value(v, name, ty, pos),
            TypeRef::NonNull(_) => {}
        }
    }

    fn named_value(&mut self, v: &Gql<'a, String>, name: &str, ty: &TypeRef, pos: Pos) {
        let found = || const_to_json(v);
        let ok = match (name, v) {
            ("String", Gql::String(_))
            | ("ID", Gql::String(_) | Gql::Int(_))
            | ("Int", Gql::Int(_))
            | ("Float", Gql::Int(_) | Gql::Float(_))
            | ("Boolean", Gql::Boolean(_)) => true,
            ("String" | "ID" | "Int" | "Float" | "Boolean", _) => false,
            _ => match self.schema.get(name) {
                Some(TypeDef::Scalar) => {
                    // Custom scalars take any literal; still account for variables inside.
                    self.mark_variables(v);
                    true
                }
                Some(TypeDef::Enum { values }) => match v {
                    Gql::Enum(e) if values.contains(e.as_str()) => true,
                    Gql::Enum(e) => {
                        self.error(
                            format!("Value \"{e}\" does not exist in \"{name}\" enum."),
                            pos,
                        );
                        return;
                    }
                    _ => false,
                },
                Some(TypeDef::InputObject { fields }) => {
                    let Gql::Object(given) = v else {
                        self.error(
                            format!("Expected value of type \"{ty}\", found {}.", found()),
                            pos,
                        );
                        return;
                    };
                    for key in given.keys() {
                        if !fields.iter().any(|f| &f.name == key) {
                            self.error(
                                format!("Field \"{key}\" is not defined by type \"{name}\"."),
                                pos,
                            );
                        }
                    }
                    for field in fields {
                        match given.get(&field.name) {
                            Some(fv) => self.value(fv, &field.ty, field.default.is_some(), pos),
                            None if field.is_required() => self.error(
                                format!(
                                    "Field \"{name}.{}\" of required type \"{}\" was not provided.",
                                    field.name, field.ty
                                ),
                                pos,
                            ),
                            None => {}
                        }
                    }
                    true
                }
                _ => false,
            },
        };
        if !ok {
            self.error(
                format!("Expected value of type \"{ty}\", found {}.", found()),
                pos,
            );
        }
    }

    fn mark_variables(&mut self, v: &Gql<'a, String>) {
        match v {
            Gql::Variable(name) => {
                self.used.insert(name.clone());
            }
            Gql::List(items) => items.iter().for_each(|i| self.mark_variables(i)),
            Gql::Object(map) => map.values().for_each(|i| self.mark_variables(i)),
            _ => {}
        }
    }
}

/// The spec's IsVariableUsageAllowed: a nullable variable may fill a non-null position only when
/// a default stands behind it.
fn usage_allowed(var_ty: &TypeRef, has_default: bool, location: &TypeRef) -> bool {
    if let (TypeRef::NonNull(loc_inner), false) = (location, var_ty.is_non_null()) {
        return has_default && is_subtype(var_ty, loc_inner);
    }
    is_subtype(var_ty, location)
}

fn is_subtype(var_ty: &TypeRef, location: &TypeRef) -> bool {
    match (var_ty, location) {
        (TypeRef::NonNull(a), TypeRef::NonNull(b)) => is_subtype(a, b),
        (TypeRef::NonNull(a), b) => is_subtype(a, b),
        (_, TypeRef::NonNull(_)) => false,
        (TypeRef::List(a), TypeRef::List(b)) => is_subtype(a, b),
        (TypeRef::List(_), _) | (_, TypeRef::List(_)) => false,
        (TypeRef::Named(a), TypeRef::Named(b)) => a == b,
    }
}

/// Coerce the request's `variables` to the operation's declared types (defaults applied, absent
/// nullable variables left absent). Errors here are request errors: nothing runs.
pub fn coerce_variables(
    schema: &Schema,
    op: &Op<'_>,
    given: &Map<String, Value>,
) -> Result<Map<String, Value>, Vec<GqlError>> {
    let mut out = Map::new();
    let mut errors = Vec::new();
    for def in parts(op).variables {
        let ty = TypeRef::from_ast(&def.var_type);
        let name = def.name.as_str();
        match (given.get(name), &def.default_value) {
            (Some(v), _) => match coerce(schema, v, &ty, name) {
                Ok(v) => {
                    out.insert(name.to_string(), v);
                }
                Err(e) => {
                    errors.push(GqlError::bad_input(e.variable_message(name)).at(def.position))
                }
            },
            (None, Some(default)) => {
                out.insert(name.to_string(), const_to_json(default));
            }
            (None, None) if ty.is_non_null() => errors.push(
                GqlError::bad_input(format!(
                    "Variable \"${name}\" of required type \"{ty}\" was not provided."
                ))
                .at(def.position),
            ),
            (None, None) => {}
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::railway::schema::schema;

    fn errors_of(query: &str) -> Vec<String> {
        let s = schema().expect("schema");
        let doc = graphql_parser::parse_query::<String>(query).expect("parses");
        let op = select_operation(&doc, None).expect("one operation");
        validate(s, &doc, op)
            .into_iter()
            .map(|e| e.message)
            .collect()
    }

    #[test]
    fn accepts_a_well_formed_operation_with_fragments() {
        let errs = errors_of(
            "query P($id: String!) { project(id: $id) { ...F environments(first: 2) { edges { node { id } } } } }
             fragment F on Project { id name __typename }",
        );
        assert!(errs.is_empty(), "{errs:?}");
    }

    #[test]
    fn reports_unknown_fields_arguments_and_missing_required_arguments() {
        let errs = errors_of("{ project(id: \"x\", foo: 1) { nme } service { id } }");
        assert!(
            errs.contains(&"Cannot query field \"nme\" on type \"Project\".".to_string()),
            "{errs:?}"
        );
        assert!(
            errs.contains(&"Unknown argument \"foo\" on field \"Query.project\".".to_string()),
            "{errs:?}"
        );
        assert!(
            errs.iter()
                .any(|e| e
                    .contains("Field \"service\" argument \"id\" of type \"String!\" is required")),
            "{errs:?}"
        );
    }

    #[test]
    fn checks_variable_declarations_and_usage() {
        let errs = errors_of("query Q($id: String, $unused: Int) { project(id: $id) { id } service(id: $nope) { id } }");
        assert!(
            errs.iter().any(|e| e.contains(
                "\"$id\" of type \"String\" used in position expecting type \"String!\""
            )),
            "{errs:?}"
        );
        assert!(
            errs.iter().any(|e| e.contains("\"$unused\" is never used")),
            "{errs:?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.contains("\"$nope\" is not defined by operation \"Q\"")),
            "{errs:?}"
        );
    }

    #[test]
    fn checks_inline_enum_values_and_leaf_selections() {
        let errs = errors_of(
            "mutation { serviceInstanceUpdate(serviceId: \"s\", input: {builder: MAVEN}) project: projectDelete(id: \"p\") { id } }",
        );
        assert!(
            errs.iter()
                .any(|e| e.contains("\"MAVEN\" does not exist in \"Builder\" enum")),
            "{errs:?}"
        );
        assert!(
            errs.iter().any(|e| e.contains("must not have a selection")),
            "{errs:?}"
        );
    }
}

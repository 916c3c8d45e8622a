//! Execution of a validated operation: fields are collected (aliases, fragments, `@skip`/`@include`),
//! arguments are built from inline values and variables and coerced, a [`Resolver`] produces each
//! field's value (objects are JSON values shaped like their schema type), and the result is
//! projected onto the selection set by the field's declared type, with `__typename` and the
//! spec's null propagation for non-null fields. Knows nothing about Railway's data; imports the
//! schema index, input coercion and the error type only.

use std::collections::BTreeSet;

use graphql_parser::query::{
    Directive, Field, Selection, SelectionSet, TypeCondition, Value as Gql,
};
use graphql_parser::Pos;
use serde_json::{Map, Value};

use super::error::{code, GqlError};
use super::input::coerce;
use super::schema::{Schema, TypeDef, TypeRef};
use super::validate::{parts, Doc, Op, OpKind};

/// Produces field values. Root fields get `Value::Null` as parent.
pub trait Resolver {
    /// `Ok(None)`: nothing computed, read the parent object's property of the same name.
    fn resolve(
        &mut self,
        parent_type: &str,
        parent: &Value,
        field: &str,
        args: &Map<String, Value>,
    ) -> Result<Option<Value>, GqlError>;
}

/// Run `op`; returns `data` (null when a non-null root field failed) and the field errors.
pub fn execute<'a>(
    schema: &Schema,
    doc: &Doc<'a>,
    op: &Op<'a>,
    variables: &Map<String, Value>,
    resolver: &mut dyn Resolver,
) -> (Value, Vec<GqlError>) {
    let p = parts(op);
    let root = match p.kind {
        OpKind::Mutation => schema.mutation_type.as_str(),
        _ => schema.query_type.as_str(),
    };
    let mut ex = Executor {
        schema,
        doc,
        variables,
        resolver,
        errors: Vec::new(),
    };
    let data = ex
        .selection(root, &Value::Null, &[p.selection_set], &[])
        .map(Value::Object)
        .unwrap_or(Value::Null);
    (data, ex.errors)
}

/// A non-null field came out null: its parent becomes null too.
struct Propagate;

struct Executor<'e, 'd, 'a> {
    schema: &'e Schema,
    doc: &'d Doc<'a>,
    variables: &'e Map<String, Value>,
    resolver: &'e mut dyn Resolver,
    errors: Vec<GqlError>,
}

type Collected<'d, 'a> = Vec<(String, Vec<&'d Field<'a, String>>)>;

impl<'d, 'a> Executor<'_, 'd, 'a> {
    fn selection(
        &mut self,
        type_name: &str,
        parent: &Value,
        sets: &[&'d SelectionSet<'a, String>],
        path: &[Value],
    ) -> Result<Map<String, Value>, Propagate> {
        let mut collected: Collected<'d, 'a> = Vec::new();
        let mut visited = BTreeSet::new();
        for set in sets {
            self.collect(type_name, set, &mut collected, &mut visited);
        }
        let mut out = Map::new();
        let mut propagate = false;
        for (key, fields) in collected {
            let f = fields[0];
            let mut field_path = path.to_vec();
            field_path.push(Value::String(key.clone()));
            if f.name == "__typename" {
                out.insert(key, Value::String(type_name.to_string()));
                continue;
            }
            let Some(def) = self.schema.field(type_name, &f.name) else {
                out.insert(key, Value::Null);
                continue;
            };
            let mut errored = false;
            let raw = match self.arguments(def, f) {
                Err(e) => Err(e),
                Ok(args) => self.resolver.resolve(type_name, parent, &f.name, &args),
            };
            let raw = match raw {
                Ok(Some(v)) => v,
                Ok(None) => parent.get(&f.name).cloned().unwrap_or(Value::Null),
                Err(mut e) => {
                    e.locations = vec![f.position];
                    e.path = Some(field_path.clone());
                    self.errors.push(e);
                    errored = true;
                    Value::Null
                }
            };
            let subsets: Vec<&'d SelectionSet<'a, String>> =
                fields.iter().map(|f| &f.selection_set).collect();
            let ctx = FieldCtx {
                parent_type: type_name,
                name: &f.name,
                pos: f.position,
                errored,
            };
            match self.complete(&def.ty, raw, &subsets, &field_path, &ctx) {
                Ok(v) => {
                    out.insert(key, v);
                }
                Err(Propagate) => propagate = true,
            }
        }
        if propagate {
            Err(Propagate)
        } else {
            Ok(out)
        }
    }

    fn complete(
        &mut self,
        ty: &TypeRef,
        value: Value,
        sets: &[&'d SelectionSet<'a, String>],
        path: &[Value],
        ctx: &FieldCtx<'_>,
    ) -> Result<Value, Propagate> {
        match ty {
            TypeRef::NonNull(inner) => {
                if value.is_null() {
                    if !ctx.errored {
                        let mut e = GqlError::new(
                            code::INTERNAL,
                            format!(
                                "Cannot return null for non-nullable field {}.{}.",
                                ctx.parent_type, ctx.name
                            ),
                        )
                        .at(ctx.pos);
                        e.path = Some(path.to_vec());
                        self.errors.push(e);
                    }
                    return Err(Propagate);
                }
                self.complete_value(inner, value, sets, path, ctx)
            }
            _ if value.is_null() => Ok(Value::Null),
            _ => Ok(self
                .complete_value(ty, value, sets, path, ctx)
                .unwrap_or(Value::Null)),
        }
    }

    fn complete_value(
        &mut self,
        ty: &TypeRef,
        value: Value,
        sets: &[&'d SelectionSet<'a, String>],
        path: &[Value],
        ctx: &FieldCtx<'_>,
    ) -> Result<Value, Propagate> {
        match ty {
            TypeRef::NonNull(_) => self.complete(ty, value, sets, path, ctx),
            TypeRef::List(item) => {
                let items = match value {
                    Value::Array(items) => items,
                    other => vec![other],
                };
                let mut out = Vec::with_capacity(items.len());
                for (i, v) in items.into_iter().enumerate() {
                    let mut p = path.to_vec();
                    p.push(Value::from(i));
                    out.push(self.complete(item, v, sets, &p, ctx)?);
                }
                Ok(Value::Array(out))
            }
            TypeRef::Named(name) => {
                if !self.schema.is_composite(name) {
                    return Ok(value);
                }
                let concrete = self.concrete_type(name, &value);
                self.selection(&concrete, &value, sets, path)
                    .map(Value::Object)
            }
        }
    }

    /// The object type of a value in an abstract position: its `__typename`, else the only
    /// possibility.
    fn concrete_type(&self, declared: &str, value: &Value) -> String {
        if matches!(self.schema.get(declared), Some(TypeDef::Object { .. })) {
            return declared.to_string();
        }
        value
            .get("__typename")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| self.schema.possible_types(declared).into_iter().next())
            .unwrap_or_else(|| declared.to_string())
    }

    fn collect(
        &self,
        type_name: &str,
        set: &'d SelectionSet<'a, String>,
        out: &mut Collected<'d, 'a>,
        visited: &mut BTreeSet<&'d str>,
    ) {
        for item in &set.items {
            match item {
                Selection::Field(f) => {
                    if !self.included(&f.directives) {
                        continue;
                    }
                    let key = f.alias.as_ref().unwrap_or(&f.name);
                    match out.iter_mut().find(|(k, _)| k == key) {
                        Some((_, fields)) => fields.push(f),
                        None => out.push((key.clone(), vec![f])),
                    }
                }
                Selection::FragmentSpread(s) => {
                    if !self.included(&s.directives) || !visited.insert(s.fragment_name.as_str()) {
                        continue;
                    }
                    let frag = self.doc.definitions.iter().find_map(|d| match d {
                        graphql_parser::query::Definition::Fragment(f)
                            if f.name == s.fragment_name =>
                        {
                            Some(f)
                        }
                        _ => None,
                    });
                    if let Some(frag) = frag {
                        let TypeCondition::On(cond) = &frag.type_condition;
                        if self.schema.object_matches(type_name, cond) {
                            self.collect(type_name, &frag.selection_set, out, visited);
                        }
                    }
                }
                Selection::InlineFragment(i) => {
                    if !self.included(&i.directives) {
                        continue;
                    }
                    let applies = match &i.type_condition {
                        Some(TypeCondition::On(cond)) => {
                            self.schema.object_matches(type_name, cond)
                        }
                        None => true,
                    };
                    if applies {
                        self.collect(type_name, &i.selection_set, out, visited);
                    }
                }
            }
        }
    }

    /// `@skip(if:)` / `@include(if:)`.
    fn included(&self, directives: &[Directive<'a, String>]) -> bool {
        directives.iter().all(|d| {
            let cond = d
                .arguments
                .iter()
                .find(|(n, _)| n == "if")
                .and_then(|(_, v)| self.to_json(v))
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            match d.name.as_str() {
                "skip" => !cond,
                "include" => cond,
                _ => true,
            }
        })
    }

    /// The field's arguments: given values (variables substituted) coerced to their types, schema
    /// defaults for the others; an argument whose variable was not provided stays absent.
    fn arguments(
        &self,
        def: &super::schema::FieldDef,
        f: &Field<'a, String>,
    ) -> Result<Map<String, Value>, GqlError> {
        let mut out = Map::new();
        for arg in &def.args {
            let given = f
                .arguments
                .iter()
                .find(|(n, _)| n == &arg.name)
                .and_then(|(_, v)| self.to_json(v));
            match (given, &arg.default) {
                (Some(v), _) => {
                    let v = coerce(self.schema, &v, &arg.ty, &arg.name)
                        .map_err(|e| GqlError::bad_input(e.argument_message(&arg.name)))?;
                    out.insert(arg.name.clone(), v);
                }
                (None, Some(d)) => {
                    out.insert(arg.name.clone(), d.clone());
                }
                (None, None) if arg.ty.is_non_null() => {
                    return Err(GqlError::bad_input(format!(
                        "Argument \"{}\" of required type \"{}\" was not provided.",
                        arg.name, arg.ty
                    )))
                }
                (None, None) => {}
            }
        }
        Ok(out)
    }

    /// An inline value with variables substituted; `None` for an unprovided variable.
    fn to_json(&self, v: &Gql<'a, String>) -> Option<Value> {
        Some(match v {
            Gql::Variable(name) => return self.variables.get(name).cloned(),
            Gql::List(items) => Value::Array(
                items
                    .iter()
                    .map(|i| self.to_json(i).unwrap_or(Value::Null))
                    .collect(),
            ),
            Gql::Object(map) => Value::Object(
                map.iter()
                    .filter_map(|(k, v)| self.to_json(v).map(|v| (k.clone(), v)))
                    .collect(),
            ),
            other => super::schema::const_to_json(other),
        })
    }
}

struct FieldCtx<'c> {
    parent_type: &'c str,
    name: &'c str,
    pos: Pos,
    /// The resolver already reported an error for this field: no second "cannot return null".
    errored: bool,
}

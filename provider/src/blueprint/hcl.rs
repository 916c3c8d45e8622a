//! A small HCL writer: blocks, attributes and expressions rendered in `terraform fmt` layout
//! (two-space indent, `=` aligned across runs of one-line attributes), with HCL's string escaping
//! (`\`, `"`, control characters, and `${` / `%{` which would otherwise start a template) and
//! heredocs for multi-line strings. Knows nothing of Render or Blueprints; imports only `std`.

use std::fmt::Write as _;

/// One piece of a string template: literal text (escaped when written) or an interpolated
/// expression (written inside `${…}` as is).
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Lit(String),
    Interp(String),
}

/// An HCL expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A literal string: quoted and escaped, or a heredoc when it spans lines.
    Str(String),
    /// A string template mixing literal text and `${…}` interpolations.
    Template(Vec<Part>),
    /// An expression written verbatim: a reference such as `render_database.main.host`.
    Raw(String),
    Bool(bool),
    Int(i64),
    List(Vec<Expr>),
    /// Attributes of an object, in the order given.
    Object(Vec<(String, Expr)>),
}

impl Expr {
    pub fn str(s: impl Into<String>) -> Expr {
        Expr::Str(s.into())
    }
    pub fn raw(s: impl Into<String>) -> Expr {
        Expr::Raw(s.into())
    }
    pub fn object<K: Into<String>>(items: impl IntoIterator<Item = (K, Expr)>) -> Expr {
        Expr::Object(items.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

/// A body item: an attribute, a nested block or a comment line.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Attr(String, Expr),
    Block(Block),
    Comment(String),
}

/// `kind "label" "label" { body }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    pub body: Vec<Item>,
}

impl Block {
    pub fn new(kind: &str, labels: &[&str]) -> Block {
        Block {
            kind: kind.to_string(),
            labels: labels.iter().map(|l| l.to_string()).collect(),
            body: Vec::new(),
        }
    }
    pub fn attr(&mut self, name: &str, value: Expr) -> &mut Block {
        self.body.push(Item::Attr(name.to_string(), value));
        self
    }
    pub fn block(&mut self, b: Block) -> &mut Block {
        self.body.push(Item::Block(b));
        self
    }
    pub fn comment(&mut self, text: &str) -> &mut Block {
        self.body.push(Item::Comment(text.to_string()));
        self
    }
    /// The block as HCL text, ending with a newline.
    pub fn render(&self) -> String {
        let mut out = String::new();
        write_block(&mut out, self, 0);
        out
    }
}

/// Top-level blocks separated by blank lines.
pub fn render_file(header: &[&str], blocks: &[Block]) -> String {
    let mut out = String::new();
    for line in header {
        let _ = writeln!(out, "# {line}");
    }
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 || !header.is_empty() {
            out.push('\n');
        }
        write_block(&mut out, b, 0);
    }
    out
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write_block(out: &mut String, b: &Block, level: usize) {
    indent(out, level);
    out.push_str(&b.kind);
    for l in &b.labels {
        out.push(' ');
        out.push_str(&quote(l));
    }
    out.push_str(" {\n");
    write_body(out, &b.body, level + 1);
    indent(out, level);
    out.push_str("}\n");
}

/// Attributes whose value fits on one line (or is a heredoc) are aligned on `=` like
/// `terraform fmt` does; a multi-line bracketed value, a nested block or a comment ends the run.
fn write_body(out: &mut String, items: &[Item], level: usize) {
    let rendered: Vec<Option<(String, String)>> = items
        .iter()
        .map(|it| match it {
            Item::Attr(name, e) => Some((key(name), expr(e, level))),
            _ => None,
        })
        .collect();
    let mut i = 0;
    while i < items.len() {
        match (&items[i], &rendered[i]) {
            (Item::Attr(..), Some((_, v))) if alignable(v) => {
                let end = (i..items.len())
                    .find(|&j| !matches!(&rendered[j], Some((_, v)) if alignable(v)))
                    .unwrap_or(items.len());
                let width = rendered[i..end]
                    .iter()
                    .flatten()
                    .map(|(k, _)| k.chars().count())
                    .max()
                    .unwrap_or(0);
                for (k2, v2) in rendered[i..end].iter().flatten() {
                    indent(out, level);
                    let pad = width - k2.chars().count();
                    let _ = writeln!(out, "{k2}{} = {v2}", " ".repeat(pad));
                }
                i = end;
                continue;
            }
            (Item::Attr(..), Some((k, v))) => {
                indent(out, level);
                let _ = writeln!(out, "{k} = {v}");
            }
            (Item::Block(b), _) => {
                if i > 0 {
                    out.push('\n');
                }
                write_block(out, b, level);
            }
            (Item::Comment(c), _) => {
                indent(out, level);
                let _ = writeln!(out, "# {}", c.replace('\n', " "));
            }
            (Item::Attr(..), None) => {}
        }
        i += 1;
    }
}

/// Whether a rendered value takes part in `=` alignment: one-line values and heredocs do.
fn alignable(v: &str) -> bool {
    !v.contains('\n') || v.starts_with("<<")
}

/// An attribute or object key: bare when it is an identifier, else a quoted string.
pub fn key(name: &str) -> String {
    if is_identifier(name) {
        name.to_string()
    } else {
        quote(name)
    }
}

/// Names safe to write bare: a letter or `_`, then letters, digits and `_` (HCL also allows `-`,
/// but `a-b` reads like a subtraction, so those are quoted), and not a keyword literal.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(s, "true" | "false" | "null")
}

/// A Terraform name (resource, variable, output) made from any text: lower case, runs of other
/// characters become `_`, never empty, never starting with a digit.
pub fn snake(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let trimmed = out.trim_matches('_');
    match trimmed.chars().next() {
        None => "unnamed".to_string(),
        Some(c) if c.is_ascii_digit() => format!("_{trimmed}"),
        Some(_) => trimmed.to_string(),
    }
}

fn expr(e: &Expr, level: usize) -> String {
    match e {
        Expr::Str(s) => heredoc(s).unwrap_or_else(|| quote(s)),
        Expr::Template(parts) => template(parts),
        Expr::Raw(r) => r.clone(),
        Expr::Bool(b) => b.to_string(),
        Expr::Int(n) => n.to_string(),
        Expr::List(items) => list(items, level),
        Expr::Object(attrs) => object(attrs, level),
    }
}

fn list(items: &[Expr], level: usize) -> String {
    let parts: Vec<String> = items.iter().map(|e| expr(e, level + 1)).collect();
    let one_line = format!("[{}]", parts.join(", "));
    if !one_line.contains('\n') && one_line.len() <= 100 {
        return one_line;
    }
    let mut out = String::from("[\n");
    for p in parts {
        indent(&mut out, level + 1);
        let _ = writeln!(out, "{p},");
    }
    indent(&mut out, level);
    out.push(']');
    out
}

/// Small objects of scalar values stay on one line (`{ value = "x" }`); others are expanded
/// with their keys aligned.
fn object(attrs: &[(String, Expr)], level: usize) -> String {
    if attrs.is_empty() {
        return "{}".to_string();
    }
    let inline: Vec<String> = attrs
        .iter()
        .map(|(k, v)| format!("{} = {}", key(k), expr(v, level + 1)))
        .collect();
    let one_line = format!("{{ {} }}", inline.join(", "));
    let flat = attrs
        .iter()
        .all(|(_, v)| !matches!(v, Expr::Object(_) | Expr::List(_)));
    if flat && attrs.len() <= 3 && !one_line.contains('\n') && one_line.len() <= 80 {
        return one_line;
    }
    let items: Vec<Item> = attrs
        .iter()
        .map(|(k, v)| Item::Attr(k.clone(), v.clone()))
        .collect();
    let mut out = String::from("{\n");
    write_body(&mut out, &items, level + 1);
    indent(&mut out, level);
    out.push('}');
    out
}

fn template(parts: &[Part]) -> String {
    let mut out = String::from("\"");
    for p in parts {
        match p {
            Part::Lit(s) => out.push_str(&escape(s)),
            Part::Interp(e) => {
                out.push_str("${");
                out.push_str(e);
                out.push('}');
            }
        }
    }
    out.push('"');
    out
}

/// A quoted HCL string literal.
pub fn quote(s: &str) -> String {
    format!("\"{}\"", escape(s))
}

/// Escapes for a quoted HCL template: backslash, quote, control characters, and the template
/// introducers `${` and `%{` (doubled: `$${`, `%%{`), so the text is taken literally.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// A heredoc for text of several lines that ends with a newline and has no other control
/// characters (a heredoc's value always ends with a newline and keeps backslashes literally).
/// Template introducers are still escaped. None when the text is not suited.
fn heredoc(s: &str) -> Option<String> {
    let body = s.strip_suffix('\n')?;
    if !body.contains('\n') || s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return None;
    }
    let lines: Vec<&str> = body.split('\n').collect();
    let delimiter = (0..)
        .map(|n| {
            if n == 0 {
                "EOT".to_string()
            } else {
                format!("EOT{n}")
            }
        })
        .find(|d| lines.iter().all(|l| l.trim() != d))?;
    let mut out = format!("<<{delimiter}\n");
    for l in lines {
        out.push_str(&l.replace("${", "$${").replace("%{", "%%{"));
        out.push('\n');
    }
    out.push_str(&delimiter);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_quotes_backslashes_and_controls() {
        assert_eq!(quote(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(quote("tab\there\r"), r#""tab\there\r""#);
        assert_eq!(quote("bell\u{7}"), r#""bell\u0007""#);
        assert_eq!(quote("ünïcödé ✓"), "\"ünïcödé ✓\"");
    }

    #[test]
    fn escapes_template_introducers_only() {
        assert_eq!(quote("${PORT}"), r#""$${PORT}""#);
        assert_eq!(quote("%{if x}"), r#""%%{if x}""#);
        assert_eq!(quote("$PORT 100% {x} $"), r#""$PORT 100% {x} $""#);
        assert_eq!(quote("$${x}"), r#""$$${x}""#);
    }

    #[test]
    fn multi_line_strings_become_heredocs() {
        let e = expr(&Expr::str("npm ci\nnpm run build -- ${X}\n"), 1);
        assert_eq!(e, "<<EOT\nnpm ci\nnpm run build -- $${X}\nEOT");
        // The delimiter never collides with a content line.
        let e = expr(&Expr::str("a\nEOT\n"), 0);
        assert_eq!(e, "<<EOT1\na\nEOT\nEOT1");
        // Without a final newline a heredoc would add one: quoted instead.
        assert_eq!(expr(&Expr::str("a\nb"), 0), r#""a\nb""#);
        // A single line with a newline is clearer quoted.
        assert_eq!(expr(&Expr::str("a\n"), 0), r#""a\n""#);
    }

    #[test]
    fn templates_escape_literals_and_keep_interpolations() {
        let t = Expr::Template(vec![
            Part::Lit("http://".into()),
            Part::Interp("render_service.api.host".into()),
            Part::Lit(":10000/${x}".into()),
        ]);
        assert_eq!(
            expr(&t, 0),
            r#""http://${render_service.api.host}:10000/$${x}""#
        );
    }

    #[test]
    fn keys_and_names() {
        assert_eq!(key("DATABASE_URL"), "DATABASE_URL");
        assert_eq!(key("my-key"), "\"my-key\"");
        assert_eq!(key("null"), "\"null\"");
        assert_eq!(key("1X"), "\"1X\"");
        assert_eq!(key("a.b"), "\"a.b\"");
        assert_eq!(snake("kirby-gen-api"), "kirby_gen_api");
        assert_eq!(snake("My API (v2)"), "my_api_v2");
        assert_eq!(snake("9lives"), "_9lives");
        assert_eq!(snake("---"), "unnamed");
    }

    #[test]
    fn blocks_align_like_terraform_fmt() {
        let mut b = Block::new("resource", &["render_service", "api"]);
        b.attr("type", Expr::str("web_service"))
            .attr("name", Expr::str("api"))
            .attr("num_instances", Expr::Int(2))
            .attr(
                "env_vars",
                Expr::object([
                    ("A", Expr::object([("value", Expr::str("1"))])),
                    (
                        "LONG_NAME",
                        Expr::object([("generate_value", Expr::Bool(true))]),
                    ),
                ]),
            )
            .attr("custom_domains", Expr::List(vec![Expr::str("x.example")]));
        assert_eq!(
            b.render(),
            r#"resource "render_service" "api" {
  type          = "web_service"
  name          = "api"
  num_instances = 2
  env_vars = {
    A         = { value = "1" }
    LONG_NAME = { generate_value = true }
  }
  custom_domains = ["x.example"]
}
"#
        );
    }

    #[test]
    fn heredocs_stay_in_the_alignment_run() {
        let mut b = Block::new("r", &[]);
        b.attr("a", Expr::Int(1))
            .attr("build", Expr::str("x\ny\n"))
            .attr("ccc", Expr::Int(2));
        assert_eq!(
            b.render(),
            "r {\n  a     = 1\n  build = <<EOT\nx\ny\nEOT\n  ccc   = 2\n}\n"
        );
    }

    #[test]
    fn labels_are_escaped_and_nested_blocks_separated() {
        let mut t = Block::new("terraform", &[]);
        let mut rp = Block::new("required_providers", &[]);
        rp.attr(
            "render",
            Expr::object([
                ("source", Expr::str("paasform/render")),
                ("version", Expr::str("~> 0.1")),
            ]),
        );
        t.block(rp);
        assert_eq!(
            t.render(),
            "terraform {\n  required_providers {\n    render = { source = \"paasform/render\", version = \"~> 0.1\" }\n  }\n}\n"
        );
        assert_eq!(
            Block::new("variable", &["a\"b"]).render(),
            "variable \"a\\\"b\" {\n}\n"
        );
    }
}

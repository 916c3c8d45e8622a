//! Attribute paths (`root("env_vars").key("API_KEY").attr("value")`), as diagnostics and plan
//! modifiers name a place in a value. Must not import protocol or clouds.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    Attr(String),
    Key(String),
    Index(usize),
}

#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Path(Vec<Step>);

impl Path {
    pub fn root(attr: &str) -> Path {
        Path(vec![Step::Attr(attr.to_string())])
    }
    pub fn empty() -> Path {
        Path(Vec::new())
    }
    pub fn attr(mut self, a: &str) -> Path {
        self.0.push(Step::Attr(a.to_string()));
        self
    }
    pub fn key(mut self, k: &str) -> Path {
        self.0.push(Step::Key(k.to_string()));
        self
    }
    pub fn index(mut self, i: usize) -> Path {
        self.0.push(Step::Index(i));
        self
    }
    pub fn steps(&self) -> &[Step] {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Step::Attr(a) if i == 0 => write!(f, "{a}")?,
                Step::Attr(a) => write!(f, ".{a}")?,
                Step::Key(k) => write!(f, "[{k:?}]")?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

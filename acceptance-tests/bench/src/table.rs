//! A Markdown table builder: a header row, data rows, and rendering with a separator line.
//! Imports nothing from the rest of the bench.

/// A Markdown table being built.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; missing cells render empty, extra cells are kept (Markdown tolerates them).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as Markdown, ending with a newline. `|` inside cells is escaped.
    pub fn render(&self) -> String {
        let line = |cells: &[String]| {
            let padded: Vec<String> = (0..self.header.len().max(cells.len()))
                .map(|i| {
                    cells
                        .get(i)
                        .map_or(String::new(), |c| c.replace('|', "\\|"))
                })
                .collect();
            format!("| {} |\n", padded.join(" | "))
        };
        let mut out = line(&self.header);
        out.push_str(&format!("|{}\n", "---|".repeat(self.header.len())));
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_header_separator_and_rows() {
        let mut t = Table::new(&["a", "b"]);
        t.row(vec!["1".into(), "x|y".into()]);
        t.row(vec!["2".into()]);
        assert_eq!(
            t.render(),
            "| a | b |\n|---|---|\n| 1 | x\\|y |\n| 2 |  |\n"
        );
    }
}

//! Line coverage: which lines of a script begin a statement, how often each ran, the text
//! report (`dg test --coverage`, `dg run --coverage`) and the `lcov.info` tracefile.

use crate::syntax::ast::{Script, Stmt, StmtKind};
use crate::syntax::SourceFile;
use std::collections::BTreeMap;

/// One script file's lines that begin a statement, each with the times it ran.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileCoverage {
    /// The file's path as the report names it.
    pub path: String,
    /// Executable line (1-based) -> hits.
    lines: BTreeMap<u32, u64>,
}

impl FileCoverage {
    /// A file's coverage after a run: every line that begins a statement (in the body, in
    /// every function, in every branch), with the hits the interpreter counted per line
    /// (`hits[line]`; missing entries are 0).
    pub fn from_run(path: &str, src: &SourceFile, script: &Script, hits: &[u64]) -> FileCoverage {
        let mut lines = BTreeMap::new();
        let mut add = |s: &Stmt| {
            let line = src.line_of(s.span.start as usize);
            lines.insert(line as u32, hits.get(line).copied().unwrap_or(0));
        };
        walk(&script.main.stmts, &mut add);
        for f in &script.functions {
            walk(&f.body.stmts, &mut add);
        }
        FileCoverage { path: path.to_string(), lines }
    }

    /// Coverage from explicit `(line, hits)` pairs.
    pub fn new(path: &str, lines: impl IntoIterator<Item = (u32, u64)>) -> FileCoverage {
        FileCoverage { path: path.to_string(), lines: lines.into_iter().collect() }
    }

    /// Add another run of the same file: hits add up, executable lines are the union.
    pub fn merge(&mut self, other: &FileCoverage) {
        for (&line, &n) in &other.lines {
            *self.lines.entry(line).or_insert(0) += n;
        }
    }

    /// Lines that begin a statement.
    pub fn executable(&self) -> usize {
        self.lines.len()
    }

    /// Lines that began a statement which ran at least once.
    pub fn executed(&self) -> usize {
        self.lines.values().filter(|&&n| n > 0).count()
    }

    /// Lines whose statements never ran, ascending.
    pub fn missed(&self) -> Vec<u32> {
        self.lines.iter().filter(|(_, &n)| n == 0).map(|(&l, _)| l).collect()
    }

    /// Each executable line and its hits, ascending.
    pub fn hits(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.lines.iter().map(|(&l, &n)| (l, n))
    }
}

/// Every statement of a block, nested blocks included, in source order.
fn walk(stmts: &[Stmt], f: &mut impl FnMut(&Stmt)) {
    for s in stmts {
        f(s);
        match &s.node {
            StmtKind::If { branches, otherwise } => {
                for (_, body) in branches {
                    walk(body, f);
                }
                if let Some(body) = otherwise {
                    walk(body, f);
                }
            }
            StmtKind::ForEach { body, .. } | StmtKind::ForIndex { body, .. } => walk(body, f),
            StmtKind::Try { body, handler, .. } => {
                walk(body, f);
                walk(handler, f);
            }
            StmtKind::Assign { .. }
            | StmtKind::SetField { .. }
            | StmtKind::Expr(_)
            | StmtKind::Info(_)
            | StmtKind::Return(_)
            | StmtKind::Break
            | StmtKind::Continue
            | StmtKind::SendMail(_)
            | StmtKind::CreatorOnly(_) => {}
        }
    }
}

/// Ascending line numbers as compact ranges of consecutive lines: `12-14, 20`.
pub fn ranges(lines: &[u32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let start = lines[i];
        let mut end = start;
        while i + 1 < lines.len() && lines[i + 1] == end + 1 {
            i += 1;
            end = lines[i];
        }
        out.push(if start == end { start.to_string() } else { format!("{start}-{end}") });
        i += 1;
    }
    out.join(", ")
}

fn percent(executed: usize, executable: usize) -> String {
    if executable == 0 {
        return "-".to_string();
    }
    format!("{:.1}%", executed as f64 * 100.0 / executable as f64)
}

/// The coverage of several files, and the files that could not be measured (with why).
#[derive(Debug, Clone, Default)]
pub struct Report {
    files: BTreeMap<String, FileCoverage>,
    unmeasured: BTreeMap<String, String>,
}

impl Report {
    /// Add a file's coverage (merged with an earlier run of the same path).
    pub fn add(&mut self, file: FileCoverage) {
        self.unmeasured.remove(&file.path);
        match self.files.get_mut(&file.path) {
            Some(have) => have.merge(&file),
            None => {
                self.files.insert(file.path.clone(), file);
            }
        }
    }

    /// A file that has no coverage, and why (it does not parse, it did not run).
    pub fn unmeasured(&mut self, path: &str, why: &str) {
        if !self.files.contains_key(path) {
            self.unmeasured.insert(path.to_string(), why.to_string());
        }
    }

    pub fn files(&self) -> impl Iterator<Item = &FileCoverage> {
        self.files.values()
    }

    /// The text report: one line per script (lines run / lines with a statement, the
    /// percentage, the lines never run), then the total; `name` says how a path is shown.
    pub fn text(&self, name: impl Fn(&str) -> String) -> String {
        let mut rows: Vec<[String; 4]> = Vec::new();
        let (mut run, mut all) = (0, 0);
        for f in self.files.values() {
            let (e, n) = (f.executed(), f.executable());
            run += e;
            all += n;
            let missed = f.missed();
            let tail = if missed.is_empty() { String::new() } else { format!("not run: {}", ranges(&missed)) };
            rows.push([name(&f.path), format!("{e}/{n}"), percent(e, n), tail]);
        }
        for (path, why) in &self.unmeasured {
            rows.push([name(path), "-".into(), "-".into(), why.clone()]);
        }
        rows.sort();
        if rows.len() > 1 {
            rows.push(["total".into(), format!("{run}/{all}"), percent(run, all), String::new()]);
        }
        let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
        let (w0, w1, w2) = (width(0), width(1), width(2));
        let mut out = String::from("coverage (lines run / lines with a statement):\n");
        for [path, count, pct, tail] in &rows {
            let line = format!("  {path:<w0$}  {count:>w1$}  {pct:>w2$}  {tail}");
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// The `lcov.info` tracefile (geninfo's format): per file `TN:`, `SF:path`, one
    /// `DA:line,hits` per executable line, `LF:` lines found, `LH:` lines hit, `end_of_record`.
    pub fn lcov(&self) -> String {
        let mut out = String::new();
        for f in self.files.values() {
            out.push_str("TN:\n");
            out.push_str(&format!("SF:{}\n", f.path));
            for (line, n) in f.hits() {
                out.push_str(&format!("DA:{line},{n}\n"));
            }
            out.push_str(&format!("LF:{}\nLH:{}\nend_of_record\n", f.executable(), f.executed()));
        }
        out
    }
}

/// Read an `lcov.info` tracefile's line records back (what `dg run --coverage-out` wrote);
/// records other than `SF`, `DA` and `end_of_record` are skipped.
pub fn parse_lcov(text: &str) -> Result<Vec<FileCoverage>, String> {
    let mut files = Vec::new();
    let mut current: Option<FileCoverage> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(path) = line.strip_prefix("SF:") {
            current = Some(FileCoverage::new(path, []));
        } else if let Some(rest) = line.strip_prefix("DA:") {
            let bad = || format!("line {}: expected DA:LINE,HITS, found '{line}'", i + 1);
            let file = current.as_mut().ok_or_else(|| format!("line {}: DA before any SF", i + 1))?;
            let mut parts = rest.split(',');
            let l: u32 = parts.next().and_then(|p| p.trim().parse().ok()).ok_or_else(bad)?;
            let n: u64 = parts.next().and_then(|p| p.trim().parse().ok()).ok_or_else(bad)?;
            *file.lines.entry(l).or_insert(0) += n;
        } else if line == "end_of_record" {
            files.extend(current.take());
        }
    }
    files.extend(current);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_compact_consecutive_lines() {
        assert_eq!(ranges(&[]), "");
        assert_eq!(ranges(&[7]), "7");
        assert_eq!(ranges(&[12, 13, 14, 20]), "12-14, 20");
        assert_eq!(ranges(&[1, 3, 4, 6, 7, 8, 10]), "1, 3-4, 6-8, 10");
    }

    fn covered(text: &str, hits: &[u64]) -> FileCoverage {
        let src = SourceFile::new("t.dg", text);
        let script = crate::syntax::parse(&src).expect("parses");
        FileCoverage::from_run("t.dg", &src, &script, hits)
    }

    #[test]
    fn every_statement_kind_and_nested_block_is_executable() {
        let text = "x = 1;\nif (x > 0)\n{\n\tinfo \"a\";\n}\nelse\n{\n\tinfo \"b\";\n}\n\
                    for each i in {1}\n{\n\ttry\n\t{\n\t\ty = i;\n\t}\n\tcatch (e)\n\t{\n\t\tinfo e;\n\t}\n}\n\
                    r = invokeurl\n[\n\turl :\"https://example.com\"\n\ttype :GET\n];\nreturn;\n";
        let f = covered(text, &[]);
        let lines: Vec<u32> = f.hits().map(|(l, _)| l).collect();
        // the invokeurl block (lines 21-25) counts once, on its first line
        assert_eq!(lines, [1, 2, 4, 8, 10, 12, 14, 18, 21, 26]);
    }

    #[test]
    fn functions_count_and_hits_come_from_the_run() {
        let text = "void main()\n{\n\tinfo 1;\n}\nint other(int a)\n{\n\treturn a;\n}\n";
        let f = covered(text, &[0, 0, 0, 1]);
        assert_eq!((f.executed(), f.executable()), (1, 2));
        assert_eq!(f.missed(), [7]);
    }

    #[test]
    fn lcov_output_and_round_trip() {
        let mut r = Report::default();
        r.add(FileCoverage::new("/w/a.dg", [(1, 2), (3, 0), (5, 6)]));
        r.add(FileCoverage::new("/w/b.dg", [(2, 1)]));
        let text = r.lcov();
        assert_eq!(
            text,
            "TN:\nSF:/w/a.dg\nDA:1,2\nDA:3,0\nDA:5,6\nLF:3\nLH:2\nend_of_record\n\
             TN:\nSF:/w/b.dg\nDA:2,1\nLF:1\nLH:1\nend_of_record\n"
        );
        let back = parse_lcov(&text).expect("parses");
        assert_eq!(back, r.files().cloned().collect::<Vec<_>>());
        assert!(parse_lcov("SF:x\nDA:1\n").unwrap_err().contains("line 2"));
        assert!(parse_lcov("DA:1,1\n").is_err());
    }

    #[test]
    fn runs_of_one_file_merge_and_the_text_report_lists_missed_lines() {
        let mut r = Report::default();
        r.add(FileCoverage::new("a.dg", [(1, 1), (2, 0), (3, 0), (4, 0), (9, 0)]));
        r.add(FileCoverage::new("a.dg", [(1, 1), (2, 1), (3, 0), (4, 0), (9, 0)]));
        r.add(FileCoverage::new("c.dg", [(1, 1)]));
        r.unmeasured("b.dg", "does not parse");
        assert_eq!(
            r.text(|p| p.to_string()),
            "coverage (lines run / lines with a statement):\n\
             \x20 a.dg   2/5   40.0%  not run: 3-4, 9\n\
             \x20 b.dg     -       -  does not parse\n\
             \x20 c.dg   1/1  100.0%\n\
             \x20 total  3/6   50.0%\n"
        );
    }
}

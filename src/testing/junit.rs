//! JUnit XML for `dg test --junit FILE`: one `testcase` per test, failures carry the diff.

use super::{Outcome, TestResult};
use std::path::PathBuf;

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // characters XML 1.0 cannot hold at all
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The report: `missing` are scripts without a `.out` (failures too).
pub fn xml(results: &[TestResult], missing: &[PathBuf]) -> String {
    let failures = results.iter().filter(|r| matches!(r.outcome, Outcome::Failed { .. })).count() + missing.len();
    let skipped = results.iter().filter(|r| matches!(r.outcome, Outcome::Skipped(_))).count();
    let total: f64 = results.iter().map(|r| r.time.as_secs_f64()).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites tests=\"{}\" failures=\"{failures}\" time=\"{total:.3}\">\n<testsuite name=\"dg test\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"{total:.3}\">\n",
        results.len() + missing.len(),
        results.len() + missing.len()
    ));
    for r in results {
        let name = escape(&r.name);
        let time = r.time.as_secs_f64();
        match &r.outcome {
            Outcome::Failed { plain, .. } => out.push_str(&format!(
                "  <testcase name=\"{name}\" classname=\"dg\" time=\"{time:.3}\">\n    <failure message=\"output differs from {name}.out\">{}</failure>\n  </testcase>\n",
                escape(plain)
            )),
            Outcome::Skipped(why) => out.push_str(&format!(
                "  <testcase name=\"{name}\" classname=\"dg\" time=\"0.000\">\n    <skipped message=\"{}\"/>\n  </testcase>\n",
                escape(why)
            )),
            _ => out.push_str(&format!("  <testcase name=\"{name}\" classname=\"dg\" time=\"{time:.3}\"/>\n")),
        }
    }
    for p in missing {
        let name = escape(&p.with_extension("").display().to_string());
        out.push_str(&format!(
            "  <testcase name=\"{name}\" classname=\"dg\" time=\"0.000\">\n    <failure message=\"no {name}.out\"/>\n  </testcase>\n"
        ));
    }
    out.push_str("</testsuite>\n</testsuites>\n");
    out
}

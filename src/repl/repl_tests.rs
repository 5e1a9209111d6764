//! Unit tests of the REPL's pieces: entry assembly, completion, highlighting.

use super::complete::{complete, zoho_names, Kind, Known};
use super::input::{Entry, Input, Step};

fn feed(lines: &[&str]) -> Vec<Step> {
    let mut input = Input::new();
    let mut out = Vec::new();
    for l in lines {
        out.extend(input.line(l));
    }
    out.extend(input.finish());
    out
}

fn entry(text: &str, first_line: usize) -> Step {
    Step::Entry(Entry { text: text.to_string(), first_line })
}

#[test]
fn lines_join_until_the_statement_is_complete() {
    assert_eq!(
        feed(&["x = 1;", "m = {", "  \"a\": 1", "};", "info x;"]),
        vec![entry("x = 1;", 1), entry("m = {\n  \"a\": 1\n};", 2), entry("info x;", 5)]
    );
}

#[test]
fn an_if_block_waits_one_line_for_else() {
    assert_eq!(
        feed(&["if (x > 1)", "{", "  info 1;", "}", "else", "{ info 2; }", "info 3;"]),
        vec![entry("if (x > 1)\n{\n  info 1;\n}\nelse\n{ info 2; }", 1), entry("info 3;", 7)]
    );
    assert_eq!(feed(&["if (x) { info 1; }", "", "info 2;"]), vec![entry("if (x) { info 1; }", 1), entry("info 2;", 3)]);
    assert_eq!(feed(&["if (x) { info 1; }", "info 2;"]), vec![entry("if (x) { info 1; }", 1), entry("info 2;", 2)]);
}

#[test]
fn commands_and_blank_lines() {
    assert_eq!(
        feed(&["", ":vars", "  :load a.dg  ", "x = 1;"]),
        vec![Step::Command(":vars".into(), 2), Step::Command(":load a.dg".into(), 3), entry("x = 1;", 4)]
    );
}

#[test]
fn unfinished_input_at_the_end_is_still_an_entry() {
    assert_eq!(feed(&["x = {", "1"]), vec![entry("x = {\n1", 1)]);
}

#[test]
fn cancel_drops_the_open_entry() {
    let mut input = Input::new();
    assert!(input.line("x = {").is_empty());
    assert!(input.pending());
    input.cancel();
    assert!(!input.pending());
    assert_eq!(input.line("y = 2;"), vec![entry("y = 2;", 2)]);
}

#[test]
fn incomplete_covers_what_a_user_leaves_open() {
    for open in [
        "x = {",
        "x = \"abc",
        "r = invokeurl",
        "r = invokeurl [",
        "r = invokeurl [ url: \"https://x\"",
        "if (c)",
        "if (c) {",
        "void f() {",
        "int twice(int n)",
        "try { info 1; }",
        "info 1 +",
        "/* note",
        "x = y.get(",
    ] {
        assert!(crate::syntax::is_incomplete(open), "{open}");
    }
    for done in ["info 1;", "x = 1 +;", "}", "else {", "void f() { info 1; }", "", "// note"] {
        assert!(!crate::syntax::is_incomplete(done), "{done}");
    }
}

fn known() -> Known {
    Known {
        vars: vec![("name".into(), Kind::Text), ("nums".into(), Kind::List), ("total".into(), Kind::Num)],
        functions: vec!["twice".into()],
        links: vec!["crm_conn".into(), "books".into()],
    }
}

#[test]
fn completes_variables_functions_and_builtins() {
    let (start, c) = complete("info na", 7, &known());
    assert_eq!((start, c), (5, vec!["name".to_string()]));
    let (_, c) = complete("x = tw", 6, &known());
    assert_eq!(c, vec!["twice".to_string()]);
    let (_, c) = complete("x = ifn", 7, &known());
    assert!(c.iter().any(|n| n.eq_ignore_ascii_case("ifnull")), "{c:?}");
    assert!(complete("x = ", 4, &known()).1.is_empty());
}

#[test]
fn methods_follow_the_receivers_type() {
    let (start, c) = complete("info name.toU", 13, &known());
    assert_eq!(start, 10);
    assert_eq!(c, vec!["toUpperCase".to_string()]);
    let (_, text) = complete("name.", 5, &known());
    let (_, list) = complete("nums.", 5, &known());
    assert!(text.contains(&"trim".to_string()) && !text.contains(&"distinct".to_string()), "{text:?}");
    assert!(list.contains(&"distinct".to_string()) && !list.contains(&"trim".to_string()), "{list:?}");
    // a list offers no map methods (Zoho's list has no keys())
    for map_only in ["keys", "put", "containsKey", "values"] {
        assert!(!list.contains(&map_only.to_string()), "{map_only} offered on a list: {list:?}");
    }
    // an unknown receiver offers every method
    let (_, any) = complete("foo.", 4, &known());
    assert!(any.contains(&"trim".to_string()) && any.contains(&"distinct".to_string()));
    let (_, lit) = complete("\"abc\".toLowe", 12, &known());
    assert_eq!(lit, vec!["toLowerCase".to_string()]);
}

#[test]
fn completes_zoho_tasks_and_connection_links() {
    let (start, c) = complete("r = zoho.crm.getRec", 19, &known());
    assert_eq!(start, 4);
    assert_eq!(c, vec!["zoho.crm.getRecordById".to_string(), "zoho.crm.getRecords".to_string()]);
    let (_, c) = complete("zoho.encryption.base64E", 23, &known());
    assert_eq!(c, vec!["zoho.encryption.base64Encode".to_string()]);
    let line = "r = zoho.crm.getRecords(\"Leads\", 1, 10, \"cr";
    let (start, c) = complete(line, line.len(), &known());
    assert_eq!((start, c), (line.len() - 2, vec!["crm_conn".to_string()]));
}

#[test]
fn completion_offers_every_task_of_the_table() {
    let names = zoho_names();
    for t in crate::zoho::tasks::all() {
        assert!(names.contains(&t.full_name()), "{}", t.full_name());
    }
    assert!(names.iter().any(|n| n == "zoho.desk.getRecords"));
    assert!(names.iter().any(|n| n == "zoho.creator.v2_1.getRecords"));
}

#[test]
fn highlighting_colours_tokens_and_keeps_the_text() {
    let line = "if (x > 1) { info \"a\" + 2; } // done";
    let coloured = super::editor::highlight(line);
    assert!(coloured.contains("\x1b[35minfo\x1b[0m"), "{coloured:?}");
    assert!(coloured.contains("\x1b[32m\"a\"\x1b[0m"));
    assert!(coloured.contains("\x1b[36m2\x1b[0m"));
    assert!(coloured.contains("\x1b[90m// done\x1b[0m"));
    let plain: String = coloured
        .replace("\x1b[35m", "")
        .replace("\x1b[32m", "")
        .replace("\x1b[36m", "")
        .replace("\x1b[90m", "")
        .replace("\x1b[0m", "");
    assert_eq!(plain, line);
}

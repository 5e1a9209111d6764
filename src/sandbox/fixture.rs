//! `dg test` fixtures: `NAME.fixture.json` records ({"crm": {"Leads": [{...}]}, ...}) seeded
//! into a sandbox store in a state directory, on top of the seed data.

use crate::error::Error;
use std::path::Path;

/// Seed the sandbox in `state_dir` with the records of the fixture file at `path`.
/// A malformed file is an error naming the file, the line and what was expected.
pub fn seed_fixture(state_dir: &Path, path: &Path) -> Result<usize, Error> {
    let name = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| Error::usage(format!("cannot read {name}: {e}")))?;
    let root: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Error::usage(format!("{name}:{}: {e} (expected JSON)", e.line())))?;
    let expected = "an object of products, each an object of modules, each a list of record objects";
    let products = root.as_object().ok_or_else(|| Error::usage(format!("{name}: expected {expected}")))?;
    std::fs::create_dir_all(state_dir).map_err(|e| Error::runtime(format!("sandbox: {e}")))?;
    let db = super::Db::open(&super::db_path(state_dir)).map_err(Error::runtime)?;
    let mut count = 0;
    for (product, modules) in products {
        let modules = modules.as_object().ok_or_else(|| {
            Error::usage(format!("{name}: \"{product}\" should be an object of modules ({expected})"))
        })?;
        for (module, records) in modules {
            let records = records.as_array().ok_or_else(|| {
                Error::usage(format!("{name}: \"{product}\".\"{module}\" should be a list of record objects"))
            })?;
            for (i, r) in records.iter().enumerate() {
                let r = r.as_object().ok_or_else(|| {
                    Error::usage(format!("{name}: \"{product}\".\"{module}\"[{i}] should be a record object"))
                })?;
                let result = match r.get("id").and_then(|v| v.as_str().map(str::to_string).or(Some(v.to_string()))) {
                    Some(id) if r.contains_key("id") => db.insert_with_id(product, module, &id, r.clone()),
                    _ => db.insert(product, module, r.clone()),
                };
                result.map_err(|e| Error::runtime(format!("{name}: \"{product}\".\"{module}\"[{i}]: {e}")))?;
                count += 1;
            }
        }
    }
    Ok(count)
}

//! Zoho's published API limits as data, with the page each figure comes from: CRM's API
//! credits per edition over a rolling 24 hours and what each call costs, CRM's concurrent
//! calls, Books' requests per minute and per day, and the per-run limits of a Deluge function.
//! The sandbox enforces them and `dg run --credits` reports against them.

/// Zoho's editions, as `--edition` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edition {
    Free,
    Standard,
    Professional,
    Enterprise,
    Ultimate,
}

impl Edition {
    pub const ALL: [Edition; 5] =
        [Edition::Free, Edition::Standard, Edition::Professional, Edition::Enterprise, Edition::Ultimate];

    pub fn parse(name: &str) -> Option<Edition> {
        Edition::ALL.into_iter().find(|e| e.name().eq_ignore_ascii_case(name.trim()))
    }

    pub fn name(self) -> &'static str {
        match self {
            Edition::Free => "free",
            Edition::Standard => "standard",
            Edition::Professional => "professional",
            Edition::Enterprise => "enterprise",
            Edition::Ultimate => "ultimate",
        }
    }
}

/// The user licenses the sandbox's organization has (CRM's credits grow with them).
pub const SANDBOX_USERS: u64 = 10;

/// CRM's API credits in a rolling 24 hours: base + users x per-user, at most the cap (`None`:
/// unlimited).
/// https://www.zoho.com/crm/developer/docs/api/v8/api-limits.html
pub fn crm_daily_credits(edition: Edition, users: u64) -> Option<u64> {
    let (base, per_user, cap) = match edition {
        Edition::Free => (5_000, 0, Some(5_000)),
        Edition::Standard => (5_000, 250, Some(100_000)),
        Edition::Professional => (10_000, 500, Some(500_000)),
        Edition::Enterprise => (15_000, 1_000, Some(1_000_000)),
        Edition::Ultimate => (15_000, 2_000, None),
    };
    let allowed = base + users * per_user;
    Some(match cap {
        Some(c) => allowed.min(c),
        None => return None,
    })
}

/// CRM's concurrent API calls per edition.
/// https://help.zoho.com/portal/en/community/topic/increase-in-crm-api-v2-credits
pub fn crm_concurrency(edition: Edition) -> usize {
    match edition {
        Edition::Free => 5,
        Edition::Standard => 10,
        Edition::Professional => 15,
        Edition::Enterprise => 20,
        Edition::Ultimate => 25,
    }
}

/// What one CRM API call costs: 1 credit, a lead conversion 5, a write of records 1 for
/// every 10 records (`records`: how many the body carries).
/// https://www.zoho.com/crm/developer/docs/api/v8/api-limits.html
pub fn crm_credits(method: &str, path: &str, records: usize) -> u64 {
    let p = path.to_ascii_lowercase();
    if p.contains("/actions/convert") {
        return 5;
    }
    let write = matches!(method, "POST" | "PUT" | "PATCH");
    let collection =
        p.trim_end_matches('/').split('/').filter(|s| !s.is_empty()).count() <= 3 || p.ends_with("/upsert");
    if write && collection && records > 0 {
        return records.div_ceil(10) as u64;
    }
    1
}

/// Books: requests a minute per organization, whatever the edition.
/// https://www.zoho.com/books/api/v3/introduction/#api-call-limit
pub const BOOKS_PER_MINUTE: usize = 100;

/// Books: requests a day per organization.
/// https://www.zoho.com/books/api/v3/introduction/#api-call-limit
pub fn books_daily(edition: Edition) -> u64 {
    match edition {
        Edition::Free => 1_000,
        Edition::Standard => 2_000,
        Edition::Professional => 5_000,
        Edition::Enterprise | Edition::Ultimate => 10_000,
    }
}

/// The largest answer a Deluge function may receive.
/// https://www.zoho.com/crm/developer/docs/functions/limits.html
pub const MAX_RESPONSE_BYTES: usize = 10 * 1024 * 1024;

/// One call of a run, as `--credits` counts it.
pub struct Spent<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub records: usize,
    pub bytes: usize,
}

/// What a run spent, per product, against `edition`'s limits (`dg run --credits`), with a
/// warning where one run would pass a limit.
pub fn report(calls: &[Spent], edition: Edition) -> String {
    use std::fmt::Write as _;
    let mut out = format!("credits ({} edition, {SANDBOX_USERS} users):\n", edition.name());
    let mut warnings = Vec::new();
    for product in super::tasks::products() {
        if product.id.contains('.') {
            continue;
        }
        let mine: Vec<&Spent> = calls
            .iter()
            .filter(|c| super::tasks::product_for_path(c.path).is_some_and(|p| p.id == product.id))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let n = mine.len();
        let calls_word = if n == 1 { "call" } else { "calls" };
        match product.id {
            "crm" => {
                let credits: u64 = mine.iter().map(|c| crm_credits(c.method, c.path, c.records)).sum();
                let daily = crm_daily_credits(edition, SANDBOX_USERS);
                let of = daily.map_or("no daily cap".to_string(), |d| format!("of {d} a day"));
                let credits_word = if credits == 1 { "credit" } else { "credits" };
                let _ = writeln!(out, "  {}: {n} {calls_word}, {credits} {credits_word} ({of})", product.name);
                if let Some(d) = daily.filter(|d| credits > *d) {
                    warnings.push(format!(
                        "warning: this run spends {credits} CRM credits, more than the {} edition's {d} a day",
                        edition.name()
                    ));
                }
            }
            "books" => {
                let daily = books_daily(edition);
                let _ = writeln!(
                    out,
                    "  {}: {n} {calls_word} (of {daily} a day, {BOOKS_PER_MINUTE} a minute)",
                    product.name
                );
                if n > BOOKS_PER_MINUTE {
                    warnings.push(format!(
                        "warning: this run makes {n} Books calls: more than Books' {BOOKS_PER_MINUTE} a minute when they come within a minute"
                    ));
                }
                if n as u64 > daily {
                    warnings.push(format!(
                        "warning: {n} Books calls are more than the {} edition's {daily} a day",
                        edition.name()
                    ));
                }
            }
            _ => {
                let _ = writeln!(out, "  {}: {n} {calls_word}", product.name);
            }
        }
    }
    if calls.is_empty() {
        out.push_str("  no Zoho API calls\n");
    }
    if let Some(big) = calls.iter().map(|c| c.bytes).max().filter(|b| *b > MAX_RESPONSE_BYTES) {
        warnings.push(format!(
            "warning: an answer of {:.1} MB is over the 10 MB a Deluge function may receive",
            big as f64 / (1024.0 * 1024.0)
        ));
    }
    for w in warnings {
        out.push_str(&w);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_follow_zohos_table() {
        assert_eq!(crm_credits("GET", "/crm/v8/Leads", 0), 1);
        assert_eq!(crm_credits("GET", "/crm/v8/Leads/search", 0), 1);
        assert_eq!(crm_credits("POST", "/crm/v8/Leads/123/actions/convert", 1), 5);
        assert_eq!(crm_credits("POST", "/crm/v8/Leads", 1), 1);
        assert_eq!(crm_credits("POST", "/crm/v8/Leads", 10), 1);
        assert_eq!(crm_credits("POST", "/crm/v8/Leads", 11), 2);
        assert_eq!(crm_credits("POST", "/crm/v8/Leads/upsert", 25), 3);
        assert_eq!(crm_credits("PUT", "/crm/v8/Leads/123", 1), 1);
    }

    #[test]
    fn daily_credits_per_edition() {
        assert_eq!(crm_daily_credits(Edition::Free, 10), Some(5_000));
        assert_eq!(crm_daily_credits(Edition::Standard, 10), Some(7_500));
        assert_eq!(crm_daily_credits(Edition::Professional, 1_000), Some(500_000));
        assert_eq!(crm_daily_credits(Edition::Enterprise, 100), Some(115_000));
        assert_eq!(crm_daily_credits(Edition::Ultimate, 10), None);
        assert_eq!(Edition::parse("Professional"), Some(Edition::Professional));
        assert_eq!(Edition::parse("gold"), None);
    }
}

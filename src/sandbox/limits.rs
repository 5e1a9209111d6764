//! The sandbox enforces Zoho's API limits for its edition (`crate::zoho::limits`): CRM's
//! credits over a rolling 24 hours and its concurrent calls, Books' 100 requests a minute and
//! its daily requests per organization. A refused call gets the status and body Zoho sends,
//! with no `Retry-After` (Zoho sends none). The clock is injectable, so tests are exact.

use super::server::{json_response, param, parse_query};
use crate::zoho::limits::{self, Edition};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Seconds since an epoch the limiter only compares.
pub type Clock = Arc<dyn Fn() -> f64 + Send + Sync>;

const DAY: f64 = 86_400.0;
const MINUTE: f64 = 60.0;

#[derive(Default)]
struct Windows {
    /// CRM: (time, credits) of the last 24 hours.
    crm: VecDeque<(f64, u64)>,
    /// Books, per organization: request times of the last minute and of the last day.
    books_minute: HashMap<String, VecDeque<f64>>,
    books_day: HashMap<String, VecDeque<f64>>,
}

pub struct Limiter {
    pub edition: Edition,
    clock: Clock,
    windows: Mutex<Windows>,
    crm_in_flight: AtomicUsize,
}

/// A CRM call in flight; dropping it frees its place.
pub struct Slot<'a>(Option<&'a AtomicUsize>);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if let Some(n) = self.0 {
            n.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// CRM's refusal: 429 `TOO_MANY_REQUESTS`.
fn crm_refusal(message: &str) -> Response {
    json_response(
        StatusCode::TOO_MANY_REQUESTS,
        json!({"code": "TOO_MANY_REQUESTS", "details": {}, "message": message, "status": "error"}),
    )
}

/// Books' refusal: 429 with its numeric code.
fn books_refusal(message: &str) -> Response {
    json_response(StatusCode::TOO_MANY_REQUESTS, json!({"code": 44, "message": message}))
}

impl Limiter {
    pub fn new(edition: Edition, clock: Clock) -> Limiter {
        Limiter { edition, clock, windows: Mutex::new(Windows::default()), crm_in_flight: AtomicUsize::new(0) }
    }

    /// The wall clock.
    pub fn wall_clock() -> Clock {
        Arc::new(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64()))
    }

    /// Admit one request (`product` from the task table, its method, path, query and the
    /// number of records its body carries), or Zoho's refusal. The slot it returns is held
    /// while the request runs.
    #[allow(clippy::result_large_err)] // the refusal goes straight back to axum
    pub fn admit(
        &self,
        product: &str,
        method: &str,
        path: &str,
        query: &str,
        records: usize,
    ) -> Result<Slot<'_>, Response> {
        let now = (self.clock)();
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        match product {
            "crm" => {
                let cost = limits::crm_credits(method, path, records);
                while w.crm.front().is_some_and(|(t, _)| now - t >= DAY) {
                    w.crm.pop_front();
                }
                if let Some(daily) = limits::crm_daily_credits(self.edition, limits::SANDBOX_USERS) {
                    let used: u64 = w.crm.iter().map(|(_, c)| c).sum();
                    if used + cost > daily {
                        return Err(crm_refusal(&format!(
                            "the API credits of the {} edition ({daily} in 24 hours) are used up",
                            self.edition.name()
                        )));
                    }
                }
                let cap = limits::crm_concurrency(self.edition);
                if self.crm_in_flight.fetch_add(1, Ordering::SeqCst) >= cap {
                    self.crm_in_flight.fetch_sub(1, Ordering::SeqCst);
                    return Err(crm_refusal(&format!(
                        "the concurrency limit of the {} edition ({cap} calls) is reached",
                        self.edition.name()
                    )));
                }
                w.crm.push_back((now, cost));
                Ok(Slot(Some(&self.crm_in_flight)))
            }
            "books" => {
                let q = parse_query(query);
                let org = param(&q, "organization_id").unwrap_or(super::books::ORGANIZATION_ID).to_string();
                let minute = w.books_minute.entry(org.clone()).or_default();
                while minute.front().is_some_and(|t| now - t >= MINUTE) {
                    minute.pop_front();
                }
                if minute.len() >= limits::BOOKS_PER_MINUTE {
                    return Err(books_refusal(
                        "You have made too many requests per minute for this organization. Please try again after some time.",
                    ));
                }
                let day = w.books_day.entry(org.clone()).or_default();
                while day.front().is_some_and(|t| now - t >= DAY) {
                    day.pop_front();
                }
                if day.len() as u64 >= limits::books_daily(self.edition) {
                    return Err(books_refusal(
                        "You have reached the maximum number of API requests allowed per day for this organization.",
                    ));
                }
                day.push_back(now);
                w.books_minute.entry(org).or_default().push_back(now);
                Ok(Slot(None))
            }
            _ => Ok(Slot(None)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU64;

    fn frozen() -> (Clock, Arc<AtomicU64>) {
        let t = Arc::new(AtomicU64::new(1_000_000));
        let c = t.clone();
        (Arc::new(move || c.load(Ordering::SeqCst) as f64), t)
    }

    #[test]
    fn books_allows_100_a_minute_per_organization() {
        let (clock, t) = frozen();
        let l = Limiter::new(Edition::Professional, clock);
        for _ in 0..100 {
            assert!(l.admit("books", "GET", "/books/v3/contacts", "organization_id=1", 0).is_ok());
        }
        let refused = l.admit("books", "GET", "/books/v3/contacts", "organization_id=1", 0).err().expect("the 101st");
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(refused.headers().get("retry-after").is_none());
        assert!(l.admit("books", "GET", "/books/v3/contacts", "organization_id=2", 0).is_ok(), "another org");
        t.fetch_add(60, Ordering::SeqCst);
        assert!(l.admit("books", "GET", "/books/v3/contacts", "organization_id=1", 0).is_ok(), "a minute later");
    }

    #[test]
    fn crm_credits_run_out_over_24_hours_and_come_back() {
        let (clock, t) = frozen();
        let l = Limiter::new(Edition::Free, clock);
        for _ in 0..1000 {
            assert!(l.admit("crm", "POST", "/crm/v8/Leads/1/actions/convert", "", 1).is_ok(), "5 credits each");
        }
        assert!(l.admit("crm", "GET", "/crm/v8/Leads", "", 0).is_err(), "5,000 credits spent");
        t.fetch_add(86_400, Ordering::SeqCst);
        assert!(l.admit("crm", "GET", "/crm/v8/Leads", "", 0).is_ok(), "the window rolled on");
    }

    #[test]
    fn crm_concurrency_is_capped_while_calls_run() {
        let (clock, _) = frozen();
        let l = Limiter::new(Edition::Free, clock);
        let held: Vec<_> = (0..5)
            .map(|_| l.admit("crm", "GET", "/crm/v8/Leads", "", 0).unwrap_or_else(|_| panic!("a slot")))
            .collect();
        assert!(l.admit("crm", "GET", "/crm/v8/Leads", "", 0).is_err(), "a sixth call at once");
        drop(held);
        assert!(l.admit("crm", "GET", "/crm/v8/Leads", "", 0).is_ok(), "free again");
    }
}

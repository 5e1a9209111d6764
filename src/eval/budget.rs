//! The statement budget: counts executed statements, enforces `--statement-limit` and
//! `--timeout`, and remembers whether a run passed Zoho's own limits.

use super::Limits;
use crate::error::{Error, Result};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Zoho Creator's statement limit per action.
const CREATOR_LIMIT: u64 = 5_000;
/// Zoho CRM's statement limit per function run.
const CRM_LIMIT: u64 = 200_000;
/// The clock is read once per this many statements.
const CLOCK_EVERY: u64 = 1024;

pub struct Budget {
    count: u64,
    limit: u64,
    deadline: Option<(Instant, Duration)>,
    next_clock: u64,
    /// The next count at which `tick` takes its slow path (the limit or a clock reading):
    /// the per-statement cost is one add and one compare.
    next_check: u64,
    /// Set from another thread (the REPL's Ctrl-C) to stop the running statement.
    interrupt: Option<Arc<AtomicBool>>,
    /// The thread's deadline before this budget installed its own (put back on drop).
    previous: Option<(Instant, Duration)>,
}

impl Drop for Budget {
    fn drop(&mut self) {
        crate::deadline::install(self.previous);
    }
}

impl Budget {
    pub fn new(limits: Limits) -> Budget {
        let limit = limits.statements.unwrap_or(u64::MAX);
        let deadline = limits.timeout.and_then(|d| Some((Instant::now().checked_add(d)?, d)));
        // long built-ins read the deadline from here
        let previous = crate::deadline::install(deadline);
        Budget {
            count: 0,
            limit,
            previous,
            deadline,
            next_clock: CLOCK_EVERY,
            next_check: CLOCK_EVERY.min(limit.saturating_add(1)),
            interrupt: None,
        }
    }

    /// Stop the run with an error while `flag` is set (checked with the clock, every 1024
    /// statements); the owner clears it.
    pub fn set_interrupt(&mut self, flag: Arc<AtomicBool>) {
        self.interrupt = Some(flag);
    }

    /// Count one statement.
    #[inline(always)]
    pub fn tick(&mut self) -> Result<()> {
        self.count += 1;
        if self.count >= self.next_check {
            return self.slow_tick();
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn slow_tick(&mut self) -> Result<()> {
        if self.count > self.limit {
            return Err(Error::limit(format!("Execution limit exceeded: more than {} statements", self.limit)));
        }
        if self.count >= self.next_clock {
            self.next_clock = self.count + CLOCK_EVERY;
            self.check_clock()?;
        }
        self.next_check = self.next_clock.min(self.limit.saturating_add(1));
        Ok(())
    }

    /// Check the wall clock and the interrupt flag now (also used around slow operations).
    pub fn check_clock(&self) -> Result<()> {
        if self.interrupt.as_ref().is_some_and(|f| f.load(Ordering::Relaxed)) {
            return Err(Error::limit("interrupted: Ctrl-C stopped the statement"));
        }
        if let Some((at, total)) = self.deadline {
            if Instant::now() >= at {
                return Err(crate::deadline::expired(total));
            }
        }
        Ok(())
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// One line for stderr when the run passed Zoho's limits.
    pub fn zoho_note(&self) -> Option<String> {
        if self.count > CRM_LIMIT {
            Some(format!(
                "note: this run executed {} statements, more than Zoho CRM allows ({CRM_LIMIT}); it would fail in Zoho",
                self.count
            ))
        } else if self.count > CREATOR_LIMIT {
            Some(format!(
                "note: this run executed {} statements, more than Zoho Creator allows ({CREATOR_LIMIT})",
                self.count
            ))
        } else {
            None
        }
    }
}

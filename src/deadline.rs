//! The run's wall-clock deadline where long built-ins see it (sort, replaceAll, toList, JSON
//! parsing), so `--timeout` also ends one slow statement, not only the statement after it.

use crate::error::{Error, Result};
use std::cell::Cell;
use std::time::{Duration, Instant};

thread_local! {
    /// When the run must stop, and the `--timeout` it came from (for the message).
    static DEADLINE: Cell<Option<(Instant, Duration)>> = const { Cell::new(None) };
    /// Steps counted by `tick` across calls (a JSON document's many small arrays).
    static TICKS: Cell<u32> = const { Cell::new(0) };
}

/// A long built-in reads the clock once per this many steps.
const EVERY: u32 = 4096;

/// Make `d` this thread's deadline; returns the one it replaces (to put back afterwards).
pub(crate) fn install(d: Option<(Instant, Duration)>) -> Option<(Instant, Duration)> {
    DEADLINE.replace(d)
}

/// The error of a run stopped by `--timeout total`.
pub(crate) fn expired(total: Duration) -> Error {
    let s = total.as_secs_f64();
    let secs = if s == 1.0 {
        "1 second".to_string()
    } else if s.fract() == 0.0 {
        format!("{} seconds", s as u64)
    } else {
        format!("{s} seconds")
    };
    Error::limit(format!("Execution time limit exceeded: the script ran for more than {secs}"))
}

/// The timeout error once the deadline has passed.
pub(crate) fn check() -> Result<()> {
    match DEADLINE.get() {
        Some((at, total)) if Instant::now() >= at => Err(expired(total)),
        _ => Ok(()),
    }
}

/// One step of work spread over many calls (the JSON reader's values): the timeout error
/// once the deadline has passed, with the clock read every `EVERY` steps.
pub(crate) fn tick() -> Result<()> {
    let n = TICKS.get().wrapping_add(1);
    TICKS.set(n);
    if n.is_multiple_of(EVERY) {
        check()?;
    }
    Ok(())
}

/// Counts a long built-in's steps and reads the clock every `EVERY` of them.
#[derive(Default)]
pub(crate) struct Steps {
    n: u32,
    stopped: bool,
}

impl Steps {
    /// One step: the timeout error once the deadline has passed.
    #[inline]
    pub fn step(&mut self) -> Result<()> {
        self.n = self.n.wrapping_add(1);
        if self.n.is_multiple_of(EVERY) {
            check()?;
        }
        Ok(())
    }

    /// One step of a loop that cannot fail midway (a sort's comparisons): true, and true from
    /// then on, once the deadline has passed; the caller finishes cheaply and calls `result`.
    #[inline]
    pub fn over(&mut self) -> bool {
        if !self.stopped {
            self.stopped = self.step().is_err();
        }
        self.stopped
    }

    /// The timeout error if `over` stopped the loop.
    pub fn result(&self) -> Result<()> {
        if self.stopped {
            check()?;
            // the deadline was cleared meanwhile: the work is only cut short, report it anyway
            return Err(Error::limit("Execution time limit exceeded"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtins::{lookup, Recv};
    use crate::error::ErrorKind;
    use crate::value::Value;

    /// The built-in `name` for receivers of `recv`, called on `args` with a deadline that has
    /// already passed: no clock race, the deadline is behind us before the call starts.
    fn past_deadline(name: &str, recv: Recv, args: &[Value]) -> crate::error::Result<Value> {
        let f = lookup(name).and_then(|e| e.iter().find(|b| b.recv == recv)).expect("a built-in").func;
        let previous = install(Some((Instant::now(), Duration::from_secs(1))));
        let out = f(args);
        install(previous);
        out
    }

    fn assert_timed_out(r: crate::error::Result<Value>) {
        let e = r.expect_err("the timeout error");
        assert_eq!(e.kind(), ErrorKind::Limit);
        assert!(e.message().contains("more than 1 second"), "{}", e.message());
    }

    #[test]
    fn long_built_ins_stop_at_the_deadline() {
        let list = Value::list((0..20_000).rev().map(Value::Int).collect());
        assert_timed_out(past_deadline("sort", Recv::List, &[list]));
        let text = Value::from_string("ab".repeat(10_000));
        let (a, x) = (Value::text("[a]"), Value::text("x"));
        assert_timed_out(past_deadline("replaceAll", Recv::Text, &[text.clone(), a, x]));
        assert_timed_out(past_deadline("toList", Recv::Text, &[text, Value::text("")]));
        let json = Value::from_string(format!("[{}1]", "1,".repeat(10_000)));
        assert_timed_out(past_deadline("toList", Recv::Text, &[json]));
    }

    #[test]
    fn short_work_and_no_deadline_run_to_the_end() {
        let list = Value::list((0..20_000).rev().map(Value::Int).collect());
        let f = lookup("sort").and_then(|e| e.iter().find(|b| b.recv == Recv::List)).unwrap().func;
        assert!(f(&[list]).is_ok());
        assert!(past_deadline("sort", Recv::List, &[Value::list(vec![Value::Int(2), Value::Int(1)])]).is_ok());
    }
}

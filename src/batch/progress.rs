//! Progress of a batch: an indicatif bar on a terminal (done, failed, rate, ETA), plain lines
//! every tenth of the records otherwise (by count, not by clock, so output is repeatable).

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

pub struct Progress {
    bar: Option<ProgressBar>,
    total: u64,
    done: u64,
    failed: u64,
    every: u64,
}

impl Progress {
    pub fn new(total: u64) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total);
            let style = ProgressStyle::with_template("{bar:30} {pos}/{len} records {msg} {per_sec} ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Progress { bar, total, done: 0, failed: 0, every: (total / 10).max(1) }
    }

    /// One record finished.
    pub fn record(&mut self, ok: bool) {
        if ok {
            self.done += 1;
        } else {
            self.failed += 1;
        }
        let n = self.done + self.failed;
        match &self.bar {
            Some(bar) => {
                bar.set_message(format!("({} done, {} failed)", self.done, self.failed));
                bar.set_position(n);
            }
            None if n.is_multiple_of(self.every) || n == self.total => {
                eprintln!("batch: {n}/{} records ({} done, {} failed)", self.total, self.done, self.failed);
            }
            None => {}
        }
    }

    /// A line printed above the bar (or on stderr when there is none).
    pub fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

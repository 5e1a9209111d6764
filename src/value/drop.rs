//! Freeing nested lists and maps without deep recursion: a value nested a million deep at
//! run time (a loop that wraps a list in a list) must not overflow the stack when dropped.
//!
//! Dropping recurses as usual up to `MAX_NESTED_DROPS` collections deep (the fast path costs
//! one thread-local counter); deeper contents are parked on a thread-local list and freed by
//! the outermost drop, one level at a time.

use super::{CollData, Items};
use std::cell::{Cell, RefCell};

/// Collections freed inside one another before the rest is deferred (each level takes a few
/// hundred bytes of stack, more in debug builds: this stays well below 256 KiB).
const MAX_NESTED_DROPS: u32 = 64;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    static DEFERRED: RefCell<Vec<Items>> = const { RefCell::new(Vec::new()) };
}

fn is_empty(items: &Items) -> bool {
    match items {
        Items::List(v) => v.is_empty(),
        Items::Map(m) => m.is_empty(),
    }
}

impl Drop for CollData {
    fn drop(&mut self) {
        if is_empty(&self.items) {
            return;
        }
        let items = std::mem::replace(&mut self.items, Items::List(Vec::new()));
        let depth = DEPTH.get();
        if depth >= MAX_NESTED_DROPS {
            // Too deep: park the contents for the outermost drop (while the thread shuts down
            // and the list is gone, the closure is dropped uncalled and frees them here).
            let _ = DEFERRED.try_with(move |d| d.borrow_mut().push(items));
            return;
        }
        DEPTH.set(depth + 1);
        drop(items);
        if depth == 0 {
            // The outermost drop frees what deeper drops parked, each from a fresh depth.
            while let Some(parked) = DEFERRED.try_with(|d| d.borrow_mut().pop()).ok().flatten() {
                drop(parked);
            }
        }
        DEPTH.set(depth);
    }
}

#[cfg(test)]
mod tests {
    use crate::value::{new_map, Key, Value};

    fn nested_lists(depth: usize) -> Value {
        let mut v = Value::list(vec![Value::Int(1)]);
        for _ in 0..depth {
            v = Value::list(vec![v, Value::Int(2)]);
        }
        v
    }

    #[test]
    fn a_million_nested_lists_drop_without_overflow() {
        // run on a small stack so that recursion would surely overflow
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(|| drop(nested_lists(1_000_000)))
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn nested_maps_and_shared_children_drop_cleanly() {
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(|| {
                let mut v = Value::map(new_map(0));
                let shared = Value::list(vec![Value::text("kept")]);
                for i in 0..200_000 {
                    let mut m = new_map(2);
                    m.insert(Key::text("inner"), v);
                    if i % 1000 == 0 {
                        m.insert(Key::text("shared"), shared.clone());
                    }
                    v = Value::map(m);
                }
                drop(v);
                // a child still referenced elsewhere survives its parents
                assert_eq!(shared.to_text(), "kept");
            })
            .unwrap()
            .join()
            .unwrap();
    }
}

//! The session time zone while a query is planned (`SET 'table.local-time-zone'`, Flink's
//! `TableConfigOptions.LOCAL_TIME_ZONE`). Flink reads it at plan time: conversions between
//! TIMESTAMP_LTZ and zone-less values become calls carrying the zone as a constant argument, so
//! evaluation stays pure. The planner sets it for the duration of one `plan_query`; every cast
//! the binder builds reads it here rather than through each of the binder's constructors.

use std::cell::RefCell;

/// Flink's default when the session sets none is the JVM's zone; Sluice's is UTC (DIFFERENCES.md).
pub const DEFAULT: &str = "UTC";

thread_local! {
    static ZONE: RefCell<String> = RefCell::new(DEFAULT.to_string());
}

/// The zone of the query being planned.
pub fn current() -> String {
    ZONE.with(|z| z.borrow().clone())
}

/// Sets the zone until the returned guard drops (then the previous one is back).
pub fn enter(zone: &str) -> Scope {
    Scope(ZONE.with(|z| std::mem::replace(&mut *z.borrow_mut(), zone.to_string())))
}

pub struct Scope(String);

impl Drop for Scope {
    fn drop(&mut self) {
        let previous = std::mem::take(&mut self.0);
        ZONE.with(|z| *z.borrow_mut() = previous);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_scope_restores_the_previous_zone() {
        assert_eq!(super::current(), "UTC");
        {
            let _outer = super::enter("Asia/Kolkata");
            {
                let _inner = super::enter("America/Los_Angeles");
                assert_eq!(super::current(), "America/Los_Angeles");
            }
            assert_eq!(super::current(), "Asia/Kolkata");
        }
        assert_eq!(super::current(), "UTC");
    }
}

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

/// Flink's refusal of a `table.local-time-zone` it cannot use (every query then fails to plan).
pub fn check(zone: &str) -> Result<(), String> {
    if crate::types::is_session_zone(zone) {
        return Ok(());
    }
    Err("Invalid time zone. The value should be a Time Zone Database (TZDB) ID such as 'America/Los_Angeles' to include daylight saving time. Fixed offsets are supported using 'GMT-03:00' or 'GMT+03:00'. Or use 'UTC' without time zone and daylight saving time.".to_string())
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

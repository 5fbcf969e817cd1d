//! How a local stream or topic stands for a real one (a Kinesis stream, a Kafka topic): it may
//! *mirror* it (the real one's records come in through a reader of it) and *forward* to it
//! (records written here are queued for it). One rule for both kinds of local log.

/// A local log's link to a real one; `T` is what is queued for the real one.
#[derive(Debug)]
pub struct RemoteLink<T> {
    mirrored: bool,
    forwarded: bool,
    outbox: Vec<T>,
}

impl<T> Default for RemoteLink<T> {
    fn default() -> Self {
        RemoteLink { mirrored: false, forwarded: false, outbox: Vec::new() }
    }
}

impl<T: Clone> RemoteLink<T> {
    pub fn mirror(&mut self) {
        self.mirrored = true;
    }

    pub fn is_mirror(&self) -> bool {
        self.mirrored
    }

    pub fn forward(&mut self) {
        self.forwarded = true;
    }

    /// Whether the log mirrors or forwards to a real one.
    pub fn is_remote(&self) -> bool {
        self.mirrored || self.forwarded
    }

    /// Records written here stay here again; what was queued and not taken is dropped.
    pub fn stop_forwarding(&mut self) {
        self.forwarded = false;
        self.outbox.clear();
    }

    pub fn stop_mirroring(&mut self) {
        self.mirrored = false;
    }

    /// The records queued since the last call, in order.
    pub fn take_outbox(&mut self) -> Vec<T> {
        std::mem::take(&mut self.outbox)
    }

    /// Queues a record written here for the real log when forwarding, and returns it when it
    /// is also kept here: not on a mirror, where it comes back through the mirror as any reader
    /// of the real log would see it.
    pub fn route(&mut self, record: T) -> Option<T> {
        if !self.forwarded {
            return Some(record);
        }
        if self.mirrored {
            self.outbox.push(record);
            return None;
        }
        self.outbox.push(record.clone());
        Some(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forwarded_record_is_queued_and_kept_unless_the_log_is_a_mirror() {
        let mut link = RemoteLink::default();
        assert_eq!(link.route(1), Some(1));
        assert!(link.take_outbox().is_empty());
        link.forward();
        assert_eq!(link.route(2), Some(2));
        link.mirror();
        assert_eq!(link.route(3), None);
        assert_eq!(link.take_outbox(), [2, 3]);
        link.route(4);
        link.stop_forwarding();
        assert!(link.take_outbox().is_empty());
        link.stop_mirroring();
        assert!(!link.is_remote());
    }
}

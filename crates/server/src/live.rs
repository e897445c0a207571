//! Fan-out of "the change log grew" to every connected client of a council.
//!
//! A broadcast channel carries only (council, head). Slow receivers may miss signals;
//! that is harmless because clients pull by cursor and the next signal or reconnect
//! catches them up.

use ecabinet_domain::CouncilId;
use tokio::sync::broadcast;

#[derive(Clone)]
pub struct LiveHub {
    tx: broadcast::Sender<(CouncilId, i64)>,
}

impl Default for LiveHub {
    fn default() -> Self {
        let (tx, _) = broadcast::channel(256);
        Self { tx }
    }
}

impl LiveHub {
    pub fn announce(&self, council: CouncilId, head: i64) {
        // No receivers is the normal state of a server nobody is connected to.
        let _ = self.tx.send((council, head));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<(CouncilId, i64)> {
        self.tx.subscribe()
    }
}

//! Throttled logins: after a few failures for one user name or from one address within a
//! window, logins are refused for a while without looking at the password.
//!
//! Failures are kept in memory, per user name as typed (so an unknown name is throttled
//! exactly like a real one and the answer tells nothing) and per client address. Only the
//! failures of the last window count, so the refusal decays by itself: it lasts until the
//! oldest counted failure leaves the window, and while it lasts nothing is counted, so a
//! guesser cannot keep a member locked out by trying harder. A success clears the user
//! name's failures. Time comes from the caller (`Clock`), so tests move it by hand.

use ecabinet_domain::Timestamp;
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;

/// How many failures within how long lock a user name or an address.
#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    /// Failures for one user name within the window that refuse further logins with it.
    pub per_user_name: usize,
    /// Failures from one address within the window that refuse further logins from it. Higher
    /// than per user name: a meeting room's tablets often share one address.
    pub per_address: usize,
    pub window_ms: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            per_user_name: 5,
            per_address: 20,
            window_ms: 5 * 60 * 1000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    UserName(String),
    Address(IpAddr),
}

/// Logins are refused for this long; the answer's `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter {
    pub seconds: u64,
}

/// Past this many keys, failures that left the window are swept away.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Debug, Default)]
pub struct LoginThrottle {
    policy: ThrottlePolicy,
    failures: Mutex<HashMap<Key, VecDeque<Timestamp>>>,
}

impl LoginThrottle {
    pub fn new(policy: ThrottlePolicy) -> Self {
        Self {
            policy,
            failures: Mutex::default(),
        }
    }

    /// `Err` when a login with `user_name` from `address` must be refused at `now`.
    pub fn check(
        &self,
        user_name: &str,
        address: Option<IpAddr>,
        now: Timestamp,
    ) -> Result<(), RetryAfter> {
        let failures = self.failures.lock().expect("throttle lock");
        let mut wait_ms = 0;
        for (key, limit) in self.keys(user_name, address) {
            let Some(times) = failures.get(&key) else {
                continue;
            };
            let recent: Vec<_> = times
                .iter()
                .filter(|t| t.millis() > now.millis() - self.policy.window_ms)
                .collect();
            if recent.len() >= limit {
                // Refused until the oldest failure that makes up the limit leaves the window.
                let oldest = recent[recent.len() - limit];
                wait_ms = wait_ms.max(oldest.millis() + self.policy.window_ms - now.millis());
            }
        }
        if wait_ms > 0 {
            Err(RetryAfter {
                seconds: (wait_ms as u64).div_ceil(1000),
            })
        } else {
            Ok(())
        }
    }

    /// Counts a failed login.
    pub fn failed(&self, user_name: &str, address: Option<IpAddr>, now: Timestamp) {
        let mut failures = self.failures.lock().expect("throttle lock");
        if failures.len() > SWEEP_ABOVE {
            let since = now.millis() - self.policy.window_ms;
            failures.retain(|_, times| times.back().is_some_and(|t| t.millis() > since));
        }
        for (key, limit) in self.keys(user_name, address) {
            let times = failures.entry(key).or_default();
            times.push_back(now);
            while times.len() > limit {
                times.pop_front();
            }
        }
    }

    /// A successful login clears the user name's failures (not the address's: one member
    /// signing in does not vouch for the other attempts from a shared address).
    pub fn succeeded(&self, user_name: &str) {
        let mut failures = self.failures.lock().expect("throttle lock");
        failures.remove(&Key::UserName(normalise(user_name)));
    }

    fn keys(&self, user_name: &str, address: Option<IpAddr>) -> Vec<(Key, usize)> {
        let mut keys = vec![(
            Key::UserName(normalise(user_name)),
            self.policy.per_user_name,
        )];
        if let Some(address) = address {
            keys.push((Key::Address(address), self.policy.per_address));
        }
        keys
    }
}

fn normalise(user_name: &str) -> String {
    user_name.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Timestamp = Timestamp(1_795_464_000_000);

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(ThrottlePolicy {
            per_user_name: 3,
            per_address: 5,
            window_ms: 60_000,
        })
    }

    #[test]
    fn a_user_name_is_refused_after_its_failures_until_the_oldest_leaves_the_window() {
        let t = throttle();
        for s in 0..3 {
            assert_eq!(t.check("lan", None, T0.plus_millis(s * 1000)), Ok(()));
            t.failed("lan", None, T0.plus_millis(s * 1000));
        }
        assert_eq!(
            t.check("LAN ", None, T0.plus_millis(2_000)),
            Err(RetryAfter { seconds: 58 }),
            "the first failure (at 0 s) leaves the 60 s window at 60 s"
        );
        assert_eq!(t.check("lan", None, T0.plus_millis(60_000)), Ok(()));
        assert_eq!(
            t.check("minh", None, T0.plus_millis(2_000)),
            Ok(()),
            "other user names are not affected"
        );
    }

    #[test]
    fn an_address_is_refused_after_its_own_larger_limit() {
        let t = throttle();
        let room: IpAddr = "10.0.0.7".parse().unwrap();
        for name in ["a", "b", "c", "d", "e"] {
            t.failed(name, Some(room), T0);
        }
        assert!(t.check("f", Some(room), T0).is_err());
        assert_eq!(t.check("f", None, T0), Ok(()), "from elsewhere");
    }

    #[test]
    fn a_success_clears_the_user_name() {
        let t = throttle();
        t.failed("lan", None, T0);
        t.failed("lan", None, T0);
        t.succeeded("lan");
        t.failed("lan", None, T0);
        assert_eq!(
            t.check("lan", None, T0),
            Ok(()),
            "one failure since the success"
        );
    }
}

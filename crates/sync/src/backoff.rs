use rand::Rng;
use std::time::Duration;

/// Exponential backoff with jitter between reconnection attempts.
///
/// Jitter matters in a chamber: when the Wi-Fi comes back, a hundred tablets must not all
/// knock on the server in the same millisecond.
#[derive(Debug, Clone)]
pub struct Backoff {
    initial: Duration,
    max: Duration,
    attempt: u32,
}

impl Backoff {
    pub fn new(initial: Duration, max: Duration) -> Self {
        Self {
            initial,
            max,
            attempt: 0,
        }
    }

    /// The delay before the next attempt: doubling from `initial` up to `max`, each drawn
    /// uniformly from its upper half.
    pub fn next_delay(&mut self, rng: &mut impl Rng) -> Duration {
        let ceiling = self
            .initial
            .saturating_mul(1 << self.attempt.min(16))
            .min(self.max);
        self.attempt = self.attempt.saturating_add(1);
        let half = ceiling / 2;
        half + half.mul_f64(rng.random::<f64>())
    }

    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new(Duration::from_millis(200), Duration::from_secs(5))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn delays_grow_to_the_cap_and_reset() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_secs(1));
        let first = b.next_delay(&mut rng);
        assert!(
            first >= Duration::from_millis(50) && first <= Duration::from_millis(100),
            "{first:?}"
        );
        for _ in 0..20 {
            assert!(
                b.next_delay(&mut rng) <= Duration::from_secs(1),
                "never beyond the cap"
            );
        }
        assert!(
            b.next_delay(&mut rng) >= Duration::from_millis(500),
            "at the cap, at least half of it"
        );
        b.reset();
        assert!(
            b.next_delay(&mut rng) <= Duration::from_millis(100),
            "a success starts over"
        );
    }
}

//! Retry policy and backoff computation.
//!
//! Pure functions of the attempt count, the elapsed time, the server's `Retry-After`
//! hint and a random source, so that the arithmetic is unit-tested without a network.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;

/// Never start an attempt with less than this much of the total budget left: it
/// could only time out.
pub const MIN_ATTEMPT_BUDGET: Duration = Duration::from_millis(100);

/// How often and how long the client retries a failed request.
///
/// Retried: connection errors, timeouts, and HTTP 429, 500, 502, 503 and 504.
/// Waits grow exponentially with full jitter (a uniformly random wait between zero
/// and `min(max_backoff, initial_backoff * 2^(n-1))` after the n-th failed attempt).
/// A `Retry-After` header replaces the computed wait; when it does not fit in what
/// is left of `max_elapsed`, the client gives up at once instead of retrying early.
/// Retrying stops after `max_attempts` requests or once `max_elapsed` (measured from
/// the start of the first attempt, waits and request time included) would be
/// exceeded, whichever comes first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Requests per operation, the first one included; 1 disables retries. Default 5.
    pub max_attempts: u32,
    /// Ceiling of the first wait. Default 500 ms.
    pub initial_backoff: Duration,
    /// Ceiling of any computed wait. Default 8 s.
    pub max_backoff: Duration,
    /// Total time budget of an operation, all attempts and waits included. Default 60 s.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_elapsed: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that sends each request once.
    pub fn no_retries() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The ceiling of the wait after the `failed_attempts`-th failed attempt
    /// (1-based): `initial_backoff * 2^(failed_attempts - 1)`, capped at
    /// `max_backoff`. Never overflows.
    pub fn backoff_ceiling(&self, failed_attempts: u32) -> Duration {
        let exponent = failed_attempts.saturating_sub(1).min(31);
        self.initial_backoff
            .checked_mul(1u32 << exponent)
            .unwrap_or(Duration::MAX)
            .min(self.max_backoff)
    }

    /// A full-jitter wait: uniformly random in `[0, backoff_ceiling(failed_attempts)]`.
    pub fn jittered_backoff<R: Rng + ?Sized>(&self, failed_attempts: u32, rng: &mut R) -> Duration {
        let ceiling = self.backoff_ceiling(failed_attempts);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rng.random_range(0..=nanos))
    }

    /// How long to wait before the next attempt, or `None` to give up.
    ///
    /// `attempts_made` requests have been sent and the last one failed in a
    /// retryable way; `elapsed` is the time since the first attempt started;
    /// `retry_after` is the server's `Retry-After`, if any, which is honoured
    /// instead of the computed backoff. Gives up when the attempts are used up, or
    /// when after the wait less than [`MIN_ATTEMPT_BUDGET`] of `max_elapsed` would
    /// remain.
    pub fn next_delay<R: Rng + ?Sized>(
        &self,
        attempts_made: u32,
        elapsed: Duration,
        retry_after: Option<Duration>,
        rng: &mut R,
    ) -> Option<Duration> {
        if attempts_made >= self.max_attempts {
            return None;
        }
        let delay = match retry_after {
            Some(server_wait) => server_wait,
            None => self.jittered_backoff(attempts_made, rng),
        };
        let next_start = elapsed.checked_add(delay)?;
        let remaining = self.max_elapsed.checked_sub(next_start)?;
        (remaining >= MIN_ATTEMPT_BUDGET).then_some(delay)
    }

    /// The time budget of an attempt that starts `elapsed` after the first one:
    /// `request_timeout`, but no more than what is left of `max_elapsed`.
    pub fn attempt_budget(&self, request_timeout: Duration, elapsed: Duration) -> Duration {
        request_timeout.min(self.max_elapsed.saturating_sub(elapsed))
    }
}

/// Whether a response status is worth retrying: 429, 500, 502, 503 and 504.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// Parses a `Retry-After` header value: either delay-seconds (`"120"`) or an HTTP
/// date (`"Wed, 21 Oct 2015 07:28:00 GMT"`), relative to `now`. A date in the past
/// means no wait; an unparseable value is ignored (`None`).
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (date.with_timezone(&Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn policy() -> RetryPolicy {
        RetryPolicy::default()
    }

    #[test]
    fn defaults() {
        let p = policy();
        assert_eq!(p.max_attempts, 5);
        assert_eq!(p.initial_backoff, Duration::from_millis(500));
        assert_eq!(p.max_backoff, Duration::from_secs(8));
        assert_eq!(p.max_elapsed, Duration::from_secs(60));
        assert_eq!(RetryPolicy::no_retries().max_attempts, 1);
    }

    #[test]
    fn ceiling_doubles_then_caps() {
        let p = policy();
        let ms = |n| p.backoff_ceiling(n).as_millis();
        assert_eq!(ms(0), 500);
        assert_eq!(ms(1), 500);
        assert_eq!(ms(2), 1000);
        assert_eq!(ms(3), 2000);
        assert_eq!(ms(4), 4000);
        assert_eq!(ms(5), 8000);
        assert_eq!(ms(6), 8000);
        assert_eq!(ms(u32::MAX), 8000);
        let huge = RetryPolicy {
            initial_backoff: Duration::MAX,
            max_backoff: Duration::MAX,
            ..policy()
        };
        assert_eq!(huge.backoff_ceiling(40), Duration::MAX);
    }

    #[test]
    fn jitter_stays_within_bounds_and_spreads() {
        let p = policy();
        let mut rng = StdRng::seed_from_u64(7);
        for failed in 1..=8 {
            let ceiling = p.backoff_ceiling(failed);
            let samples: Vec<Duration> = (0..2000)
                .map(|_| p.jittered_backoff(failed, &mut rng))
                .collect();
            assert!(samples.iter().all(|d| *d <= ceiling));
            let low = samples.iter().filter(|d| **d < ceiling / 4).count();
            let high = samples.iter().filter(|d| **d > ceiling * 3 / 4).count();
            // Full jitter: roughly a quarter of the samples in each outer quarter.
            assert!(low > 300 && high > 300, "low {low} high {high}");
        }
        let zero = RetryPolicy {
            initial_backoff: Duration::ZERO,
            ..policy()
        };
        assert_eq!(zero.jittered_backoff(3, &mut rng), Duration::ZERO);
    }

    #[test]
    fn gives_up_after_max_attempts() {
        let p = policy();
        let mut rng = StdRng::seed_from_u64(1);
        for made in 1..5 {
            assert!(p.next_delay(made, Duration::ZERO, None, &mut rng).is_some());
        }
        assert_eq!(p.next_delay(5, Duration::ZERO, None, &mut rng), None);
        assert_eq!(
            RetryPolicy::no_retries().next_delay(1, Duration::ZERO, None, &mut rng),
            None
        );
    }

    #[test]
    fn computed_delay_is_jittered_backoff() {
        let p = policy();
        let mut rng = StdRng::seed_from_u64(3);
        for made in 1..5 {
            let delay = p.next_delay(made, Duration::ZERO, None, &mut rng).unwrap();
            assert!(delay <= p.backoff_ceiling(made));
        }
    }

    #[test]
    fn gives_up_when_the_elapsed_budget_is_spent() {
        let p = policy();
        let mut rng = StdRng::seed_from_u64(1);
        assert_eq!(
            p.next_delay(1, Duration::from_secs(60), None, &mut rng),
            None
        );
        assert_eq!(
            p.next_delay(1, Duration::from_secs(61), None, &mut rng),
            None
        );
        let near_end = Duration::from_secs(60) - MIN_ATTEMPT_BUDGET / 2;
        assert_eq!(p.next_delay(1, near_end, None, &mut rng), None);
        assert!(
            p.next_delay(1, Duration::from_secs(50), None, &mut rng)
                .is_some()
        );
    }

    #[test]
    fn retry_after_is_honoured_exactly() {
        let p = policy();
        let mut rng = StdRng::seed_from_u64(1);
        let one = Some(Duration::from_secs(1));
        assert_eq!(
            p.next_delay(1, Duration::ZERO, one, &mut rng),
            Some(Duration::from_secs(1))
        );
        // Longer than max_backoff is still honoured while it fits the budget...
        let twenty = Some(Duration::from_secs(20));
        assert_eq!(
            p.next_delay(1, Duration::from_secs(5), twenty, &mut rng),
            Some(Duration::from_secs(20))
        );
        // ...and makes the client give up when it does not.
        assert_eq!(
            p.next_delay(1, Duration::from_secs(45), twenty, &mut rng),
            None
        );
        let forever = Some(Duration::MAX);
        assert_eq!(
            p.next_delay(1, Duration::from_secs(1), forever, &mut rng),
            None
        );
        // Max attempts still applies.
        assert_eq!(p.next_delay(5, Duration::ZERO, one, &mut rng), None);
    }

    #[test]
    fn attempt_budget_respects_total_budget() {
        let p = policy();
        let timeout = Duration::from_secs(30);
        assert_eq!(p.attempt_budget(timeout, Duration::ZERO), timeout);
        assert_eq!(
            p.attempt_budget(timeout, Duration::from_secs(50)),
            Duration::from_secs(10)
        );
        assert_eq!(
            p.attempt_budget(timeout, Duration::from_secs(70)),
            Duration::ZERO
        );
    }

    #[test]
    fn retryable_statuses() {
        for status in [429, 500, 502, 503, 504] {
            assert!(is_retryable_status(status), "{status}");
        }
        for status in [200, 204, 400, 401, 403, 404, 409, 501, 505] {
            assert!(!is_retryable_status(status), "{status}");
        }
    }

    #[test]
    fn retry_after_parsing() {
        let now = DateTime::parse_from_rfc3339("2015-10-21T07:27:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(parse_retry_after("1", now), Some(Duration::from_secs(1)));
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after("0", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("", now), None);
    }
}

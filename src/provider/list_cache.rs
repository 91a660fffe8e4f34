//! A per-process, coalescing cache of one list call, with a bounded age.
//!
//! Terraform refreshes every resource instance with its own `ReadResource`
//! call, up to 10 at a time. Reading each token by id would cost N API
//! requests per plan; reading them all from one shared list costs one.
//!
//! Rules, each covered by a test:
//! - concurrent readers share one in-flight load;
//! - any write by this process ([`ListCache::invalidate`]) makes the next
//!   reader load again, so a read never misses this process's own changes;
//! - a failed load is not cached: the next reader tries again;
//! - a snapshot is served for at most [`MAX_AGE`] (5 s) after its load
//!   started; the first reader after that loads again. A process that serves
//!   reads long apart (one process serves a whole `terraform apply`, and with
//!   `--debug` every command) so sees a change made outside it, such as a
//!   revoke, at most 5 s late. A refresh of 1000 tokens takes well under
//!   5 s (about 0.3 s of the provider's time, see `BENCHMARKS.md`), so it
//!   still costs one or two list requests, never more than three;
//! - nothing outlives the process.
//!
//! What the list says about a token (revoked, expired) is the caller's
//! business: a revoked token stays listed and still reads as gone.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

/// How long after its load started a snapshot is served.
pub(crate) const MAX_AGE: Duration = Duration::from_secs(5);

/// Where the cache reads the time; tests inject a clock they move by hand.
type Clock = Arc<dyn Fn() -> Instant + Send + Sync>;

/// One loaded value and when its load started (the API's answer is at least
/// that old).
#[derive(Debug)]
struct Snapshot<T> {
    value: Arc<T>,
    load_started: Instant,
}

/// Caches the result of one load of `T` for at most [`MAX_AGE`], shared by
/// concurrent readers.
pub(crate) struct ListCache<T> {
    current: Mutex<Arc<OnceCell<Snapshot<T>>>>,
    max_age: Duration,
    clock: Clock,
}

impl<T> fmt::Debug for ListCache<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListCache")
            .field("max_age", &self.max_age)
            .finish_non_exhaustive()
    }
}

impl<T> Default for ListCache<T> {
    fn default() -> Self {
        Self::with_clock(MAX_AGE, Arc::new(Instant::now))
    }
}

impl<T> ListCache<T> {
    fn with_clock(max_age: Duration, clock: Clock) -> Self {
        Self {
            current: Mutex::new(Arc::new(OnceCell::new())),
            max_age,
            clock,
        }
    }

    /// The cached value if its load started less than [`MAX_AGE`] ago, else
    /// the result of `load` (run once for all concurrent callers). An error
    /// is returned to the callers that waited on that load and not cached.
    pub(crate) async fn get_or_load<E, F, Fut>(&self, load: F) -> Result<Arc<T>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let cell = {
            let mut current = self
                .current
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let expired = current.get().is_some_and(|snapshot| {
                (self.clock)().saturating_duration_since(snapshot.load_started) >= self.max_age
            });
            if expired {
                *current = Arc::new(OnceCell::new());
            }
            current.clone()
        };
        let snapshot = cell
            .get_or_try_init(|| async {
                let load_started = (self.clock)();
                let value = load().await?;
                Ok(Snapshot {
                    value: Arc::new(value),
                    load_started,
                })
            })
            .await?;
        Ok(snapshot.value.clone())
    }

    /// Forgets the cached value; call after every write.
    pub(crate) fn invalidate(&self) {
        *self
            .current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(OnceCell::new());
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    async fn slow_load(counter: &AtomicUsize, value: u32) -> Result<u32, String> {
        counter.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(20)).await;
        Ok(value)
    }

    #[tokio::test]
    async fn concurrent_readers_share_one_load() {
        let cache = Arc::new(ListCache::<u32>::default());
        let loads = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..100 {
            let cache = cache.clone();
            let loads = loads.clone();
            tasks.push(tokio::spawn(async move {
                *cache.get_or_load(|| slow_load(&loads, 7)).await.unwrap()
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap(), 7);
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn invalidate_makes_the_next_reader_load_again() {
        let cache = ListCache::<u32>::default();
        let loads = AtomicUsize::new(0);
        assert_eq!(
            *cache.get_or_load(|| slow_load(&loads, 1)).await.unwrap(),
            1
        );
        assert_eq!(
            *cache.get_or_load(|| slow_load(&loads, 2)).await.unwrap(),
            1
        );
        cache.invalidate();
        assert_eq!(
            *cache.get_or_load(|| slow_load(&loads, 3)).await.unwrap(),
            3
        );
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn failed_load_is_not_cached() {
        let cache = ListCache::<u32>::default();
        let failed: Result<Arc<u32>, String> = cache
            .get_or_load(|| async { Err("down".to_string()) })
            .await;
        assert_eq!(failed.unwrap_err(), "down");
        let loads = AtomicUsize::new(0);
        assert_eq!(
            *cache.get_or_load(|| slow_load(&loads, 5)).await.unwrap(),
            5
        );
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }

    /// A clock that only moves when the test says so.
    #[derive(Clone)]
    struct ManualClock {
        start: Instant,
        offset: Arc<Mutex<Duration>>,
    }

    impl ManualClock {
        fn new() -> Self {
            Self {
                start: Instant::now(),
                offset: Arc::new(Mutex::new(Duration::ZERO)),
            }
        }

        fn advance(&self, by: Duration) {
            *self.offset.lock().unwrap() += by;
        }

        fn cache<T>(&self) -> ListCache<T> {
            let clock = self.clone();
            ListCache::with_clock(
                MAX_AGE,
                Arc::new(move || clock.start + *clock.offset.lock().unwrap()),
            )
        }
    }

    async fn counted_load(counter: &AtomicUsize) -> Result<usize, String> {
        Ok(counter.fetch_add(1, Ordering::SeqCst) + 1)
    }

    #[test]
    fn max_age_is_a_few_seconds() {
        assert!(MAX_AGE >= Duration::from_secs(2) && MAX_AGE <= Duration::from_secs(10));
    }

    #[tokio::test]
    async fn snapshot_is_served_until_max_age_then_loaded_again() {
        let clock = ManualClock::new();
        let cache = clock.cache::<usize>();
        let loads = AtomicUsize::new(0);
        assert_eq!(
            *cache.get_or_load(|| counted_load(&loads)).await.unwrap(),
            1
        );
        clock.advance(MAX_AGE - Duration::from_millis(1));
        assert_eq!(
            *cache.get_or_load(|| counted_load(&loads)).await.unwrap(),
            1
        );
        clock.advance(Duration::from_millis(1));
        assert_eq!(
            *cache.get_or_load(|| counted_load(&loads)).await.unwrap(),
            2,
            "a snapshot {MAX_AGE:?} old was served"
        );
        assert_eq!(
            *cache.get_or_load(|| counted_load(&loads)).await.unwrap(),
            2
        );
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn age_counts_from_the_start_of_the_load() {
        let clock = ManualClock::new();
        let cache = clock.cache::<usize>();
        let loads = AtomicUsize::new(0);
        // The API answered after MAX_AGE: the answer is already too old to reuse.
        let slow = cache
            .get_or_load(|| async {
                clock.advance(MAX_AGE);
                counted_load(&loads).await
            })
            .await;
        assert_eq!(*slow.unwrap(), 1);
        assert_eq!(
            *cache.get_or_load(|| counted_load(&loads)).await.unwrap(),
            2
        );
    }

    #[tokio::test]
    async fn readers_after_expiry_share_one_reload() {
        let clock = ManualClock::new();
        let cache = Arc::new(clock.cache::<u32>());
        let loads = Arc::new(AtomicUsize::new(0));
        assert_eq!(
            *cache.get_or_load(|| slow_load(&loads, 1)).await.unwrap(),
            1
        );
        clock.advance(MAX_AGE);
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let (cache, loads) = (cache.clone(), loads.clone());
            tasks.push(tokio::spawn(async move {
                *cache.get_or_load(|| slow_load(&loads, 2)).await.unwrap()
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap(), 2);
        }
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    /// Terraform's refresh of 1000 tokens, 10 reads at a time, spread over
    /// 14 s of clock time (several times what it takes): at most 3 loads.
    #[tokio::test]
    async fn refresh_of_1000_tokens_costs_at_most_three_loads() {
        const TOKENS: usize = 1000;
        const PARALLELISM: usize = 10;
        let clock = ManualClock::new();
        let cache = Arc::new(clock.cache::<usize>());
        let loads = Arc::new(AtomicUsize::new(0));
        let per_batch = Duration::from_secs(14) / (TOKENS / PARALLELISM) as u32;
        for _ in 0..TOKENS / PARALLELISM {
            let mut batch = Vec::new();
            for _ in 0..PARALLELISM {
                let (cache, loads) = (cache.clone(), loads.clone());
                batch.push(tokio::spawn(async move {
                    cache.get_or_load(|| counted_load(&loads)).await.unwrap();
                }));
            }
            for read in batch {
                read.await.unwrap();
            }
            clock.advance(per_batch);
        }
        let loads = loads.load(Ordering::SeqCst);
        assert!(
            loads <= 3,
            "{loads} list loads for one refresh of {TOKENS} tokens"
        );
        assert!(
            loads >= 2,
            "14 s of reads never reloaded a {MAX_AGE:?} snapshot"
        );
    }
}

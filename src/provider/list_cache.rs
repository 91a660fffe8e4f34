//! A per-process, coalescing cache of one list call.
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
//! - nothing outlives the process, and Terraform starts a new provider
//!   process for every command, so no data is older than the current command.
//!
//! What the list says about a token (revoked, expired) is the caller's
//! business: a revoked token stays listed and still reads as gone.

use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

/// Caches the result of one load of `T`, shared by concurrent readers.
#[derive(Debug)]
pub(crate) struct ListCache<T> {
    current: Mutex<Arc<OnceCell<Arc<T>>>>,
}

impl<T> Default for ListCache<T> {
    fn default() -> Self {
        Self {
            current: Mutex::new(Arc::new(OnceCell::new())),
        }
    }
}

impl<T> ListCache<T> {
    /// The cached value, or the result of `load` (run once for all
    /// concurrent callers). An error is returned to the callers that waited
    /// on that load and not cached.
    pub(crate) async fn get_or_load<E, F, Fut>(&self, load: F) -> Result<Arc<T>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let cell = self
            .current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        cell.get_or_try_init(|| async { load().await.map(Arc::new) })
            .await
            .cloned()
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
}

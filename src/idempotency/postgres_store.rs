use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use tokio_postgres::{Config, NoTls};

use crate::idempotency::command_timeout::bounded;
use crate::idempotency::store::new_handle_number;
use crate::idempotency::{
    BoxStoreFuture, Claim, ClaimToken, IdempotencyKey, IdempotencyStore, StoreError,
};

/// How many attempts a claim makes when the row it collided with vanished
/// (released, or cleaned up) before it could be read.
const CLAIM_ATTEMPTS: usize = 3;

/// How many expired rows one cleanup statement deletes.
const CLEANUP_BATCH: i64 = 1000;

/// An [`IdempotencyStore`] on PostgreSQL, shared by every instance of a
/// fleet (feature `postgres`), through `tokio-postgres` and a `deadpool`
/// connection pool.
///
/// One row per delivery key: `token` holds the claim's token while it is in
/// flight and is `NULL` once completed; `expires_at` is the end of the
/// lease, then of the retention. Every time is the database's clock
/// (`now()`), so instances with skewed clocks agree.
///
/// * **claim** is one statement, `INSERT … ON CONFLICT (key) DO UPDATE …
///   WHERE the old row expired`; only when the key is taken does a second
///   read say by whom and for how long;
/// * **complete** and **release** act only on a live row holding the
///   caller's token, so a holder whose lease ended cannot touch a newer
///   claim;
/// * expired rows are deleted by [`delete_expired`](Self::delete_expired)
///   (or [`spawn_cleanup`](Self::spawn_cleanup)) in small batches that skip
///   locked rows: the cleanup never waits for a claim, and a claim waits for
///   it only when it arrives for a key the batch is deleting.
///
/// Create the table once with [`migrate`](Self::migrate) (safe to run from
/// every instance at start-up). Every operation is bounded by a timeout
/// (2 s unless [`with_command_timeout`](Self::with_command_timeout) says
/// otherwise); an unreachable server, an exhausted pool or a slow statement
/// is a [`StoreError`], which the delivery layer answers 503. The pool drops
/// connections the server closed and opens new ones, so the store recovers
/// on its own once the server is back.
///
/// ```no_run
/// use std::time::Duration;
/// use webhook_guard::idempotency::PostgresStore;
///
/// # async fn run() -> Result<(), webhook_guard::idempotency::StoreError> {
/// let store = PostgresStore::connect("postgres://webhooks@127.0.0.1/app").await?;
/// store.migrate().await?;
/// store.spawn_cleanup(Duration::from_secs(60));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
    sql: Arc<Statements>,
    command_timeout: Duration,
    /// Which handle this is (clones share it), for
    /// [`IdempotencyStore::records_identity`].
    handle: u64,
}

/// The statements, for one table name.
#[derive(Debug)]
struct Statements {
    table: String,
    migrate: String,
    claim: String,
    holder: String,
    complete: String,
    release: String,
    delete_expired: String,
}

impl Statements {
    fn for_table(table: &str) -> Self {
        let index = format!("{}_expires_at", table.rsplit('.').next().unwrap_or(table));
        Self {
            table: table.to_owned(),
            migrate: format!(
                "BEGIN;
                 SELECT pg_advisory_xact_lock(hashtext('webhook-guard migrate {table}'));
                 CREATE TABLE IF NOT EXISTS {table} (
                     key text PRIMARY KEY,
                     token bytea,
                     expires_at timestamptz NOT NULL
                 );
                 CREATE INDEX IF NOT EXISTS {index} ON {table} (expires_at);
                 COMMIT;"
            ),
            claim: format!(
                "INSERT INTO {table} AS held (key, token, expires_at)
                 VALUES ($1, $2, now() + $3::int8 * interval '1 millisecond')
                 ON CONFLICT (key) DO UPDATE
                     SET token = excluded.token, expires_at = excluded.expires_at
                     WHERE held.expires_at <= now()
                 RETURNING 1"
            ),
            holder: format!(
                "SELECT token IS NULL,
                        ceil(extract(epoch FROM expires_at - now()) * 1000)::int8
                 FROM {table} WHERE key = $1 AND expires_at > now()"
            ),
            complete: format!(
                "UPDATE {table}
                 SET token = NULL, expires_at = now() + $3::int8 * interval '1 millisecond'
                 WHERE key = $1 AND token = $2 AND expires_at > now()"
            ),
            release: format!(
                "DELETE FROM {table} WHERE key = $1 AND token = $2 AND expires_at > now()"
            ),
            delete_expired: format!(
                "DELETE FROM {table} WHERE key IN (
                     SELECT key FROM {table} WHERE expires_at <= now()
                     ORDER BY expires_at LIMIT $1
                     FOR UPDATE SKIP LOCKED
                 ) AND expires_at <= now()"
            ),
        }
    }
}

impl PostgresStore {
    /// One operation may take this long before it is a
    /// [`StoreError::Timeout`].
    pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_secs(2);
    /// The table [`migrate`](Self::migrate) creates and the store uses.
    pub const DEFAULT_TABLE: &'static str = "webhook_guard_claims";
    /// Connections in the pool [`connect`](Self::connect) builds.
    pub const DEFAULT_POOL_SIZE: usize = 16;

    /// Connects to `url` (`postgres://user:password@host:port/database`,
    /// or the `key=value` form) with a pool of
    /// [`DEFAULT_POOL_SIZE`](Self::DEFAULT_POOL_SIZE) connections, without
    /// TLS (build the pool yourself with a TLS connector and use
    /// [`new`](Self::new) for that). Fails if the server cannot be reached
    /// now.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let mut config =
            Config::from_str(url).map_err(|error| StoreError::Backend(Box::new(error)))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Self::DEFAULT_COMMAND_TIMEOUT);
        }
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let timeout = Some(Self::DEFAULT_COMMAND_TIMEOUT);
        let pool = Pool::builder(manager)
            .max_size(Self::DEFAULT_POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(timeout)
            .create_timeout(timeout)
            .recycle_timeout(timeout)
            .build()
            .map_err(|error| StoreError::Backend(Box::new(error)))?;
        let store = Self::new(pool);
        // Fail now, not at the first delivery, when the server is unreachable.
        let pool = store.pool.clone();
        bounded(store.command_timeout, async move {
            pool.get().await.map(drop).map_err(pool_error)
        })
        .await?;
        Ok(store)
    }

    /// A store on a pool the application already has (with TLS, its own
    /// size and timeouts), using the table
    /// [`DEFAULT_TABLE`](Self::DEFAULT_TABLE).
    pub fn new(pool: Pool) -> Self {
        Self {
            pool,
            sql: Arc::new(Statements::for_table(Self::DEFAULT_TABLE)),
            command_timeout: Self::DEFAULT_COMMAND_TIMEOUT,
            handle: new_handle_number(),
        }
    }

    /// Uses the table `name` (`table` or `schema.table`; letters, digits
    /// and `_`, not starting with a digit, at most 63 bytes per part).
    /// Returns `None` for any other name: it becomes part of SQL text.
    pub fn with_table(mut self, name: &str) -> Option<Self> {
        if !is_table_name(name) {
            return None;
        }
        self.sql = Arc::new(Statements::for_table(name));
        Some(self)
    }

    /// How long one operation (taking a connection, then its statements)
    /// may take before it is answered with [`StoreError::Timeout`]. Keep it
    /// below the delivery layer's store timeout (5 s by default).
    pub fn with_command_timeout(mut self, timeout: Duration) -> Self {
        self.command_timeout = timeout;
        self
    }

    /// The pool, to share it with the rest of the application.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Creates the table and its index if they do not exist. Safe to run
    /// from every instance at once (an advisory lock serializes them).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let (pool, sql) = (self.pool.clone(), self.sql.clone());
        bounded(self.command_timeout, async move {
            let client = pool.get().await.map_err(pool_error)?;
            client.batch_execute(&sql.migrate).await.map_err(pg_error)
        })
        .await
    }

    /// Deletes rows whose lease or retention has ended, a batch at a time
    /// (each its own short statement, skipping rows a claim has locked), and
    /// returns how many it deleted.
    pub async fn delete_expired(&self) -> Result<u64, StoreError> {
        let mut deleted = 0;
        loop {
            let (pool, sql) = (self.pool.clone(), self.sql.clone());
            let batch = bounded(self.command_timeout, async move {
                let client = pool.get().await.map_err(pool_error)?;
                let statement = client
                    .prepare_cached(&sql.delete_expired)
                    .await
                    .map_err(pg_error)?;
                client
                    .execute(&statement, &[&CLEANUP_BATCH])
                    .await
                    .map_err(pg_error)
            })
            .await?;
            deleted += batch;
            if batch < CLEANUP_BATCH as u64 {
                return Ok(deleted);
            }
        }
    }

    /// Runs [`delete_expired`](Self::delete_expired) every `period` on the
    /// current Tokio runtime until the returned task is aborted; failures
    /// are logged (target `webhook_guard`) and retried next period.
    pub fn spawn_cleanup(&self, period: Duration) -> tokio::task::JoinHandle<()> {
        let store = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(period);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                if let Err(error) = store.delete_expired().await {
                    tracing::warn!(%error, "could not delete expired idempotency records; retrying next period");
                }
            }
        })
    }
}

impl fmt::Debug for PostgresStore {
    /// The pool is left out: its configuration may carry a password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresStore")
            .field("table", &self.sql.table)
            .field("command_timeout", &self.command_timeout)
            .finish_non_exhaustive()
    }
}

impl IdempotencyStore for PostgresStore {
    type ClaimFuture = BoxStoreFuture<Claim>;
    type FinishFuture = BoxStoreFuture<bool>;

    fn claim(&self, key: &IdempotencyKey, lease: Duration) -> Self::ClaimFuture {
        let (pool, sql) = (self.pool.clone(), self.sql.clone());
        let key = key.as_str().to_owned();
        let lease_ms = millis(lease);
        Box::pin(bounded(self.command_timeout, async move {
            let client = pool.get().await.map_err(pool_error)?;
            let claim = client.prepare_cached(&sql.claim).await.map_err(pg_error)?;
            let holder = client.prepare_cached(&sql.holder).await.map_err(pg_error)?;
            for _ in 0..CLAIM_ATTEMPTS {
                let token = ClaimToken::random();
                let token_bytes: &[u8] = token.as_bytes();
                let acquired = client
                    .query_opt(&claim, &[&key, &token_bytes, &lease_ms])
                    .await
                    .map_err(pg_error)?;
                if acquired.is_some() {
                    return Ok(Claim::Acquired(token));
                }
                // Taken by a live row: whose, and for how long?
                let Some(row) = client.query_opt(&holder, &[&key]).await.map_err(pg_error)? else {
                    continue; // it ended between the two statements: claim again
                };
                let completed: bool = row.try_get(0).map_err(pg_error)?;
                let left_ms: i64 = row.try_get(1).map_err(pg_error)?;
                return Ok(if completed {
                    Claim::Completed
                } else {
                    Claim::InFlight {
                        retry_after: Duration::from_millis(left_ms.clamp(1, lease_ms) as u64),
                    }
                });
            }
            // The key keeps changing hands: someone else is on it right now.
            Ok(Claim::InFlight {
                retry_after: Duration::from_secs(1),
            })
        }))
    }

    fn complete(
        &self,
        key: &IdempotencyKey,
        token: &ClaimToken,
        retention: Duration,
    ) -> Self::FinishFuture {
        let (pool, sql) = (self.pool.clone(), self.sql.clone());
        let (key, token) = (key.as_str().to_owned(), *token.as_bytes());
        let retention_ms = millis(retention);
        Box::pin(bounded(self.command_timeout, async move {
            let client = pool.get().await.map_err(pool_error)?;
            let statement = client
                .prepare_cached(&sql.complete)
                .await
                .map_err(pg_error)?;
            let token: &[u8] = &token;
            let updated = client
                .execute(&statement, &[&key, &token, &retention_ms])
                .await
                .map_err(pg_error)?;
            Ok(updated == 1)
        }))
    }

    fn release(&self, key: &IdempotencyKey, token: &ClaimToken) -> Self::FinishFuture {
        let (pool, sql) = (self.pool.clone(), self.sql.clone());
        let (key, token) = (key.as_str().to_owned(), *token.as_bytes());
        Box::pin(bounded(self.command_timeout, async move {
            let client = pool.get().await.map_err(pool_error)?;
            let statement = client
                .prepare_cached(&sql.release)
                .await
                .map_err(pg_error)?;
            let token: &[u8] = &token;
            let deleted = client
                .execute(&statement, &[&key, &token])
                .await
                .map_err(pg_error)?;
            Ok(deleted == 1)
        }))
    }

    /// This handle and its clones, with its table. Another pool on the
    /// same database is another identity: guards on separate handles are
    /// not checked against each other.
    fn records_identity(&self) -> Option<String> {
        Some(format!("postgres#{}:{}", self.handle, self.sql.table))
    }
}

/// `table` or `schema.table`, each part an unquoted identifier that needs
/// no quoting: ASCII letters, digits and `_`, not starting with a digit, at
/// most 63 bytes (PostgreSQL's limit).
fn is_table_name(name: &str) -> bool {
    let is_identifier = |part: &str| {
        !part.is_empty()
            && part.len() <= 63
            && !part.as_bytes()[0].is_ascii_digit()
            && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    };
    match name.split_once('.') {
        Some((schema, table)) => is_identifier(schema) && is_identifier(table),
        None => is_identifier(name),
    }
}

/// Whole milliseconds, at least one, as PostgreSQL's `int8`.
fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis())
        .unwrap_or(i64::MAX)
        .max(1)
}

fn pool_error(error: PoolError) -> StoreError {
    match error {
        PoolError::Timeout(_) => StoreError::Unavailable {
            reason: format!("no database connection: {error}"),
        },
        PoolError::Backend(error) => pg_error(error),
        PoolError::Closed => StoreError::Unavailable {
            reason: "the connection pool is closed".to_owned(),
        },
        other => StoreError::Backend(Box::new(other)),
    }
}

/// An error from the database itself (a missing table: run `migrate()`) is
/// [`StoreError::Backend`]; a connection that failed or closed is
/// [`StoreError::Unavailable`].
fn pg_error(error: tokio_postgres::Error) -> StoreError {
    if error.as_db_error().is_some() {
        StoreError::Backend(Box::new(error))
    } else {
        StoreError::Unavailable {
            reason: error.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_identifiers_become_table_names() {
        for good in [
            "webhook_guard_claims",
            "hooks.claims",
            "_t1",
            &"a".repeat(63),
        ] {
            assert!(is_table_name(good), "{good}");
        }
        for bad in [
            "",
            "1claims",
            "claims; DROP TABLE users",
            "\"claims\"",
            "a.b.c",
            ".claims",
            "claims.",
            "clé",
            &"a".repeat(64),
        ] {
            assert!(!is_table_name(bad), "{bad}");
        }
    }
}

use std::fmt;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig};
use redis::{Client, FromRedisValue, RedisError, Script, ScriptInvocation};

use crate::idempotency::command_timeout::bounded;
use crate::idempotency::store::new_handle_number;
use crate::idempotency::{
    BoxStoreFuture, Claim, ClaimToken, IdempotencyKey, IdempotencyStore, StoreError,
};

/// The value of a completed record; an in-flight claim holds its token (32
/// hex digits), so the two never collide.
const COMPLETED: &str = "done";

/// `SET key token NX PX lease` — the claim itself, one atomic command — and,
/// only when the key is taken, who has it and for how long, in the same
/// round trip: `{1, 0}` acquired, `{2, ms}` in flight, `{3, ms}` completed.
/// A key already holding this very token is acquired too: the same claim,
/// resent because the answer to the first send was lost.
static CLAIM: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, 0}
end
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  return {1, 0}
end
local left = redis.call('PTTL', KEYS[1])
if holder == ARGV[3] then
  return {3, left}
end
return {2, left}
",
    )
});

/// Completes the claim only while `token` holds it (an expired lease has
/// no key left, a newer claim has another token).
static COMPLETE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
  return 1
end
return 0
",
    )
});

/// Releases the claim only while `token` holds it.
static RELEASE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
",
    )
});

/// An [`IdempotencyStore`] on Redis, shared by every instance of a fleet
/// (feature `redis`).
///
/// * **claim** is one atomic round trip: a script around
///   `SET key token NX PX lease`, which also reports who holds a taken key;
/// * **complete** and **release** are scripts that act only while the
///   caller's token still holds the key, so a holder whose lease ended
///   cannot touch a newer claim;
/// * **retention** is the key's expiry: Redis forgets completed records on
///   its own, nothing to clean up.
///
/// Keys are `prefix + namespace:event-id` (prefix `webhook-guard:` unless
/// [`with_prefix`](Self::with_prefix) says otherwise). Every command is
/// bounded by a timeout (2 s unless
/// [`with_command_timeout`](Self::with_command_timeout) says otherwise); an
/// unreachable server or a command that takes longer is a [`StoreError`],
/// which the delivery layer answers 503. [`connect`](RedisStore::connect)
/// uses the `redis` crate's [`ConnectionManager`], which reconnects on its
/// own once the server is back; any other async connection works through
/// [`new`](Self::new).
///
/// ```no_run
/// use webhook_guard::idempotency::RedisStore;
///
/// # async fn run() -> Result<(), webhook_guard::idempotency::StoreError> {
/// let store = RedisStore::connect("redis://127.0.0.1:6379/").await?
///     .with_prefix("billing-webhooks:");
/// # let _ = store;
/// # Ok(())
/// # }
/// ```
///
/// Durability is Redis's: a completed record survives a restart only if
/// the server persists it (`appendonly yes`, ideally `appendfsync always`),
/// and a failover to a replica that had not yet received it forgets it.
/// The crate's README discusses the trade-off.
#[derive(Clone)]
pub struct RedisStore<C = ConnectionManager> {
    connection: C,
    prefix: Arc<str>,
    command_timeout: Duration,
    /// Which handle this is (clones share it), for
    /// [`IdempotencyStore::records_identity`].
    handle: u64,
}

impl RedisStore<ConnectionManager> {
    /// Connects to `url` (`redis://`, `rediss://` with the `redis` crate's
    /// TLS features, `redis+unix://`) through a [`ConnectionManager`] that
    /// reconnects on its own. Fails if the server cannot be reached now.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let client = Client::open(url).map_err(store_error)?;
        Self::from_client(client).await
    }

    /// Connects through a [`ConnectionManager`] on a client the application
    /// already configured.
    pub async fn from_client(client: Client) -> Result<Self, StoreError> {
        let timeout = Self::DEFAULT_COMMAND_TIMEOUT;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout))
            .set_max_delay(Duration::from_secs(1));
        let connecting = ConnectionManager::new_with_config(client, config);
        let connection = bounded(timeout, async { connecting.await.map_err(store_error) }).await?;
        Ok(Self::new(connection))
    }
}

impl<C> RedisStore<C>
where
    C: ConnectionLike + Clone + Send + Sync + 'static,
{
    /// One command may take this long before it is a [`StoreError::Timeout`].
    pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_secs(2);
    /// Prepended to every key.
    pub const DEFAULT_PREFIX: &'static str = "webhook-guard:";

    /// A store on a connection the application already has: a
    /// [`ConnectionManager`], a `MultiplexedConnection`, a cluster
    /// connection — anything cheap to clone that multiplexes commands.
    pub fn new(connection: C) -> Self {
        Self {
            connection,
            prefix: Arc::from(Self::DEFAULT_PREFIX),
            command_timeout: Self::DEFAULT_COMMAND_TIMEOUT,
            handle: new_handle_number(),
        }
    }

    /// Prepends `prefix` to every key, to share a Redis database with other
    /// data or keep two receivers' records apart.
    pub fn with_prefix(mut self, prefix: &str) -> Self {
        self.prefix = Arc::from(prefix);
        self
    }

    /// How long one command may take before it is answered with
    /// [`StoreError::Timeout`]. Keep it below the delivery layer's store
    /// timeout (5 s by default), so the store's own error is the one logged.
    pub fn with_command_timeout(mut self, timeout: Duration) -> Self {
        self.command_timeout = timeout;
        self
    }

    /// The connection, to share it with the rest of the application.
    pub fn connection(&self) -> &C {
        &self.connection
    }

    fn redis_key(&self, key: &IdempotencyKey) -> String {
        let mut redis_key = String::with_capacity(self.prefix.len() + key.as_str().len());
        redis_key.push_str(&self.prefix);
        redis_key.push_str(key.as_str());
        redis_key
    }
}

impl<C> fmt::Debug for RedisStore<C> {
    /// The connection is left out: its address may carry a password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("command_timeout", &self.command_timeout)
            .finish_non_exhaustive()
    }
}

impl<C> IdempotencyStore for RedisStore<C>
where
    C: ConnectionLike + Clone + Send + Sync + 'static,
{
    type ClaimFuture = BoxStoreFuture<Claim>;
    type FinishFuture = BoxStoreFuture<bool>;

    fn claim(&self, key: &IdempotencyKey, lease: Duration) -> Self::ClaimFuture {
        let mut connection = self.connection.clone();
        let key = self.redis_key(key);
        let token = ClaimToken::random();
        let timeout = self.command_timeout;
        Box::pin(bounded(timeout, async move {
            let mut claim = CLAIM.prepare_invoke();
            claim
                .key(&key)
                .arg(token.to_string())
                .arg(millis(lease))
                .arg(COMPLETED);
            let (state, millis): (i64, i64) = invoke(&claim, &mut connection).await?;
            Ok(match state {
                1 => Claim::Acquired(token),
                3 => Claim::Completed,
                // A key without an expiry (written by someone else) or one
                // that expired between the two reads is still taken now.
                _ => Claim::InFlight {
                    retry_after: Duration::from_millis(
                        u64::try_from(millis)
                            .unwrap_or(0)
                            .max(1)
                            .min(millis_u64(lease)),
                    ),
                },
            })
        }))
    }

    fn complete(
        &self,
        key: &IdempotencyKey,
        token: &ClaimToken,
        retention: Duration,
    ) -> Self::FinishFuture {
        let mut connection = self.connection.clone();
        let key = self.redis_key(key);
        let token = token.to_string();
        Box::pin(bounded(self.command_timeout, async move {
            let mut complete = COMPLETE.prepare_invoke();
            complete
                .key(&key)
                .arg(token)
                .arg(millis(retention))
                .arg(COMPLETED);
            let done: i64 = invoke(&complete, &mut connection).await?;
            Ok(done == 1)
        }))
    }

    fn release(&self, key: &IdempotencyKey, token: &ClaimToken) -> Self::FinishFuture {
        let mut connection = self.connection.clone();
        let key = self.redis_key(key);
        let token = token.to_string();
        Box::pin(bounded(self.command_timeout, async move {
            let mut release = RELEASE.prepare_invoke();
            release.key(&key).arg(token);
            let done: i64 = invoke(&release, &mut connection).await?;
            Ok(done == 1)
        }))
    }

    /// This handle and its clones, with its key prefix. Another handle on
    /// the same server is another identity: guards on separate handles are
    /// not checked against each other.
    fn records_identity(&self) -> Option<String> {
        Some(format!("redis#{}:{}", self.handle, self.prefix))
    }
}

/// Runs a script once more when the connection it went out on turned out
/// dead (the server restarted or failed over since the last command): the
/// connection manager has reconnected by then, and the first attempt never
/// reached a live server. A repeat of one that did reach it is harmless: a
/// claim recognises its own token, a finish finds its token gone.
async fn invoke<T, C>(
    invocation: &ScriptInvocation<'_>,
    connection: &mut C,
) -> Result<T, StoreError>
where
    T: FromRedisValue,
    C: ConnectionLike,
{
    match invocation.invoke_async(connection).await {
        Err(error) if error.is_connection_dropped() || error.is_unrecoverable_error() => invocation
            .invoke_async(connection)
            .await
            .map_err(store_error),
        answer => answer.map_err(store_error),
    }
}

/// Redis's `PX` takes whole milliseconds, at least one.
fn millis(duration: Duration) -> u64 {
    millis_u64(duration).max(1)
}

fn millis_u64(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Connection trouble is [`StoreError::Unavailable`]; anything else (a
/// wrong password, a read-only replica, an unexpected reply) is a
/// [`StoreError::Backend`] error.
fn store_error(error: RedisError) -> StoreError {
    if error.is_io_error()
        || error.is_connection_dropped()
        || error.is_connection_refusal()
        || error.is_timeout()
    {
        StoreError::Unavailable {
            reason: error.to_string(),
        }
    } else {
        StoreError::Backend(Box::new(error))
    }
}

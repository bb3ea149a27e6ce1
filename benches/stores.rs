//! Claim + complete per delivery, for each idempotency store, on loopback
//! servers this benchmark starts itself (as the tests do): deliveries per
//! second with 1 and 32 deliveries in flight, next to the floor in the same
//! run: two plain single-key writes per delivery on the same connections
//! and server (`SET key 1 PX 60000`; `INSERT` of a fresh primary key), which
//! pay the same round trips and the same durability cost (Redis runs with
//! `appendfsync always`, PostgreSQL with `fsync=off`, as in the tests).
//! `MemoryStore` is listed for scale.
//!
//! ```sh
//! cargo bench --bench stores --features redis,postgres
//! ```
//!
//! `-- --test` runs every case briefly, to check the benchmark works.

#[path = "../tests/stores/servers.rs"]
#[allow(dead_code)] // crashing and restarting servers is for the fault tests
mod servers;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use redis::aio::ConnectionManager;
use webhook_guard::idempotency::{
    Claim, IdempotencyKey, IdempotencyStore, MemoryStore, PostgresStore, RedisStore,
};

use crate::servers::Server;

const LEASE: Duration = Duration::from_secs(60);
const RETENTION: Duration = Duration::from_secs(3600);
const CONCURRENCY: [usize; 2] = [1, 32];

/// One delivery's work: claim a fresh key, then complete it.
async fn deliver<S: IdempotencyStore>(store: &S, n: usize) {
    let key = IdempotencyKey::new("bench", &format!("evt_{n}"));
    let Ok(Claim::Acquired(token)) = store.claim(&key, LEASE).await else {
        panic!("a fresh key must be acquired");
    };
    assert!(store.complete(&key, &token, RETENTION).await.unwrap());
}

/// Runs `one` as often as it can, `concurrency` at a time, for `duration`;
/// returns how many ran per second.
async fn rate<F, Fut>(concurrency: usize, duration: Duration, one: F) -> f64
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send,
{
    // Numbers never repeat across runs, so every key and row is fresh.
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let one = Arc::new(one);
    let first = NEXT.load(Ordering::Relaxed);
    let start = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let one = one.clone();
            tokio::spawn(async move {
                while start.elapsed() < duration {
                    one(NEXT.fetch_add(1, Ordering::Relaxed)).await;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
    (NEXT.load(Ordering::Relaxed) - first) as f64 / start.elapsed().as_secs_f64()
}

struct Row {
    store: &'static str,
    concurrency: usize,
    deliveries: f64,
    floor: Option<f64>,
}

async fn measure<S: IdempotencyStore>(
    name: &'static str,
    store: S,
    floor: Option<
        impl Fn(usize) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>>
        + Clone
        + Send
        + Sync
        + 'static,
    >,
    duration: Duration,
    rows: &mut Vec<Row>,
) {
    for concurrency in CONCURRENCY {
        let floor_rate = match &floor {
            Some(floor) => Some(rate(concurrency, duration, floor.clone()).await),
            None => None,
        };
        let store = store.clone();
        let deliveries = rate(concurrency, duration, move |n| {
            let store = store.clone();
            async move { deliver(&store, n).await }
        })
        .await;
        rows.push(Row {
            store: name,
            concurrency,
            deliveries,
            floor: floor_rate,
        });
    }
}

/// Bare round trips on a store's own connections: the floor of its cost.
type RoundTrips = Pin<Box<dyn Future<Output = ()> + Send>>;

fn main() {
    let quick = std::env::args().any(|arg| arg == "--test");
    let duration = if quick {
        Duration::from_millis(200)
    } else {
        Duration::from_secs(5)
    };
    let redis_server = Server::redis();
    let postgres_server = Server::postgres();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let rows = runtime.block_on(async {
        let mut rows = Vec::new();
        measure(
            "MemoryStore",
            MemoryStore::new(),
            None::<fn(usize) -> RoundTrips>,
            duration,
            &mut rows,
        )
        .await;

        let redis = RedisStore::connect(redis_server.url()).await.unwrap();
        let connection: ConnectionManager = redis.connection().clone();
        let sets = move |n: usize| {
            let mut connection = connection.clone();
            Box::pin(async move {
                for half in 0..2 {
                    let _: String = redis::cmd("SET")
                        .arg(format!("floor:{n}:{half}"))
                        .arg(1)
                        .arg("PX")
                        .arg(60_000)
                        .query_async(&mut connection)
                        .await
                        .unwrap();
                }
            }) as RoundTrips
        };
        measure("RedisStore", redis, Some(sets), duration, &mut rows).await;

        let postgres = PostgresStore::connect(postgres_server.url()).await.unwrap();
        postgres.migrate().await.unwrap();
        let pool = postgres.pool().clone();
        pool.get()
            .await
            .unwrap()
            .batch_execute("CREATE TABLE floor (key text PRIMARY KEY)")
            .await
            .unwrap();
        let inserts = move |n: usize| {
            let pool = pool.clone();
            Box::pin(async move {
                let client = pool.get().await.unwrap();
                let statement = client
                    .prepare_cached("INSERT INTO floor (key) VALUES ($1)")
                    .await
                    .unwrap();
                for half in 0..2 {
                    let key = format!("floor:{n}:{half}");
                    client.execute(&statement, &[&key]).await.unwrap();
                }
            }) as RoundTrips
        };
        measure(
            "PostgresStore",
            postgres,
            Some(inserts),
            duration,
            &mut rows,
        )
        .await;
        rows
    });

    println!(
        "| store | in flight | deliveries/s (claim + complete) | floor: 2 plain writes/s | deliveries ÷ floor |"
    );
    println!("|---|---:|---:|---:|---:|");
    for row in rows {
        let (floor, ratio) = match row.floor {
            Some(floor) => (
                format!("{floor:.0}"),
                format!("{:.2}", row.deliveries / floor),
            ),
            None => ("—".to_owned(), "—".to_owned()),
        };
        println!(
            "| {} | {} | {:.0} | {floor} | {ratio} |",
            row.store, row.concurrency, row.deliveries
        );
    }
}

//! `RedisStore` and `PostgresStore` against real servers on loopback: the
//! conformance suite, a fleet of receivers sharing each store, and a crash
//! of the server in the middle of a run.

#[path = "../support/actix_server.rs"]
mod actix_server;
mod fleet;
mod servers;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::sync::atomic::Ordering;
use std::time::Duration;

use webhook_guard::idempotency::{
    Claim, IdempotencyKey, IdempotencyStore, PostgresStore, RedisStore,
};

use crate::fleet::{Handled, Sender, events, serve, serve_actix};
use crate::servers::Server;

/// One server per test binary for the conformance checks (they use
/// unique keys); the fleet and fault tests start their own.
fn shared_redis() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(Server::redis)
}

fn shared_postgres() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(Server::postgres)
}

async fn redis_store(url: &str) -> RedisStore {
    RedisStore::connect(url)
        .await
        .unwrap_or_else(|error| panic!("cannot reach the test Redis at {url}: {error}"))
}

async fn postgres_store(url: &str) -> PostgresStore {
    let store = PostgresStore::connect(url)
        .await
        .unwrap_or_else(|error| panic!("cannot reach the test PostgreSQL at {url}: {error}"));
    store.migrate().await.expect("create the claims table");
    store
}

mod redis_conformance {
    webhook_guard::idempotency_store_conformance!(
        super::redis_store(super::shared_redis().url()).await
    );
}

mod postgres_conformance {
    webhook_guard::idempotency_store_conformance!(
        super::postgres_store(super::shared_postgres().url()).await
    );
}

/// 1,000 deliveries (700 events, 300 duplicates) over 32 connections to two
/// receivers, each with its own connection to the store.
const UNIQUE: usize = 700;
const DUPLICATES: usize = 300;
const CONNECTIONS: usize = 32;
/// Every run finishes well within this, or the test fails.
const RUN_LIMIT: Duration = Duration::from_secs(180);

/// Two receivers, each with its own connection (pool) to the store.
async fn fleet<S, F>(connect: impl Fn() -> F) -> (Handled, [SocketAddr; 2])
where
    S: IdempotencyStore,
    F: Future<Output = S>,
{
    let handled = Handled::default();
    let receivers = [
        serve(connect().await, handled.clone()).await,
        serve(connect().await, handled.clone()).await,
    ];
    (handled, receivers)
}

async fn fleet_handles_each_event_once<S, F>(run: &str, connect: impl Fn() -> F)
where
    S: IdempotencyStore,
    F: Future<Output = S>,
{
    let (handled, receivers) = fleet(connect).await;
    deliver_each_once(run, &handled, &receivers).await;
}

/// An axum receiver and an actix-web receiver (two workers), each with its
/// own connection to the store: the two faces are one fleet.
async fn mixed_fleet_handles_each_event_once<S, F>(run: &str, connect: impl Fn() -> F)
where
    S: IdempotencyStore,
    F: Future<Output = S>,
{
    let handled = Handled::default();
    let axum = serve(connect().await, handled.clone()).await;
    let actix = serve_actix(connect().await, handled.clone());
    deliver_each_once(run, &handled, &[axum, actix.address]).await;
}

/// Sends the run's deliveries to `receivers`; every event must run once.
async fn deliver_each_once(run: &str, handled: &Handled, receivers: &[SocketAddr]) {
    let (ids, deliveries) = events(run, UNIQUE, DUPLICATES);
    let sender = Sender::new(&deliveries);
    tokio::time::timeout(RUN_LIMIT, sender.run(receivers, CONNECTIONS))
        .await
        .unwrap_or_else(|_| panic!("{} deliveries still unanswered", sender.outstanding()));
    eprintln!("{run}: {}", sender.answers.summary());
    handled.assert_each_once(&ids);
    assert_eq!(sender.answers.processed.load(Ordering::Relaxed), UNIQUE);
    assert_eq!(sender.answers.duplicate.load(Ordering::Relaxed), DUPLICATES);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_fleet_handles_each_event_once() {
    let server = Server::redis();
    fleet_handles_each_event_once("redis-fleet", || redis_store(server.url())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_fleet_handles_each_event_once() {
    let server = Server::postgres();
    fleet_handles_each_event_once("postgres-fleet", || postgres_store(server.url())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_axum_and_actix_fleet_on_redis_handles_each_event_once() {
    let server = Server::redis();
    mixed_fleet_handles_each_event_once("redis-mixed", || redis_store(server.url())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_axum_and_actix_fleet_on_postgres_handles_each_event_once() {
    let server = Server::postgres();
    mixed_fleet_handles_each_event_once("postgres-mixed", || postgres_store(server.url())).await;
}

/// How long the store stays down in the fault tests: longer than the
/// stores' command timeout (2 s), so deliveries waiting on a reconnecting
/// client are answered 503 before the server is back.
const OUTAGE: Duration = Duration::from_millis(3000);

/// The fleet runs; once a third of the deliveries are answered, the store's
/// server crashes, stays down for [`OUTAGE`], and comes back. Deliveries
/// during the outage are answered 503 and retried; at the end every event
/// ran exactly once, and every one of them is recorded: delivered again,
/// each is answered as a duplicate.
async fn fleet_survives_a_store_crash<S, F>(
    run: &str,
    connect: impl Fn() -> F,
    mut crash: impl FnMut(),
    mut restart: impl FnMut(),
) where
    S: IdempotencyStore,
    F: Future<Output = S>,
{
    let (handled, receivers) = fleet(connect).await;
    let (ids, deliveries) = events(run, UNIQUE, DUPLICATES);
    let sender = Sender::new(&deliveries);
    let running = tokio::spawn({
        let (sender, receivers) = (sender.clone(), receivers);
        async move { sender.run(&receivers, CONNECTIONS).await }
    });

    while sender.outstanding() > deliveries.len() * 2 / 3 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    crash();
    let unavailable_before = sender.answers.unavailable.load(Ordering::Relaxed);
    tokio::time::sleep(OUTAGE).await;
    restart();
    // Attempts sent during the outage, answered 503 once their command
    // timed out (possibly just after the restart).
    tokio::time::sleep(Duration::from_millis(100)).await;
    let unavailable = sender.answers.unavailable.load(Ordering::Relaxed) - unavailable_before;

    tokio::time::timeout(RUN_LIMIT, running)
        .await
        .unwrap_or_else(|_| panic!("{} deliveries still unanswered", sender.outstanding()))
        .expect("the sender panicked");
    eprintln!(
        "{run}: {} ({unavailable} answered 503 for the outage)",
        sender.answers.summary()
    );
    assert!(
        unavailable > 0,
        "deliveries during the outage must be answered 503"
    );
    handled.assert_each_once(&ids);
    // A completion the server applied just before it crashed, its answer
    // lost, is retried after the restart and told the claim is no longer
    // held. The guard cannot tell that from a lease that ended, so it
    // answers 503, never a 2xx it cannot vouch for; the sender's retry is
    // then a duplicate. Every other event was answered as processed.
    let processed = sender.answers.processed.load(Ordering::Relaxed);
    let unavailable_total = sender.answers.unavailable.load(Ordering::Relaxed);
    assert!(
        processed <= UNIQUE && processed + unavailable_total >= UNIQUE,
        "{processed} processed"
    );

    // Every 2xx was recorded, and survived the crash: each event is
    // answered as a duplicate now, and no handler runs again.
    let again = Sender::new(&ids);
    tokio::time::timeout(RUN_LIMIT, again.run(&receivers, CONNECTIONS))
        .await
        .expect("redelivery finished");
    assert_eq!(again.answers.duplicate.load(Ordering::Relaxed), UNIQUE);
    handled.assert_each_once(&ids);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_crash_mid_run_loses_nothing_and_runs_nothing_twice() {
    let server = std::sync::Mutex::new(Server::redis());
    let url = server.lock().unwrap().url().to_owned();
    fleet_survives_a_store_crash(
        "redis-crash",
        || redis_store(&url),
        || server.lock().unwrap().crash(),
        || server.lock().unwrap().restart(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_crash_mid_run_loses_nothing_and_runs_nothing_twice() {
    let server = std::sync::Mutex::new(Server::postgres());
    let url = server.lock().unwrap().url().to_owned();
    fleet_survives_a_store_crash(
        "postgres-crash",
        || postgres_store(&url),
        || server.lock().unwrap().crash(),
        || server.lock().unwrap().restart(),
    )
    .await;
}

/// The command timeout the reconnection tests give their store: well under
/// the 2 s default, so that a store ignoring it fails the test.
const COMMAND_TIMEOUT: Duration = Duration::from_millis(500);

/// While the server is down, every operation fails with a store error (the
/// layer's 503) within the command timeout; once it is back, the very next
/// operation succeeds on the store's existing connections.
async fn store_reconnects_after_a_restart<S: IdempotencyStore>(
    store: S,
    mut crash: impl FnMut(),
    mut restart: impl FnMut(),
) {
    let key = |n: usize| IdempotencyKey::new("reconnect", &format!("evt_{n}"));
    assert!(matches!(
        store.claim(&key(0), Duration::from_secs(60)).await,
        Ok(Claim::Acquired(_))
    ));
    crash();
    let started = std::time::Instant::now();
    let down = store.claim(&key(1), Duration::from_secs(60)).await;
    assert!(
        down.is_err(),
        "a claim with the server down must fail: {down:?}"
    );
    assert!(
        started.elapsed() < COMMAND_TIMEOUT + Duration::from_millis(1000),
        "bounded by the command timeout, took {:?}",
        started.elapsed()
    );
    restart();
    let back = store.claim(&key(2), Duration::from_secs(60)).await;
    assert!(
        matches!(back, Ok(Claim::Acquired(_))),
        "the first claim after the restart must succeed: {back:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_store_reconnects_after_a_restart() {
    let server = std::sync::Mutex::new(Server::redis());
    let url = server.lock().unwrap().url().to_owned();
    let store = redis_store(&url)
        .await
        .with_command_timeout(COMMAND_TIMEOUT);
    store_reconnects_after_a_restart(
        store,
        || server.lock().unwrap().crash(),
        || server.lock().unwrap().restart(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_store_reconnects_after_a_restart() {
    let server = std::sync::Mutex::new(Server::postgres());
    let url = server.lock().unwrap().url().to_owned();
    let store = postgres_store(&url)
        .await
        .with_command_timeout(COMMAND_TIMEOUT);
    store_reconnects_after_a_restart(
        store,
        || server.lock().unwrap().crash(),
        || server.lock().unwrap().restart(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_store_keeps_its_records_in_the_table_it_is_given() {
    let url = shared_postgres().url();
    let admin = PostgresStore::connect(url).await.unwrap();
    admin
        .pool()
        .get()
        .await
        .unwrap()
        .batch_execute("CREATE SCHEMA IF NOT EXISTS webhooks")
        .await
        .unwrap();
    let store = admin
        .with_table("webhooks.claims")
        .expect("a valid table name");
    store.migrate().await.unwrap();
    store.migrate().await.expect("migrate is idempotent");
    let key = IdempotencyKey::new("custom-table", "evt_1");
    let Ok(Claim::Acquired(token)) = store.claim(&key, Duration::from_secs(60)).await else {
        panic!("a fresh key must be acquired");
    };
    assert!(
        store
            .complete(&key, &token, Duration::from_secs(60))
            .await
            .unwrap()
    );
    let row = store
        .pool()
        .get()
        .await
        .unwrap()
        .query_one(
            "SELECT token IS NULL FROM webhooks.claims WHERE key = $1",
            &[&key.as_str()],
        )
        .await
        .expect("the record is in webhooks.claims");
    assert!(row.get::<_, bool>(0), "completed records hold no token");
}

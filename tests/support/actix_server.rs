//! An actix-web server for tests and benchmarks: `HttpServer` on a loopback
//! port, on a thread of its own with its own actix system, as actix-web runs
//! in production. Shared by `tests/delivery`, `tests/stores` and
//! `benches/http.rs` through `#[path]`.

use std::net::{SocketAddr, TcpListener};
use std::thread::JoinHandle;

use actix_web::dev::{Server, ServerHandle};

/// A running actix-web server; dropping it stops it (without waiting).
pub(crate) struct ActixServer {
    pub(crate) address: SocketAddr,
    handle: ServerHandle,
    thread: Option<JoinHandle<()>>,
}

impl ActixServer {
    /// Binds a loopback port and runs the server `build` makes on it, e.g.
    /// `|listener| HttpServer::new(app).workers(2).disable_signals()
    /// .listen(listener).unwrap().run()`.
    #[allow(dead_code)] // the delivery suite binds its own address
    pub(crate) fn start(build: impl FnOnce(TcpListener) -> Server + Send + 'static) -> Self {
        Self::start_at(SocketAddr::from(([127, 0, 0, 1], 0)), build)
    }

    /// The same on `address` (`[::1]:0`: IPv6 loopback).
    pub(crate) fn start_at(
        address: SocketAddr,
        build: impl FnOnce(TcpListener) -> Server + Send + 'static,
    ) -> Self {
        let listener = TcpListener::bind(address).unwrap();
        let address = listener.local_addr().unwrap();
        let (handle_sender, handle) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = build(listener);
                handle_sender.send(server.handle()).unwrap();
                server.await.unwrap();
            });
        });
        let handle = handle.recv().expect("the actix-web server starts");
        Self {
            address,
            handle,
            thread: Some(thread),
        }
    }

    /// Stops the server and waits until its threads are gone.
    #[allow(dead_code)] // the benchmark waits; the tests stop on drop
    pub(crate) async fn stop(mut self) {
        self.handle.stop(false).await;
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }
}

impl Drop for ActixServer {
    fn drop(&mut self) {
        // The stop command is sent at once; the future only waits for it.
        drop(self.handle.stop(false));
    }
}

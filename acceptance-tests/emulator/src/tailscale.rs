//! tailscale API emulation (placeholder until its routes land).

use axum::Router;
use serde::{Deserialize, Serialize};

use crate::world::Emulator;

#[derive(Default, Serialize, Deserialize)]
pub struct TailscaleState {}

pub fn router() -> Router<Emulator> {
    Router::new()
}

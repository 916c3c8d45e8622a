//! r2 API emulation (placeholder until its routes land).

use axum::Router;
use serde::{Deserialize, Serialize};

use crate::world::Emulator;

#[derive(Default, Serialize, Deserialize)]
pub struct R2State {}

pub fn router() -> Router<Emulator> {
    Router::new()
}

//! Hookscope's engine: capture webhooks, store them byte for byte, verify their signatures,
//! forward and replay them. The desktop shell and the `hookscope` CLI both sit on this crate;
//! nothing here depends on a window toolkit.

pub mod body;
pub mod capture;
pub mod delivery;
pub mod detail;
pub mod diff;
pub mod endpoints;
pub mod engine;
pub mod event_batches;
pub mod event_meta;
pub mod export;
pub mod instance;
pub mod json_schema;
mod log_gate;
pub mod model;
pub mod notify;
pub mod respond;
pub mod samples;
pub mod signature;
pub mod store;
pub mod tunnel;
pub mod workbench;

pub use engine::{CaptureSite, Engine, EngineConfig, EngineError};
pub use workbench::{Workbench, WorkbenchError};

//! Sample events: realistic webhooks of every built-in provider, filled with fresh ids and
//! timestamps and signed with the user's own secret, so that a handler can be exercised without
//! the provider (`hookscope trigger`, the app's "Send sample").
//!
//! The built-in catalogue is a folder of data files per provider (`catalogue/<provider>/`),
//! embedded in the binary; a user samples folder of the same shape adds samples or replaces
//! built-in ones. [`file`] reads and writes one sample, [`placeholder`] fills `{{now}}` and
//! friends, [`pointer`] edits one JSON field in place, [`build`] turns a sample into a signed
//! [`OutgoingRequest`](crate::model::OutgoingRequest), and [`save`] turns a captured request
//! into a user sample.

mod body_signature;
pub mod build;
pub mod catalogue;
mod error;
pub mod file;
mod form_field;
pub mod placeholder;
pub mod pointer;
pub mod save;
mod suggest;

pub use build::{build, join_url, BuildOptions, FieldEdit};
pub use catalogue::{user_folder_beside, Catalogue, SampleSummary};
pub use error::SampleError;
pub use file::{Sample, SampleSource};
pub use save::save_captured;

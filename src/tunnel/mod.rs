//! The public tunnel behind a small trait; the real implementation is the `ngrok` crate.

//! Forward, auto-forward, replay, replay-with-edit, re-sign and bulk replay.

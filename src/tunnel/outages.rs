//! Keeps a durable record of the times the tunnel was down while meant to be up, so that the
//! request list can mark the gap even after a restart.

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::status::{OutageMark, StatusBoard};
use crate::store::{tunnel_outages, Store};

/// Starts writing `board`'s outage starts and ends to the store (an outage a previous run left
/// open is closed when the engine starts). Must be called inside a tokio runtime.
pub fn record_outages(board: &StatusBoard, store: Store) -> JoinHandle<()> {
    let (log, mut marks) = mpsc::unbounded_channel();
    board.log_outages(log);
    tokio::spawn(async move {
        while let Some(mark) = marks.recv().await {
            let written = match mark {
                OutageMark::Began { at_ns, reason } => {
                    store
                        .write(move |conn| tunnel_outages::begin(conn, at_ns, &reason).map(drop))
                        .await
                }
                OutageMark::Ended { at_ns, end } => {
                    store
                        .write(move |conn| tunnel_outages::end_open(conn, Some(at_ns), end).map(drop))
                        .await
                }
            };
            if let Err(error) = written {
                tracing::warn!(%error, "could not record a tunnel outage");
            }
        }
    })
}

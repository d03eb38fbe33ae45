//! Export and import use cases: HAR documents of a selection of requests (with their
//! deliveries), and HAR or raw HTTP files imported as captured requests.

use std::path::Path;

use super::{requests::write_file, Workbench, WorkbenchError};
use crate::delivery::BulkSelection;
use crate::export::{self, Har, HarOptions, ImportReport};
use crate::store::StoreError;

impl Workbench {
    /// The ids of `selection` in the order an export writes them and a chaos replay starts
    /// from: the given ids as given, the newest matching requests oldest first.
    pub async fn selection_in_order(&self, selection: BulkSelection) -> Result<Vec<String>, WorkbenchError> {
        let newest_first = matches!(selection, BulkSelection::Matching(_));
        let mut ids = selection.resolve(&self.store).await?;
        if newest_first {
            ids.reverse();
        }
        Ok(ids)
    }

    /// A HAR 1.2 document of the selected requests and their deliveries.
    pub async fn export_har(&self, selection: BulkSelection, options: HarOptions) -> Result<Har, WorkbenchError> {
        let ids = self.selection_in_order(selection).await?;
        Ok(self
            .store
            .read(move |conn| export::export_har(conn, &ids, options))
            .await?)
    }

    /// Writes the HAR document of the selected requests to `path`; returns how many it holds.
    pub async fn export_har_to_file(
        &self,
        selection: BulkSelection,
        options: HarOptions,
        path: &Path,
    ) -> Result<u64, WorkbenchError> {
        let har = self.export_har(selection, options).await?;
        let json = serde_json::to_vec_pretty(&har).map_err(|e| StoreError::Invalid(e.to_string()))?;
        write_file(path, &json).await?;
        Ok(har.log.entries.len() as u64)
    }

    /// Imports a HAR document or a raw HTTP file (one or more requests) as captured requests
    /// marked imported, each announced as `RequestCaptured`; returns their ids in file order,
    /// with a note for each entry skipped or whose body the file does not carry byte for byte.
    pub async fn import_bytes(&self, bytes: &[u8]) -> Result<ImportReport, WorkbenchError> {
        Ok(export::import_bytes(&self.store, bytes, &self.events).await?)
    }

    /// [`Workbench::import_bytes`] of the file at `path`.
    pub async fn import_file(&self, path: &Path) -> Result<ImportReport, WorkbenchError> {
        let bytes = tokio::fs::read(path)
            .await
            .map_err(WorkbenchError::file("read", path))?;
        self.import_bytes(&bytes).await
    }
}

//! Header lists are stored as JSON arrays of `[name, value]` pairs, in order.

use super::StoreError;
use crate::model::HeaderField;

/// `[["Name","value"], ...]` in the given order.
pub(crate) fn to_json(headers: &[HeaderField]) -> Result<String, StoreError> {
    let pairs: Vec<(&str, &str)> = headers.iter().map(|h| (h.name.as_str(), h.value.as_str())).collect();
    serde_json::to_string(&pairs).map_err(|e| StoreError::Decode(e.to_string()))
}

/// The inverse of [`to_json`].
pub(crate) fn from_json(json: &str) -> Result<Vec<HeaderField>, StoreError> {
    let pairs: Vec<(String, String)> = serde_json::from_str(json).map_err(|e| StoreError::Decode(e.to_string()))?;
    Ok(pairs
        .into_iter()
        .map(|(name, value)| HeaderField { name, value })
        .collect())
}

//! What an import did beyond storing requests: the entries it skipped, and the bodies it could
//! not carry over byte for byte, each said per entry so that the CLI and the window can show it.

use std::fmt;

use serde::Serialize;

/// The outcome of importing a file: the new requests' ids in file order, and the notes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportReport {
    /// The ids of the imported requests, in file order.
    pub ids: Vec<String>,
    /// One note per thing worth knowing about an entry, in file order.
    pub notes: Vec<ImportNote>,
}

/// Something an import could not do exactly, said about one entry of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportNote {
    /// The entry's position in the file, counted from 1.
    pub entry: usize,
    /// The id of the request imported from the entry; `None` when the entry was skipped.
    pub request_id: Option<String>,
    /// What kind of note this is.
    pub kind: ImportNoteKind,
    /// What happened, in words a user can act on.
    pub message: String,
}

/// The kinds of [`ImportNote`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ImportNoteKind {
    /// The entry was not imported.
    Skipped,
    /// The stored body is not known to be the bytes that were sent: the file does not carry them.
    NotExact,
    /// The body (or query) was rebuilt from the fields the file lists, not copied from its text.
    Rebuilt,
    /// The body was taken as the file gives it, with nothing in the file to check its byte count.
    Unchecked,
}

impl ImportReport {
    /// The notes that say an entry was skipped or a body may differ from what was sent.
    pub fn warnings(&self) -> impl Iterator<Item = &ImportNote> {
        self.notes.iter().filter(|note| note.kind != ImportNoteKind::Unchecked)
    }
}

impl fmt::Display for ImportNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.request_id {
            Some(id) => write!(f, "entry {} ({id}): {}", self.entry, self.message),
            None => write!(f, "entry {} skipped: {}", self.entry, self.message),
        }
    }
}

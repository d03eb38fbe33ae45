//! The shell's one error type: every command fails with a [`CommandError`], made from any engine
//! error, serialized once as the window expects it.

use hookscope::endpoints::{EndpointError, EndpointField};
use hookscope::{EngineError, WorkbenchError};
use serde::Serialize;
use ts_rs::TS;

/// A command's failure as the window receives it: a message, or for the endpoint editor a
/// message with the setting at fault (so the editor shows it next to that field).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(untagged)]
pub enum CommandError {
    Message(String),
    Field(FieldError),
}

/// A failure about an endpoint and, when known, which of its settings.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FieldError {
    pub field: Option<EndpointField>,
    pub message: String,
}

pub type CommandResult<T> = Result<T, CommandError>;

impl CommandError {
    pub fn message(text: impl Into<String>) -> Self {
        CommandError::Message(text.into())
    }
}

impl From<WorkbenchError> for CommandError {
    fn from(error: WorkbenchError) -> Self {
        match error {
            WorkbenchError::Endpoint(_) => CommandError::Field(FieldError {
                field: error.field(),
                message: error.to_string(),
            }),
            _ => CommandError::Message(error.to_string()),
        }
    }
}

impl From<EndpointError> for CommandError {
    fn from(error: EndpointError) -> Self {
        WorkbenchError::from(error).into()
    }
}

impl From<EngineError> for CommandError {
    fn from(error: EngineError) -> Self {
        CommandError::Message(error.to_string())
    }
}

impl From<hookscope::tunnel::TunnelError> for CommandError {
    fn from(error: hookscope::tunnel::TunnelError) -> Self {
        CommandError::Message(error.to_string())
    }
}

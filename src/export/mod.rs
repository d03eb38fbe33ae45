//! HAR 1.2 import/export, curl command lines and raw HTTP.

//! Decoding captured bodies for display: content-encoding, JSON, XML, form, multipart, text, binary.

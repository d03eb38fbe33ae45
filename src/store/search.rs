//! What goes into the full-text index, and turning a user's search text into an FTS5 query.

use std::io::Read;

use rusqlite::Connection;

use super::{header_json, StoreError};
use crate::model::HeaderField;

/// At most this much decoded body text is indexed per request.
const INDEXED_BODY_LIMIT: u64 = 1024 * 1024;

/// Header lines as `Name: value`, one per line.
pub fn header_text(headers: &[HeaderField]) -> String {
    let mut text = String::new();
    for header in headers {
        text.push_str(&header.name);
        text.push_str(": ");
        text.push_str(&header.value);
        text.push('\n');
    }
    text
}

/// Rows indexed per transaction, so that captures queued meanwhile wait little.
pub const INDEX_BATCH: usize = 256;

/// Indexes up to `limit` rows committed since the last indexed one; returns how many.
/// Runs in an immediate transaction, so two connections never index the same row.
pub fn index_pending(conn: &mut Connection, limit: usize) -> Result<usize, StoreError> {
    index_pending_until(conn, limit, i64::MAX)
}

/// [`index_pending`] for rows up to `last_seq` only.
fn index_pending_until(conn: &mut Connection, limit: usize, last_seq: i64) -> Result<usize, StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let indexed_seq: i64 = tx.query_row("SELECT indexed_seq FROM search_index_progress WHERE id = 1", [], |r| {
        r.get(0)
    })?;
    let mut last = indexed_seq;
    let mut count = 0;
    {
        let mut pending = tx.prepare_cached(
            "SELECT seq, target, headers, body FROM requests WHERE seq > ?1 AND seq <= ?2 ORDER BY seq LIMIT ?3",
        )?;
        let mut index =
            tx.prepare_cached("INSERT INTO requests_fts (rowid, target, headers, body) VALUES (?1, ?2, ?3, ?4)")?;
        let mut rows = pending.query(rusqlite::params![indexed_seq, last_seq, limit as i64])?;
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(0)?;
            let target: String = row.get(1)?;
            let headers = header_json::from_json(&row.get::<_, String>(2)?)?;
            let body = row.get_ref(3)?.as_blob().map_err(rusqlite::Error::from)?;
            index.execute(rusqlite::params![
                seq,
                target,
                header_text(&headers),
                body_text(&headers, body)
            ])?;
            last = seq;
            count += 1;
        }
    }
    if last != indexed_seq {
        tx.execute("UPDATE search_index_progress SET indexed_seq = ?1 WHERE id = 1", [last])?;
    }
    tx.commit()?;
    Ok(count)
}

/// Indexes every row stored when it is called, a batch per transaction. Rows that another
/// process stores meanwhile are left to their writer: a search never chases a busy listener.
pub fn index_all_pending(conn: &mut Connection) -> Result<usize, StoreError> {
    let last_seq: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM requests", [], |row| row.get(0))?;
    let mut total = 0;
    loop {
        let done = index_pending_until(conn, INDEX_BATCH, last_seq)?;
        total += done;
        if done < INDEX_BATCH {
            return Ok(total);
        }
    }
}

/// Leaf pages of index merging per tidy step: small, so that a capture arriving during a step
/// waits little.
pub const TIDY_PAGES: i64 = 16;

/// One small step of merging away the tombstones that deleted requests left in the full-text
/// index (migration 10 keeps FTS5 from doing that inside the deleting transaction). Runs in its
/// own transaction; returns true when it merged something, so another step may be worth it.
pub fn tidy_index_step(conn: &mut Connection) -> Result<bool, StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // 'merge' only considers levels with tombstones while 'deletemerge' is set; the setting is
    // stored in the index's config table, so it is set back before the commit.
    tx.execute(
        "INSERT INTO requests_fts (requests_fts, rank) VALUES ('deletemerge', 10)",
        [],
    )?;
    let before = tx.total_changes();
    tx.execute(
        "INSERT INTO requests_fts (requests_fts, rank) VALUES ('merge', ?1)",
        [TIDY_PAGES],
    )?;
    // FTS5 counts one change for the command itself; more means it wrote index pages.
    let merged = tx.total_changes() - before > 1;
    tx.execute(
        "INSERT INTO requests_fts (requests_fts, rank) VALUES ('deletemerge', 0)",
        [],
    )?;
    tx.commit()?;
    Ok(merged)
}

/// The body as text for the index: decompressed when gzip/deflate/br (capped), skipped when binary.
pub fn body_text(headers: &[HeaderField], body: &[u8]) -> Option<String> {
    let encoding = headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-encoding"))
        .map(|h| h.value.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let decoded: Vec<u8> = match encoding.as_str() {
        "gzip" | "x-gzip" => read_capped(flate2::read::MultiGzDecoder::new(body))?,
        "deflate" => read_capped(flate2::read::ZlibDecoder::new(body))
            .or_else(|| read_capped(flate2::read::DeflateDecoder::new(body)))?,
        "br" => read_capped(brotli::Decompressor::new(body, 4096))?,
        _ => body[..body.len().min(INDEXED_BODY_LIMIT as usize)].to_vec(),
    };
    if looks_binary(&decoded) {
        return None;
    }
    Some(String::from_utf8_lossy(&decoded).into_owned())
}

fn read_capped(reader: impl Read) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    reader.take(INDEXED_BODY_LIMIT).read_to_end(&mut out).ok()?;
    Some(out)
}

fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

/// Turns free text into an FTS5 query that cannot be a syntax error: every whitespace-separated
/// word becomes a quoted phrase (so `customer.created` matches those two words in a row), and
/// all must match. A trailing `*` on a word keeps its prefix meaning. `None` when nothing is left.
pub fn fts_query(text: &str) -> Option<String> {
    let phrases: Vec<String> = text
        .split_whitespace()
        .filter_map(|word| {
            let (word, prefix) = match word.strip_suffix('*') {
                Some(stem) => (stem, true),
                None => (word, false),
            };
            let has_token = word.chars().any(char::is_alphanumeric);
            has_token.then(|| format!("\"{}\"{}", word.replace('"', "\"\""), if prefix { "*" } else { "" }))
        })
        .collect();
    (!phrases.is_empty()).then(|| phrases.join(" AND "))
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn search_text_becomes_quoted_phrases() {
        assert_eq!(fts_query("evt_123 paid").as_deref(), Some("\"evt_123\" AND \"paid\""));
        assert_eq!(fts_query("say \"hi\"").as_deref(), Some("\"say\" AND \"\"\"hi\"\"\""));
        assert_eq!(fts_query("cust*").as_deref(), Some("\"cust\"*"));
        assert_eq!(fts_query("  -- ** ").as_deref(), None);
    }
}

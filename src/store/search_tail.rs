//! Searching the rows that the full-text index has not reached yet, so that a search never
//! waits for the index to catch up (after an overload it may lag by hundreds of thousands of
//! rows) and never misses a committed row either.
//!
//! The tail is searched on the reader's own connection, in ranges of `seq`: a cheap prefilter
//! ([`Prefilter`], the SQL function [`CANDIDATE_FUNCTION`]) picks the rows that may match, which
//! are put into a temporary FTS5 table tokenized exactly like the real index and matched with the
//! same query, so the prefilter decides only what is looked at, never what matches. While the
//! tail is read, the connection maps the database file into memory ([`MappedReads`]): reading the
//! pages then costs no copy, about a third of the time of a scan here (docs/benchmarks.md).
//! Nothing is written to the database file.

use std::sync::{Arc, LazyLock};

use aho_corasick::AhoCorasick;
use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::{Value, ValueRef};
use rusqlite::Connection;

use super::{header_json, search, tail_sketch, StoreError};

/// The SQL function behind the prefilter: `hookscope_tail_candidate(words, target, headers,
/// body)`, where `words` are the search's ASCII words joined by newlines. True when the row may
/// match (see [`TailWords::may_match`]).
pub const CANDIDATE_FUNCTION: &str = "hookscope_tail_candidate";

/// The SQL function that reads a row's sketch first: `hookscope_tail_sketch(words, sketch)`,
/// false only when the sketch ([`tail_sketch`]) shows that some word is not in the row; true for
/// a row without one. Cheap: it reads 128 bytes of the row where [`CANDIDATE_FUNCTION`] reads
/// the whole body.
pub const SKETCH_FUNCTION: &str = "hookscope_tail_sketch";

/// Registers [`CANDIDATE_FUNCTION`] and [`SKETCH_FUNCTION`] on a connection.
pub fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function(CANDIDATE_FUNCTION, 4, flags, tail_candidate)?;
    conn.create_scalar_function(SKETCH_FUNCTION, 2, flags, sketch_may_hold)
}

fn sketch_may_hold(ctx: &Context<'_>) -> rusqlite::Result<bool> {
    let ValueRef::Blob(sketch) = ctx.get_raw(1) else {
        return Ok(true);
    };
    let words: Arc<Vec<Vec<u8>>> = ctx.get_or_create_aux(0, |words| -> rusqlite::Result<_> {
        Ok(words.as_str()?.split('\n').map(|w| w.as_bytes().to_vec()).collect())
    })?;
    Ok(words.iter().all(|word| tail_sketch::may_hold(sketch, word)))
}

fn tail_candidate(ctx: &Context<'_>) -> rusqlite::Result<bool> {
    // Built once per statement: SQLite keeps it with the bound `words` argument.
    let words: Arc<TailWords> = ctx.get_or_create_aux(0, |words| -> Result<_, StoreError> {
        TailWords::new(words.as_str().map_err(rusqlite::Error::from)?)
    })?;
    let bytes = |i: usize| match ctx.get_raw(i) {
        ValueRef::Text(b) | ValueRef::Blob(b) => b,
        _ => &[],
    };
    Ok(words.may_match(bytes(1), bytes(2), bytes(3)))
}

/// The words of a search, each a case-insensitive substring test.
struct TailWords {
    words: Vec<AhoCorasick>,
}

/// `Content-Encoding` in the stored headers (a JSON array): the body is compressed.
static CONTENT_ENCODING: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(["content-encoding"])
        .expect("a fixed pattern")
});

impl TailWords {
    fn new(words: &str) -> Result<TailWords, StoreError> {
        let words = words
            .split('\n')
            .filter(|w| !w.is_empty())
            .map(|word| {
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build([word])
                    .map_err(|e| StoreError::Invalid(format!("search word {word:?}: {e}")))
            })
            .collect::<Result<_, _>>()?;
        Ok(TailWords { words })
    }

    /// False only for a row that cannot match: one where some word is in none of the target, the
    /// headers and the body, with no compressed body (its words are only known once decoded) and
    /// no text outside ASCII (the index folds accents: `cafe` finds `café`).
    fn may_match(&self, target: &[u8], headers: &[u8], body: &[u8]) -> bool {
        let columns = [target, headers, body];
        self.words
            .iter()
            .all(|word| columns.iter().any(|column| word.is_match(column)))
            || CONTENT_ENCODING.is_match(headers)
            || !columns.iter().all(|column| column.is_ascii())
    }
}

/// What rules out tail rows which cannot match a search, as SQL over a row alias `r`.
#[derive(Debug, Clone, Default)]
pub struct Prefilter {
    /// The search's ASCII words, joined by newlines; `None` when it has none.
    words: Option<String>,
}

impl Prefilter {
    /// The prefilter for the free text of a search (the words `search::fts_query` quotes): every
    /// ASCII word of it, split where the tokenizer splits, must appear in the row.
    pub fn for_text(text: &str) -> Prefilter {
        let words: Vec<&str> = text
            .split_whitespace()
            .flat_map(|word| word.split(|c: char| !c.is_alphanumeric()))
            .filter(|token| !token.is_empty() && token.is_ascii())
            .collect();
        Prefilter {
            words: (!words.is_empty()).then(|| words.join("\n")),
        }
    }

    /// The SQL condition and its arguments, or `None` when nothing can be ruled out. The sketch
    /// comes first: SQLite stops at the first false term, so a row it rules out has its body
    /// left unread.
    fn sql(&self) -> Option<(String, Vec<Value>)> {
        let words = Value::from(self.words.clone()?);
        Some((
            format!("{SKETCH_FUNCTION}(?, r.tail_sketch) AND {CANDIDATE_FUNCTION}(?, r.target, r.headers, r.body)"),
            vec![words.clone(), words],
        ))
    }
}

/// Bytes of the database file a connection maps while it reads the tail (SQLite's own cap is
/// just under 2 GiB; beyond the mapping, pages are read as usual).
const TAIL_MMAP_BYTES: i64 = 1 << 31;

/// Memory-mapped reads on a connection for as long as this lives; unmapped when dropped, so the
/// mapped pages do not stay in the process's resident memory after the search.
pub struct MappedReads<'c> {
    conn: &'c Connection,
}

impl<'c> MappedReads<'c> {
    pub fn new(conn: &'c Connection) -> Result<MappedReads<'c>, StoreError> {
        conn.pragma_update(None, "mmap_size", TAIL_MMAP_BYTES)?;
        Ok(MappedReads { conn })
    }
}

impl Drop for MappedReads<'_> {
    fn drop(&mut self) {
        if let Err(error) = self.conn.pragma_update(None, "mmap_size", 0) {
            tracing::warn!(%error, "could not unmap the database after a search");
        }
    }
}

/// The highest `seq` that the full-text index holds: rows above it are the tail.
pub fn indexed_seq(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT indexed_seq FROM search_index_progress WHERE id = 1")?
        .query_row([], |r| r.get(0))?)
}

/// Name of this connection's temporary index of tail rows (`temp.` schema, never on disk).
pub const TAIL_TABLE: &str = "tail_fts";

/// Puts the rows `(after, upto]` that pass `prefilter` and the extra `conditions` (SQL over alias
/// `r` with their arguments) into this connection's temporary full-text index, tokenized exactly
/// as the writer indexes them, replacing what it held. Returns how many rows went in.
pub fn fill(
    conn: &Connection,
    after: i64,
    upto: i64,
    prefilter: &Prefilter,
    conditions: &[(String, Vec<Value>)],
) -> Result<usize, StoreError> {
    conn.execute_batch(&format!(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.{TAIL_TABLE} USING fts5(target, headers, body, tokenize = 'unicode61');
         DELETE FROM temp.{TAIL_TABLE};"
    ))?;
    let mut sql =
        String::from("SELECT r.seq, r.target, r.headers, r.body FROM requests r WHERE r.seq > ? AND r.seq <= ?");
    let mut args: Vec<Value> = vec![after.into(), upto.into()];
    if let Some((filter, words)) = prefilter.sql() {
        sql.push_str(" AND ");
        sql.push_str(&filter);
        args.extend(words);
    }
    for (condition, condition_args) in conditions {
        sql.push_str(&format!(" AND ({condition})"));
        args.extend(condition_args.iter().cloned());
    }
    let mut select = conn.prepare_cached(&sql)?;
    let mut insert = conn.prepare_cached(&format!(
        "INSERT INTO temp.{TAIL_TABLE} (rowid, target, headers, body) VALUES (?1, ?2, ?3, ?4)"
    ))?;
    let mut rows = select.query(rusqlite::params_from_iter(args))?;
    let mut count = 0;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let target: String = row.get(1)?;
        let headers = header_json::from_json(&row.get::<_, String>(2)?)?;
        let body = row.get_ref(3)?.as_blob().map_err(rusqlite::Error::from)?;
        insert.execute(rusqlite::params![
            seq,
            target,
            search::header_text(&headers),
            search::body_text(&headers, body)
        ])?;
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::{Prefilter, TailWords};

    #[test]
    fn every_ascii_token_of_the_search_becomes_a_word_to_find() {
        let filter = Prefilter::for_text("customer.created cus_42*");
        assert_eq!(filter.words.as_deref(), Some("customer\ncreated\ncus\n42"));
        let (sql, _) = filter.sql().expect("a prefilter");
        assert!(sql.starts_with("hookscope_tail_sketch(?, r.tail_sketch) AND hookscope_tail_candidate(?"));
    }

    #[test]
    fn words_outside_ascii_or_without_letters_rule_nothing_out() {
        assert!(Prefilter::for_text("café ---").sql().is_none());
    }

    #[test]
    fn a_row_is_ruled_out_only_when_it_cannot_match() {
        let words = TailWords::new("invoice\nPAID").unwrap();
        let headers = br#"[["Content-Type","application/json"]]"#;
        // Each word somewhere, in any case, in any column.
        assert!(words.may_match(b"/hooks/Invoice", headers, br#"{"status":"paid"}"#));
        // One word missing everywhere.
        assert!(!words.may_match(b"/hooks", headers, br#"{"type":"invoice.created"}"#));
        // Unless the body is compressed ...
        let gzip = br#"[["content-encoding","gzip"]]"#;
        assert!(words.may_match(b"/hooks", gzip, b"\x1f\x8b..."));
        // ... or holds text outside ASCII, which the index may fold to the word (`pаid`, `paíd`).
        assert!(words.may_match(b"/hooks", headers, "{\"type\":\"invoice\",\"s\":\"paíd\"}".as_bytes()));
    }
}

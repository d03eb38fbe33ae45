//! Searching the rows that the full-text index has not reached yet, so that a search never
//! waits for the index to catch up (after an overload it may lag by hundreds of thousands of
//! rows) and never misses a committed row either.
//!
//! The tail is searched on the reader's own connection, in ranges of `seq`: a cheap SQL
//! prefilter (every ASCII word of the search as a case-insensitive substring of the target, the
//! headers or the body; compressed bodies always pass) picks candidates, which are put into a
//! temporary FTS5 table tokenized exactly like the real index and matched with the same query.
//! The prefilter only rules rows out that cannot match, with one exception: a word without
//! accents does not find a row where it appears only with accents (`cafe` in `café`) until the
//! writer has indexed that row. Nothing is written to the database file.

use rusqlite::{types::Value, Connection};

use super::{header_json, search, StoreError};

/// The SQL that rules out tail rows which cannot match a search, for a row alias `r`.
#[derive(Debug, Clone, Default)]
pub struct Prefilter {
    sql: Option<String>,
    args: Vec<Value>,
}

impl Prefilter {
    /// The prefilter for the free text of a search (the words `search::fts_query` quotes).
    pub fn for_text(text: &str) -> Prefilter {
        let patterns: Vec<String> = text
            .split_whitespace()
            .flat_map(|word| word.split(|c: char| !c.is_alphanumeric()))
            .filter(|token| !token.is_empty() && token.is_ascii())
            .map(|token| format!("%{token}%"))
            .collect();
        if patterns.is_empty() {
            return Prefilter::default();
        }
        let one = "(r.target LIKE ? OR r.headers LIKE ? OR r.body LIKE ?)";
        let words = vec![one; patterns.len()].join(" AND ");
        // A compressed body's words are only known once it is decoded: such rows always pass.
        let sql = format!("(r.headers LIKE '%content-encoding%' OR ({words}))");
        let args = patterns
            .into_iter()
            .flat_map(|p| [p.clone(), p.clone(), p])
            .map(Value::from)
            .collect();
        Prefilter { sql: Some(sql), args }
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
    if let Some(filter) = &prefilter.sql {
        sql.push_str(" AND ");
        sql.push_str(filter);
        args.extend(prefilter.args.iter().cloned());
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
    use super::Prefilter;

    #[test]
    fn every_ascii_token_becomes_a_substring_test() {
        let filter = Prefilter::for_text("customer.created cus_42*");
        let sql = filter.sql.expect("a prefilter");
        assert_eq!(sql.matches("r.body LIKE ?").count(), 4);
        let patterns: Vec<String> = filter
            .args
            .iter()
            .map(|v| match v {
                rusqlite::types::Value::Text(t) => t.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(patterns.iter().filter(|p| *p == "%customer%").count(), 3);
        assert!(patterns.contains(&"%42%".to_owned()));
    }

    #[test]
    fn words_outside_ascii_or_without_letters_rule_nothing_out() {
        assert!(Prefilter::for_text("café ---").sql.is_none());
    }
}

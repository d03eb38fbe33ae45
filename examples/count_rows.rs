//! Prints how many captured requests a Hookscope database holds (for benchmark scripts, where the
//! `sqlite3` CLI may be missing). Usage: `count_rows DB_PATH`.

use std::process::ExitCode;

use rusqlite::{Connection, OpenFlags};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: count_rows DB_PATH");
        return ExitCode::from(2);
    };
    let counted = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|conn| conn.query_row("SELECT count(*) FROM requests", [], |row| row.get::<_, i64>(0)));
    match counted {
        Ok(rows) => {
            println!("{rows}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("could not count the requests in {path}: {error}");
            ExitCode::FAILURE
        }
    }
}

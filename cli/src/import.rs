//! `hookscope import FILE`: HAR files and raw HTTP request files become captured requests
//! (source `imported`), ready to be replayed. The ids go to stdout; what could not be imported
//! exactly (entries skipped, bodies the file does not carry byte for byte) goes to stderr, one
//! line per entry and note.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use hookscope::export::ImportNoteKind;

use super::DbArg;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// A HAR file (Hookscope's, a browser's, another tool's) or a raw HTTP request file.
    file: PathBuf,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    super::block_on(async move {
        let report = args.db.open().await?.import_file(&args.file).await?;
        let mut stdout = std::io::stdout().lock();
        writeln!(
            stdout,
            "imported {} request(s) from {}",
            report.ids.len(),
            args.file.display()
        )?;
        for id in &report.ids {
            writeln!(stdout, "{id}")?;
        }
        stdout.flush()?;
        let mut stderr = std::io::stderr().lock();
        for note in &report.notes {
            let label = match note.kind {
                ImportNoteKind::Unchecked => "note",
                ImportNoteKind::Skipped | ImportNoteKind::NotExact | ImportNoteKind::Rebuilt => "warning",
            };
            writeln!(stderr, "hookscope: {label}: {note}")?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

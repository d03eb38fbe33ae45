//! `hookscope completions SHELL` and `hookscope man`: shell completion scripts and a roff man
//! page, both generated from the same clap definitions as the parser, for packages to install.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;

/// The shells `completions` writes a script for.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to write the completion script for.
    shell: Shell,
}

/// Prints the completion script for the chosen shell.
pub fn completions(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    let shell = match args.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
    };
    let mut command = super::Cli::command();
    let mut stdout = std::io::stdout().lock();
    clap_complete::generate(shell, &mut command, "hookscope", &mut stdout);
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The lines clap_mangen puts before each part it renders (the apostrophe string `Aq`).
const APOSTROPHE_PREAMBLE: [&str; 2] = [".ie \\n(.g .ds Aq \\(aq", ".el .ds Aq '"];

/// The page with its `.TH` line first (as `man` and `lintian` expect) and the apostrophe
/// definitions once, right after it, instead of before every part.
fn title_first(page: &str) -> String {
    let mut title = String::new();
    let mut body = String::new();
    for line in page.lines() {
        if APOSTROPHE_PREAMBLE.contains(&line) {
            continue;
        }
        let part = if line.starts_with(".TH ") && title.is_empty() {
            &mut title
        } else {
            &mut body
        };
        part.push_str(line);
        part.push('\n');
    }
    format!("{title}{}\n{}\n{body}", APOSTROPHE_PREAMBLE[0], APOSTROPHE_PREAMBLE[1])
}

/// Prints the man page (roff), with one section per subcommand.
pub fn man() -> anyhow::Result<ExitCode> {
    let command = super::Cli::command();
    let mut page = Vec::new();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    man.render_subcommands_section(&mut page)?;
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        writeln!(page, ".SH \"HOOKSCOPE {}\"", sub.get_name().to_uppercase())?;
        let sub_man = clap_mangen::Man::new(sub.clone().bin_name(format!("hookscope {}", sub.get_name())));
        sub_man.render_synopsis_section(&mut page)?;
        sub_man.render_options_section(&mut page)?;
    }
    man.render_version_section(&mut page)?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(title_first(&String::from_utf8_lossy(&page)).as_bytes())?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

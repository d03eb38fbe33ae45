//! The samples there are: the built-in catalogue (embedded at compile time from
//! `src/samples/catalogue/<provider>/<event>.http`) and the user's own folder of the same shape,
//! whose samples replace built-in ones of the same provider and event.

use std::path::Path;

use include_dir::{include_dir, Dir};
use serde::Serialize;

use super::file::{self, Sample, SampleSource};
use super::{suggest, SampleError};
use crate::signature::table;

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/samples/catalogue");

/// The user samples folder that goes with a database: `samples/` beside the database file.
pub fn user_folder_beside(database: &Path) -> std::path::PathBuf {
    database
        .parent()
        .map_or_else(|| Path::new("samples").to_path_buf(), |dir| dir.join("samples"))
}

/// What a list of samples shows of each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SampleSummary {
    pub provider: String,
    pub event: String,
    pub description: String,
    pub source: SampleSource,
    pub method: String,
    /// The sample's `Content-Type`, if it has a body.
    pub content_type: Option<String>,
    /// A handshake the provider sends before events (Slack's `url_verification`, ...).
    pub handshake: bool,
    /// False when the provider sends this request unsigned (no secret needed).
    pub signed: bool,
}

/// Every sample known: built in, then the user's.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    samples: Vec<Sample>,
    problems: Vec<String>,
}

impl Catalogue {
    /// The built-in samples only.
    pub fn builtin() -> Catalogue {
        let mut catalogue = Catalogue::default();
        for folder in BUILTIN.dirs() {
            let provider = folder.path().to_string_lossy().into_owned();
            for entry in folder.files() {
                let location = format!("catalogue/{}", entry.path().display());
                catalogue.add(
                    &provider,
                    entry.path(),
                    SampleSource::Builtin,
                    entry.contents(),
                    &location,
                );
            }
        }
        catalogue.sort();
        catalogue
    }

    /// The built-in samples and those of `user_dir` (`<provider>/<event>.http`; a missing folder
    /// has none). A user file that cannot be read is skipped and named in [`Catalogue::problems`].
    pub fn load(user_dir: Option<&Path>) -> Catalogue {
        let mut catalogue = Catalogue::builtin();
        let Some(dir) = user_dir else { return catalogue };
        let Ok(folders) = std::fs::read_dir(dir) else {
            return catalogue;
        };
        for folder in folders.flatten().filter(|e| e.path().is_dir()) {
            let provider = folder.file_name().to_string_lossy().into_owned();
            let Ok(files) = std::fs::read_dir(folder.path()) else {
                continue;
            };
            for entry in files.flatten() {
                let path = entry.path();
                let location = path.display().to_string();
                match std::fs::read(&path) {
                    Ok(bytes) => catalogue.add(&provider, &path, SampleSource::User, &bytes, &location),
                    Err(error) => catalogue.problems.push(format!("cannot read {location}: {error}")),
                }
            }
        }
        catalogue.sort();
        catalogue
    }

    /// Parses one file into the catalogue, replacing a sample of the same provider and event.
    fn add(&mut self, provider: &str, path: &Path, source: SampleSource, bytes: &[u8], location: &str) {
        if path.extension().and_then(|e| e.to_str()) != Some(file::EXTENSION) {
            return;
        }
        let Some(provider) = table::find(provider).map(|p| p.id) else {
            self.problems.push(format!(
                "{location}: \"{provider}\" is not a built-in provider id (see `hookscope samples`)"
            ));
            return;
        };
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match file::parse(provider, &stem, source, bytes, location) {
            Ok(sample) => {
                self.samples
                    .retain(|s| !(s.provider == sample.provider && s.event == sample.event));
                self.samples.push(sample);
            }
            Err(error) => {
                tracing::warn!(%error, "sample skipped");
                self.problems.push(error.to_string());
            }
        }
    }

    fn sort(&mut self) {
        self.samples
            .sort_by(|a, b| (&a.provider, &a.event).cmp(&(&b.provider, &b.event)));
    }

    /// Every sample, by provider then event.
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    /// Files that could not be read as samples, in words (the CLI prints them as warnings).
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// The samples of one provider (any case), or of all; an unknown provider is an error that
    /// names the closest ids.
    pub fn list(&self, provider: Option<&str>) -> Result<Vec<SampleSummary>, SampleError> {
        let provider = provider.map(|p| self.provider_id(p)).transpose()?;
        Ok(self
            .samples
            .iter()
            .filter(|s| provider.is_none_or(|p| s.provider == p))
            .map(summary)
            .collect())
    }

    /// The sample of `provider` named `event` (both compared ignoring case), or an error naming
    /// the closest names.
    pub fn get(&self, provider: &str, event: &str) -> Result<&Sample, SampleError> {
        let provider = self.provider_id(provider)?;
        let mut events = self.samples.iter().filter(|s| s.provider == provider);
        events
            .clone()
            .find(|s| s.event == event)
            .or_else(|| events.find(|s| s.event.eq_ignore_ascii_case(event)))
            .ok_or_else(|| SampleError::UnknownEvent {
                provider: provider.to_owned(),
                event: event.to_owned(),
                closest: suggest::closest(
                    event,
                    self.samples
                        .iter()
                        .filter(|s| s.provider == provider)
                        .map(|s| s.event.as_str()),
                ),
            })
    }

    /// The built-in provider id `name` stands for.
    fn provider_id(&self, name: &str) -> Result<&'static str, SampleError> {
        table::find(name.trim())
            .map(|p| p.id)
            .ok_or_else(|| SampleError::UnknownProvider {
                provider: name.to_owned(),
                closest: suggest::closest(name, crate::signature::provider_ids()),
            })
    }
}

fn summary(sample: &Sample) -> SampleSummary {
    SampleSummary {
        provider: sample.provider.clone(),
        event: sample.event.clone(),
        description: sample.description.clone(),
        source: sample.source,
        method: sample.method.clone(),
        content_type: sample.content_type().map(str::to_owned),
        handshake: sample.handshake,
        signed: sample.signed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_folder_sits_beside_the_database() {
        assert_eq!(
            user_folder_beside(Path::new("/data/hookscope/hookscope.db")),
            Path::new("/data/hookscope/samples")
        );
        assert_eq!(user_folder_beside(Path::new("hookscope.db")), Path::new("samples"));
    }

    #[test]
    fn names_are_found_in_any_case_and_a_typo_gets_suggestions() {
        let catalogue = Catalogue::builtin();
        let sample = catalogue.get("GitHub", "PUSH").unwrap();
        assert_eq!((sample.provider.as_str(), sample.event.as_str()), ("github", "push"));
        let error = catalogue.get("github", "pul_request.opened").unwrap_err();
        assert!(error.to_string().contains("closest: pull_request.opened"), "{error}");
    }
}

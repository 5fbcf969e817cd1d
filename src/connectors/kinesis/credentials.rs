//! AWS credentials from the places the AWS CLI and SDKs look: the environment variables, then
//! a profile of the shared credentials file (`~/.aws/credentials`) and config file
//! (`~/.aws/config`).
//!
//! Only static keys are read (an access key id, a secret and maybe a session token). A profile
//! that gets its keys some other way (`role_arn`, `sso_session`, `credential_process`) is refused
//! with a message saying how to turn it into static keys, rather than signing with nothing.
//! The files are small INI files; parsing them here keeps the whole AWS SDK out of the build.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// AWS credentials. Never printed: `Debug` shows only the access key id.
#[derive(Clone)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl Credentials {
    /// The same credentials as aws-sigv4's signer takes them (through `.into()`, an identity).
    pub fn for_signing(&self) -> aws_credential_types::Credentials {
        aws_credential_types::Credentials::new(&self.access_key_id, &self.secret_access_key, self.session_token.clone(), None, "sluice")
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({}, secret hidden)", self.access_key_id)
    }
}

/// Where credentials were found, for a log line (never the keys themselves).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialSource {
    Environment,
    Profile { name: String, file: PathBuf },
}

impl std::fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CredentialSource::Environment => write!(f, "the environment (AWS_ACCESS_KEY_ID)"),
            CredentialSource::Profile { name, file } => write!(f, "profile `{name}` in {}", file.display()),
        }
    }
}

/// Keys that mean a profile's credentials come from somewhere we do not reach.
const INDIRECT_KEYS: [&str; 5] = ["role_arn", "credential_process", "sso_session", "sso_start_url", "web_identity_token_file"];

impl Credentials {
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, if set, `AWS_SESSION_TOKEN`.
    pub fn from_env() -> Result<Credentials, String> {
        from_vars(&|name| std::env::var(name).ok()).ok_or_else(|| {
            "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary \
             credentials); a local test server accepts any values"
                .into()
        })
    }

    /// The AWS CLI's order: an explicit `profile` reads that profile from the files; otherwise
    /// the environment variables, then the profile `AWS_PROFILE` names (else `default`).
    pub fn from_standard_sources(profile: Option<&str>) -> Result<(Credentials, CredentialSource), String> {
        if profile.is_none() {
            if let Ok(credentials) = Credentials::from_env() {
                return Ok((credentials, CredentialSource::Environment));
            }
        }
        let named = profile.map(str::to_string).or_else(|| var("AWS_PROFILE"));
        let name = named.clone().unwrap_or_else(|| "default".into());
        let files = SharedFiles::locate();
        match files.credentials(&name)? {
            Some(found) => Ok(found),
            None if named.is_none() => Err(format!(
                "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add a [default] profile to {} (`aws configure`)",
                files.credentials_file.display()
            )),
            None => Err(format!(
                "no AWS profile `{name}` with aws_access_key_id and aws_secret_access_key in {} or {}",
                files.credentials_file.display(),
                files.config_file.display()
            )),
        }
    }
}

/// The region the AWS CLI would use: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's
/// `region` in the config file.
pub fn standard_region(profile: Option<&str>) -> Option<String> {
    var("AWS_REGION").or_else(|| var("AWS_DEFAULT_REGION")).or_else(|| {
        let name = profile.map(str::to_string).or_else(|| var("AWS_PROFILE")).unwrap_or_else(|| "default".into());
        let files = SharedFiles::locate();
        let text = std::fs::read_to_string(&files.config_file).ok()?;
        parse_ini(&text).remove(&config_section(&name))?.remove("region")
    })
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn from_vars(get: &dyn Fn(&str) -> Option<String>) -> Option<Credentials> {
    let get = |name: &str| get(name).filter(|v| !v.is_empty());
    Some(Credentials {
        access_key_id: get("AWS_ACCESS_KEY_ID")?,
        secret_access_key: get("AWS_SECRET_ACCESS_KEY")?,
        session_token: get("AWS_SESSION_TOKEN"),
    })
}

struct SharedFiles {
    credentials_file: PathBuf,
    config_file: PathBuf,
}

impl SharedFiles {
    /// `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE`, else the two files in `~/.aws`.
    fn locate() -> SharedFiles {
        let home = var("HOME").or_else(|| var("USERPROFILE")).map(PathBuf::from).unwrap_or_default();
        SharedFiles {
            credentials_file: var("AWS_SHARED_CREDENTIALS_FILE").map_or_else(|| home.join(".aws/credentials"), PathBuf::from),
            config_file: var("AWS_CONFIG_FILE").map_or_else(|| home.join(".aws/config"), PathBuf::from),
        }
    }

    /// The profile's keys: the credentials file's `[name]` wins over the config file's
    /// `[profile name]` (`[default]` there), as in the AWS CLI. A missing file is no profile.
    fn credentials(&self, name: &str) -> Result<Option<(Credentials, CredentialSource)>, String> {
        for (file, section) in [(&self.credentials_file, name.to_string()), (&self.config_file, config_section(name))] {
            let Ok(text) = std::fs::read_to_string(file) else { continue };
            let Some(keys) = parse_ini(&text).remove(&section) else { continue };
            if let Some(credentials) = from_vars(&|key| keys.get(&key.to_ascii_lowercase()).cloned()) {
                return Ok(Some((credentials, CredentialSource::Profile { name: name.to_string(), file: file.clone() })));
            }
            if let Some(key) = INDIRECT_KEYS.iter().find(|k| keys.contains_key(**k)) {
                return Err(format!(
                    "AWS profile `{name}` in {} gets its keys through `{key}`, which sluice does not follow; \
                     export static keys first: eval \"$(aws configure export-credentials --profile {name} --format env)\"",
                    file.display()
                ));
            }
        }
        Ok(None)
    }
}

/// The config file names profiles `[profile NAME]`, except `[default]`.
fn config_section(name: &str) -> String {
    if name == "default" {
        name.to_string()
    } else {
        format!("profile {name}")
    }
}

/// Sections of `key = value` lines; `#` and `;` start comments, keys are case-insensitive.
/// Indented lines (the config file's nested `s3 =` blocks) belong to their parent and are skipped.
fn parse_ini(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut sections: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let line = line.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = header.split_whitespace().collect::<Vec<_>>().join(" ");
            sections.entry(name.clone()).or_default();
            current = Some(name);
        } else if let (Some(section), Some((key, value))) = (&current, line.split_once('=')) {
            if let Some(keys) = sections.get_mut(section) {
                keys.insert(key.trim().to_ascii_lowercase(), value.trim().to_string());
            }
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = default-secret

# a comment
[work]
AWS_ACCESS_KEY_ID=AKIDWORK
aws_secret_access_key=work-secret
aws_session_token = token
";

    const CONFIG: &str = "\
[default]
region = eu-west-1
[profile dev]
region = us-west-2
aws_access_key_id = AKIDDEV
aws_secret_access_key = dev-secret
  s3 =
    max_concurrent_requests = 2
[profile assumed]
role_arn = arn:aws:iam::123456789012:role/reader
source_profile = default
";

    fn files(dir: &std::path::Path) -> SharedFiles {
        std::fs::create_dir_all(dir).unwrap();
        let files = SharedFiles { credentials_file: dir.join("credentials"), config_file: dir.join("config") };
        std::fs::write(&files.credentials_file, CREDENTIALS).unwrap();
        std::fs::write(&files.config_file, CONFIG).unwrap();
        files
    }

    #[test]
    fn profiles_come_from_the_credentials_file_then_the_config_file() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let files = files(dir);
        let (work, source) = files.credentials("work").unwrap().unwrap();
        assert_eq!((work.access_key_id.as_str(), work.secret_access_key.as_str()), ("AKIDWORK", "work-secret"));
        assert_eq!(work.session_token.as_deref(), Some("token"));
        assert_eq!(source, CredentialSource::Profile { name: "work".into(), file: dir.join("credentials") });
        let (dev, source) = files.credentials("dev").unwrap().unwrap();
        assert_eq!(dev.access_key_id, "AKIDDEV");
        assert_eq!(source, CredentialSource::Profile { name: "dev".into(), file: dir.join("config") });
        assert_eq!(files.credentials("default").unwrap().unwrap().0.access_key_id, "AKIDDEFAULT");
        assert!(files.credentials("nobody").unwrap().is_none());
    }

    #[test]
    fn a_profile_that_assumes_a_role_is_refused_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let err = files(dir.path()).credentials("assumed").unwrap_err();
        assert!(err.contains("role_arn") && err.contains("export-credentials --profile assumed"), "{err}");
    }

    #[test]
    fn nested_config_blocks_do_not_leak_into_the_profile() {
        let sections = parse_ini(CONFIG);
        assert_eq!(sections["profile dev"].get("max_concurrent_requests"), None);
        assert_eq!(sections["default"]["region"], "eu-west-1");
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let credentials = Credentials { access_key_id: "AKID".into(), secret_access_key: "hush".into(), session_token: Some("tok".into()) };
        let shown = format!("{credentials:?}");
        assert!(!shown.contains("hush") && !shown.contains("tok"), "{shown}");
    }
}

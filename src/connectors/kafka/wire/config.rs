//! The client's settings, read from a table's `properties.*` options with the Kafka client's
//! own names (`ConsumerConfig` / `ProducerConfig` / `CommonClientConfigs`), as Flink passes them
//! through to its Kafka client.
//!
//! Read: `bootstrap.servers`, `client.id`, `request.timeout.ms`, `fetch.max.wait.ms`,
//! `fetch.max.bytes`, `max.partition.fetch.bytes`, `reconnect.backoff.ms`,
//! `reconnect.backoff.max.ms`, `security.protocol` (PLAINTEXT, SASL_PLAINTEXT, SSL, SASL_SSL),
//! `sasl.mechanism` (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) with the user and password of
//! `sasl.jaas.config` (`… required username="…" password="…";`), or AWS_MSK_IAM (MSK's
//! `IAMLoginModule required;`, optionally `awsProfileName="…"`: [`super::msk_iam`]), and for TLS the `ssl.truststore.*`
//! and `ssl.endpoint.identification.algorithm` of [`super::tls`]. Refused with a reason: GSSAPI,
//! OAUTHBEARER, JKS and PKCS12 truststores, client certificates. Other `properties.*` are
//! accepted and have no effect here (they may matter to real Flink, which the export keeps them
//! for).

use std::time::Duration;

use super::tls::Tls;

/// SASL credentials; they never leave the process that holds them (the runner or the proxy).
#[derive(Clone, PartialEq, Eq)]
pub enum Sasl {
    Plain {
        username: String,
        password: String,
    },
    Scram {
        sha512: bool,
        username: String,
        password: String,
    },
    /// `AWS_MSK_IAM`: AWS credentials from the environment or the shared files (`profile`, the
    /// JAAS line's `awsProfileName`), read when a connection authenticates.
    MskIam {
        profile: Option<String>,
    },
}

impl Sasl {
    pub fn mechanism(&self) -> &'static str {
        match self {
            Sasl::Plain { .. } => "PLAIN",
            Sasl::Scram { sha512: false, .. } => "SCRAM-SHA-256",
            Sasl::Scram { sha512: true, .. } => "SCRAM-SHA-512",
            Sasl::MskIam { .. } => "AWS_MSK_IAM",
        }
    }
}

impl std::fmt::Debug for Sasl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sasl({}, password hidden)", self.mechanism())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    /// `host:port` pairs, tried in order for metadata.
    pub bootstrap: Vec<(String, i32)>,
    pub client_id: String,
    pub request_timeout: Duration,
    pub fetch_max_wait_ms: i32,
    pub fetch_max_bytes: i32,
    pub partition_max_bytes: i32,
    pub reconnect_backoff: Duration,
    pub reconnect_backoff_max: Duration,
    /// A reply larger than this is refused (a bound on what one broker reply can cost).
    pub max_reply_bytes: usize,
    pub sasl: Option<Sasl>,
    /// `SSL` / `SASL_SSL`: every connection is TLS.
    pub tls: Option<Tls>,
}

impl ClientConfig {
    /// From `properties.*` (the keys without the prefix), as a table's options give them.
    pub fn from_properties<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Result<ClientConfig, String> {
        let servers = get("bootstrap.servers").ok_or("'properties.bootstrap.servers' is required")?;
        let mut bootstrap = Vec::new();
        for s in servers.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let s = ["PLAINTEXT://", "SASL_PLAINTEXT://", "SSL://", "SASL_SSL://"].iter().find_map(|p| s.strip_prefix(p)).unwrap_or(s);
            let (host, port) = s
                .rsplit_once(':')
                .and_then(|(h, p)| Some((h.trim_matches(['[', ']']), p.parse::<i32>().ok()?)))
                .ok_or_else(|| format!("'properties.bootstrap.servers': `{s}` is not host:port"))?;
            bootstrap.push((host.to_string(), port));
        }
        if bootstrap.is_empty() {
            return Err("'properties.bootstrap.servers' names no server".into());
        }
        let ms = |key: &str, default: u64| -> Result<Duration, String> {
            match get(key) {
                None => Ok(Duration::from_millis(default)),
                Some(v) => v
                    .trim()
                    .parse::<u64>()
                    .map(Duration::from_millis)
                    .map_err(|_| format!("'properties.{key}': `{v}` is not a number of milliseconds")),
            }
        };
        let int = |key: &str, default: i32| -> Result<i32, String> {
            match get(key) {
                None => Ok(default),
                Some(v) => v
                    .trim()
                    .parse::<i32>()
                    .ok()
                    .filter(|n| *n >= 0)
                    .ok_or_else(|| format!("'properties.{key}': `{v}` is not a non-negative integer")),
            }
        };
        let fetch_max_bytes = int("fetch.max.bytes", 50 << 20)?.min(64 << 20);
        let protocol = get("security.protocol").unwrap_or("PLAINTEXT").to_ascii_uppercase();
        let (sasl, tls) = match protocol.as_str() {
            "PLAINTEXT" => (None, None),
            "SASL_PLAINTEXT" => (Some(sasl(&get)?), None),
            "SSL" => (None, Some(Tls::from_properties(&get)?)),
            "SASL_SSL" => (Some(sasl(&get)?), Some(Tls::from_properties(&get)?)),
            other => return Err(format!("'properties.security.protocol': unknown protocol `{other}`")),
        };
        Ok(ClientConfig {
            bootstrap,
            client_id: get("client.id").unwrap_or("sluice").to_string(),
            request_timeout: ms("request.timeout.ms", 30_000)?,
            fetch_max_wait_ms: int("fetch.max.wait.ms", 500)?,
            fetch_max_bytes,
            partition_max_bytes: int("max.partition.fetch.bytes", 1 << 20)?.min(fetch_max_bytes),
            reconnect_backoff: ms("reconnect.backoff.ms", 50)?,
            reconnect_backoff_max: ms("reconnect.backoff.max.ms", 1000)?,
            max_reply_bytes: fetch_max_bytes as usize + (1 << 20),
            sasl,
            tls,
        })
    }
}

fn sasl<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> Result<Sasl, String> {
    let mechanism = get("sasl.mechanism").unwrap_or("GSSAPI").to_ascii_uppercase();
    if mechanism == "AWS_MSK_IAM" {
        // MSK's `IAMLoginModule required;`, optionally with awsProfileName="…".
        let profile = get("sasl.jaas.config").and_then(|jaas| jaas_value(jaas, "awsProfileName"));
        return Ok(Sasl::MskIam { profile });
    }
    let jaas = get("sasl.jaas.config").ok_or("'properties.sasl.jaas.config' is required with SASL")?;
    let username = jaas_value(jaas, "username").ok_or("'properties.sasl.jaas.config' has no username=\"…\"")?;
    let password = jaas_value(jaas, "password").ok_or("'properties.sasl.jaas.config' has no password=\"…\"")?;
    match mechanism.as_str() {
        "PLAIN" => Ok(Sasl::Plain { username, password }),
        "SCRAM-SHA-256" => Ok(Sasl::Scram { sha512: false, username, password }),
        "SCRAM-SHA-512" => Ok(Sasl::Scram { sha512: true, username, password }),
        other => Err(format!(
            "'properties.sasl.mechanism' = '{other}': Sluice's Kafka client speaks PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and AWS_MSK_IAM"
        )),
    }
}

/// `key="value"` in a JAAS line (a backslash escapes the next character).
fn jaas_value(jaas: &str, key: &str) -> Option<String> {
    let mut rest = jaas;
    loop {
        let i = rest.find(key)?;
        let before_ok = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
        rest = &rest[i + key.len()..];
        let after = rest.trim_start();
        if before_ok && after.starts_with('=') {
            let v = after[1..].trim_start().strip_prefix('"')?;
            let mut out = String::new();
            let mut chars = v.chars();
            while let Some(c) = chars.next() {
                match c {
                    '"' => return Some(out),
                    '\\' => out.push(chars.next()?),
                    c => out.push(c),
                }
            }
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<ClientConfig, String> {
        let m: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        ClientConfig::from_properties(|k| m.get(k).map(String::as_str))
    }

    #[test]
    fn bootstrap_servers_and_sasl_come_from_kafkas_own_property_names() {
        let c = config(&[
            ("bootstrap.servers", "b1:9092, PLAINTEXT://b2:9093"),
            ("security.protocol", "SASL_PLAINTEXT"),
            ("sasl.mechanism", "SCRAM-SHA-512"),
            ("sasl.jaas.config", r#"org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="p\"w";"#),
        ])
        .unwrap();
        assert_eq!(c.bootstrap, vec![("b1".into(), 9092), ("b2".into(), 9093)]);
        assert_eq!(c.sasl, Some(Sasl::Scram { sha512: true, username: "alice".into(), password: "p\"w".into() }));
        assert!(!format!("{c:?}").contains("p\\\"w"), "the password never prints");
    }

    #[test]
    fn what_the_client_cannot_do_is_refused_with_the_reason() {
        let e = config(&[("bootstrap.servers", "b:1"), ("security.protocol", "SSL"), ("ssl.truststore.type", "PKCS12")]).unwrap_err();
        assert!(e.contains("PEM truststores only"), "{e}");
        let e = config(&[
            ("bootstrap.servers", "b:1"),
            ("security.protocol", "SASL_PLAINTEXT"),
            ("sasl.mechanism", "OAUTHBEARER"),
            ("sasl.jaas.config", r#"x required username="a" password="b";"#),
        ])
        .unwrap_err();
        assert!(e.contains("PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and AWS_MSK_IAM"), "{e}");
        assert!(config(&[("bootstrap.servers", "nohost")]).unwrap_err().contains("not host:port"));
    }

    #[test]
    fn ssl_and_sasl_ssl_connect_over_tls() {
        let c = config(&[("bootstrap.servers", "SSL://b:9094"), ("security.protocol", "ssl")]).unwrap();
        assert_eq!((c.bootstrap, c.sasl, c.tls.is_some()), (vec![("b".into(), 9094)], None, true));
        let c = config(&[
            ("bootstrap.servers", "b:9096"),
            ("security.protocol", "SASL_SSL"),
            ("sasl.mechanism", "PLAIN"),
            ("sasl.jaas.config", r#"x required username="a" password="b";"#),
        ])
        .unwrap();
        assert!(c.sasl.is_some() && c.tls.is_some());
        let c = config(&[
            ("bootstrap.servers", "b-1.x.kafka.us-east-1.amazonaws.com:9098"),
            ("security.protocol", "SASL_SSL"),
            ("sasl.mechanism", "AWS_MSK_IAM"),
            ("sasl.jaas.config", r#"software.amazon.msk.auth.iam.IAMLoginModule required awsProfileName="dev";"#),
        ])
        .unwrap();
        assert_eq!(c.sasl, Some(Sasl::MskIam { profile: Some("dev".into()) }));
    }
}

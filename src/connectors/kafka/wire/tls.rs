//! TLS for `security.protocol` = `SSL` and `SASL_SSL`: rustls (over ring) wrapping the broker's
//! TCP stream, configured from the Kafka client's own `ssl.*` property names.
//!
//! Trust: Mozilla's root certificates (webpki-roots) unless a PEM truststore is given, as Kafka's
//! clients take one: `ssl.truststore.type` = `PEM` with `ssl.truststore.location` (a PEM file) or
//! `ssl.truststore.certificates` (the PEM text itself). JKS and PKCS12 stores are refused with the
//! reason (they need the JVM's key store code); so are client certificates (`ssl.keystore.*`).
//! `ssl.endpoint.identification.algorithm` = '' turns the hostname check off as in Kafka (the
//! chain is still checked against the trusted roots).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConnection, DigitallySignedStruct, RootCertStore, SignatureScheme, StreamOwned};

use super::WireError;

/// The TLS settings of a client: what it trusts and whether names are checked.
#[derive(Clone)]
pub struct Tls {
    /// Where the trusted roots come from, as messages name it.
    trust: String,
    /// The PEM text trusted (empty: webpki-roots), kept to compare configurations.
    pem: Vec<u8>,
    verify_hostname: bool,
    config: Arc<rustls::ClientConfig>,
}

impl PartialEq for Tls {
    fn eq(&self, other: &Tls) -> bool {
        self.trust == other.trust && self.pem == other.pem && self.verify_hostname == other.verify_hostname
    }
}

impl Eq for Tls {}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tls(trusting {}, hostname check {})", self.trust, if self.verify_hostname { "on" } else { "off" })
    }
}

impl Tls {
    /// From `properties.*` (the keys without the prefix).
    pub fn from_properties<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> Result<Tls, String> {
        for key in ["ssl.keystore.location", "ssl.keystore.certificate.chain", "ssl.keystore.key"] {
            if get(key).is_some_and(|v| !v.trim().is_empty()) {
                return Err(format!(
                    "'properties.{key}': Sluice's Kafka client does not present client certificates (mutual TLS); use SASL_SSL for authentication"
                ));
            }
        }
        let kind = get("ssl.truststore.type").map(|t| t.trim().to_ascii_uppercase());
        match kind.as_deref() {
            None | Some("PEM") => {}
            Some(k @ ("JKS" | "PKCS12")) => {
                return Err(format!(
                    "'properties.ssl.truststore.type' = '{k}': Sluice's Kafka client reads PEM truststores only (Java key stores need the JVM); export the CA certificates as PEM (keytool -exportcert -rfc, or openssl pkcs12 -nokeys) and set 'properties.ssl.truststore.type' = 'PEM'"
                ))
            }
            Some(other) => return Err(format!("'properties.ssl.truststore.type': unknown type `{other}` (PEM, JKS or PKCS12)")),
        }
        let location = get("ssl.truststore.location").filter(|v| !v.trim().is_empty());
        let certificates = get("ssl.truststore.certificates").filter(|v| !v.trim().is_empty());
        if get("ssl.truststore.password").is_some_and(|v| !v.is_empty()) && (kind.is_some() || certificates.is_some()) {
            // Kafka's DefaultSslEngineFactory refuses it too: a PEM truststore has no password.
            return Err("'properties.ssl.truststore.password': SSL trust store password cannot be specified for PEM format.".into());
        }
        let (trust, pem) = match (location, certificates) {
            (Some(_), Some(_)) => {
                return Err(
                    "'properties.ssl.truststore.location' and 'properties.ssl.truststore.certificates' are both set; give one".into()
                )
            }
            (Some(path), None) => {
                let pem = std::fs::read(path.trim())
                    .map_err(|e| format!("'properties.ssl.truststore.location': cannot read `{}`: {e}", path.trim()))?;
                (format!("the truststore `{}`", path.trim()), pem)
            }
            (None, Some(text)) => ("'properties.ssl.truststore.certificates'".to_string(), text.as_bytes().to_vec()),
            (None, None) => ("the public web's root CAs (webpki-roots)".to_string(), Vec::new()),
        };
        let mut roots = RootCertStore::empty();
        if pem.is_empty() {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        } else {
            for cert in CertificateDer::pem_slice_iter(&pem) {
                let cert = cert.map_err(|e| format!("{trust}: not PEM: {e}"))?;
                roots.add(cert).map_err(|e| format!("{trust}: a certificate that cannot be trusted: {e}"))?;
            }
            if roots.is_empty() {
                return Err(format!(
                    "{trust} holds no PEM certificate (-----BEGIN CERTIFICATE-----); Sluice reads PEM truststores only, not JKS or PKCS12"
                ));
            }
        }
        let verify_hostname = match get("ssl.endpoint.identification.algorithm").map(str::trim) {
            None => true,
            Some("") => false,
            Some(a) if a.eq_ignore_ascii_case("https") => true,
            Some(other) => {
                return Err(format!(
                    "'properties.ssl.endpoint.identification.algorithm': `{other}` is not known ('https', or '' to turn the hostname check off)"
                ))
            }
        };
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier =
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone()).build().map_err(|e| format!("{trust}: {e}"))?;
        let builder =
            rustls::ClientConfig::builder_with_provider(provider).with_safe_default_protocol_versions().map_err(|e| format!("TLS: {e}"))?;
        let config = if verify_hostname {
            builder.with_webpki_verifier(verifier).with_no_client_auth()
        } else {
            builder.dangerous().with_custom_certificate_verifier(Arc::new(AnyName(verifier))).with_no_client_auth()
        };
        Ok(Tls { trust, pem, verify_hostname, config: Arc::new(config) })
    }

    /// Wraps a connected socket to `host` (`addr` names it in errors) and completes the handshake,
    /// so a certificate that is not trusted fails here, naming the broker and why.
    pub fn connect(&self, host: &str, addr: &str, mut sock: TcpStream) -> Result<StreamOwned<ClientConnection, TcpStream>, WireError> {
        let name = ServerName::try_from(host.to_string())
            .map_err(|_| WireError::Fatal(format!("{addr}: `{host}` is neither a host name nor an IP address for TLS")))?;
        let mut conn = ClientConnection::new(self.config.clone(), name).map_err(|e| WireError::Fatal(format!("{addr}: TLS: {e}")))?;
        while conn.is_handshaking() {
            if let Err(e) = conn.complete_io(&mut sock) {
                return Err(self.handshake_error(host, addr, e));
            }
        }
        Ok(StreamOwned::new(conn, sock))
    }

    fn handshake_error(&self, host: &str, addr: &str, e: std::io::Error) -> WireError {
        let Some(tls) = e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) else {
            // The connection failed (a broker restarting): calling again can help.
            return WireError::Io(format!("{addr}: TLS handshake: {e}"));
        };
        let why = match tls {
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer | CertificateError::BadSignature) => {
                format!("the broker's certificate is not signed by a CA in {}", self.trust)
            }
            rustls::Error::InvalidCertificate(CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }) => {
                format!(
                    "the broker's certificate is not issued for `{host}` ('properties.ssl.endpoint.identification.algorithm' = '' turns the hostname check off, as in Kafka)"
                )
            }
            rustls::Error::InvalidCertificate(CertificateError::Expired | CertificateError::ExpiredContext { .. }) => {
                "the broker's certificate has expired".to_string()
            }
            rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
                "the broker did not answer in TLS (is this listener PLAINTEXT? then use 'properties.security.protocol' = 'PLAINTEXT')"
                    .to_string()
            }
            other => other.to_string(),
        };
        WireError::Fatal(format!("{addr}: TLS handshake failed: {why} ({tls})"))
    }
}

/// The webpki verifier without its hostname check (`ssl.endpoint.identification.algorithm` = '').
/// The chain is checked before the name, so a name error means the chain was trusted.
#[derive(Debug)]
struct AnyName(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.0.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. })) => {
                Ok(ServerCertVerified::assertion())
            }
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// A broker connection's byte stream: plain TCP or TLS over it.
pub enum Stream {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn tls(pairs: &[(&str, &str)]) -> Result<Tls, String> {
        let m: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Tls::from_properties(&|k| m.get(k).map(String::as_str))
    }

    #[test]
    fn trust_defaults_to_the_web_roots_and_java_stores_are_refused_with_the_reason() {
        let t = tls(&[]).unwrap();
        assert!(t.verify_hostname && t.trust.contains("webpki-roots"), "{t:?}");
        let e = tls(&[("ssl.truststore.type", "JKS"), ("ssl.truststore.location", "/x.jks")]).unwrap_err();
        assert!(e.contains("PEM truststores only"), "{e}");
        let e = tls(&[("ssl.truststore.type", "PEM"), ("ssl.truststore.certificates", "not a certificate")]).unwrap_err();
        assert!(e.contains("holds no PEM certificate"), "{e}");
        let e = tls(&[("ssl.truststore.type", "PEM"), ("ssl.truststore.location", "/no/such.pem")]).unwrap_err();
        assert!(e.contains("cannot read `/no/such.pem`"), "{e}");
        let e = tls(&[("ssl.keystore.location", "/k.jks")]).unwrap_err();
        assert!(e.contains("mutual TLS"), "{e}");
        assert!(!tls(&[("ssl.endpoint.identification.algorithm", "")]).unwrap().verify_hostname);
    }
}

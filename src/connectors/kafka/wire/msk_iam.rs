//! SASL `AWS_MSK_IAM`, Amazon MSK's mechanism (aws-msk-iam-auth's `IAMSaslClient`): the client's
//! one message is a JSON object made of a SigV4 *presigned* `GET https://<broker host>/?Action=
//! kafka-cluster:Connect` (service `kafka-cluster`, 15 minutes): its query parameters and its
//! `host` header with lower-cased names, plus `version` (`2020_10_22`) and `user-agent`. The
//! broker answers a non-empty JSON (its request id) when it accepts.
//!
//! Signed by AWS's own `aws-sigv4`, with credentials from where the Kinesis connector takes them
//! (`AWS_ACCESS_KEY_ID`…, or the shared files' profile: `awsProfileName` in `sasl.jaas.config`).
//! The region is the broker host's (`….kafka.<region>.amazonaws.com`), else the standard one.

use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings};
use aws_sigv4::sign::v4;

use crate::connectors::kinesis::credentials::Credentials;

pub const VERSION: &str = "2020_10_22";
const ACTION: &str = "kafka-cluster:Connect";
const SERVICE: &str = "kafka-cluster";
const EXPIRES: Duration = Duration::from_secs(15 * 60);

/// The authentication message for the broker at `host`.
pub fn payload(host: &str, region: &str, credentials: &Credentials, time: SystemTime) -> Result<Vec<u8>, String> {
    let identity = credentials.for_signing().into();
    let mut settings = SigningSettings::default();
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(EXPIRES);
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(SERVICE)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| format!("AWS_MSK_IAM: cannot sign: {e}"))?
        .into();
    let url = format!("https://{host}/?Action=kafka-cluster%3AConnect");
    let headers = [("host", host)];
    let request = SignableRequest::new("GET", &url, headers.iter().copied(), SignableBody::Bytes(b""))
        .map_err(|e| format!("AWS_MSK_IAM: cannot sign for `{host}`: {e}"))?;
    let (instructions, _) = sign(request, &params).map_err(|e| format!("AWS_MSK_IAM: cannot sign: {e}"))?.into_parts();
    let (_, query) = instructions.into_parts();
    let mut out = serde_json::Map::new();
    out.insert("version".into(), VERSION.into());
    out.insert("host".into(), host.into());
    out.insert("user-agent".into(), concat!("sluice/", env!("CARGO_PKG_VERSION")).into());
    out.insert("action".into(), ACTION.into());
    for (name, value) in query {
        out.insert(name.to_ascii_lowercase(), value.to_string().into());
    }
    serde_json::to_vec(&out).map_err(|e| format!("AWS_MSK_IAM: {e}"))
}

/// The region of an MSK broker's host name (`b-1.c.abc.c2.kafka.us-east-1.amazonaws.com`,
/// `boot-x.c1.kafka-serverless.eu-west-1.amazonaws.com`), if it is one.
pub fn region_of_host(host: &str) -> Option<String> {
    let labels: Vec<&str> = host.split('.').collect();
    let i = labels.iter().position(|l| *l == "kafka" || *l == "kafka-serverless")?;
    let region = labels.get(i + 1)?;
    (labels.get(i + 2) == Some(&"amazonaws") && !region.is_empty()).then(|| region.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};
    use std::time::UNIX_EPOCH;

    fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
        let mut k = if key.len() > 64 { Sha256::digest(key).to_vec() } else { key.to_vec() };
        k.resize(64, 0);
        let inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).chain(data.iter().copied()).collect();
        let outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).chain(Sha256::digest(&inner)).collect();
        Sha256::digest(&outer).to_vec()
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The signature computed here by hand from SigV4's definition (canonical request, string to
    /// sign, derived key), not by aws-sigv4, over the query parameters MSK's client presigns.
    #[test]
    fn the_payload_is_msks_presigned_connect_with_an_independently_checked_signature() {
        let host = "b-1.demo.abc123.c2.kafka.us-east-1.amazonaws.com";
        let credentials = Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            session_token: None,
        };
        let time = UNIX_EPOCH + Duration::from_secs(1_700_000_000); // 2023-11-14T22:13:20Z
        let json: serde_json::Value = serde_json::from_slice(&payload(host, "us-east-1", &credentials, time).unwrap()).unwrap();
        let get = |k: &str| json[k].as_str().unwrap_or_else(|| panic!("no `{k}` in {json}")).to_string();
        assert_eq!(get("version"), "2020_10_22");
        assert_eq!(get("host"), host);
        assert_eq!(get("action"), "kafka-cluster:Connect");
        assert_eq!(get("x-amz-algorithm"), "AWS4-HMAC-SHA256");
        assert_eq!(get("x-amz-credential"), "AKIDEXAMPLE/20231114/us-east-1/kafka-cluster/aws4_request");
        assert_eq!(get("x-amz-date"), "20231114T221320Z");
        assert_eq!(get("x-amz-expires"), "900");
        assert_eq!(get("x-amz-signedheaders"), "host");
        assert!(json.get("x-amz-security-token").is_none());
        assert!(get("user-agent").starts_with("sluice/"));

        let canonical = format!(
            "GET\n/\nAction=kafka-cluster%3AConnect&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20231114%2Fus-east-1%2Fkafka-cluster%2Faws4_request&X-Amz-Date=20231114T221320Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host\nhost:{host}\n\nhost\n{}",
            hex(&Sha256::digest(b""))
        );
        let to_sign = format!(
            "AWS4-HMAC-SHA256\n20231114T221320Z\n20231114/us-east-1/kafka-cluster/aws4_request\n{}",
            hex(&Sha256::digest(canonical.as_bytes()))
        );
        let mut key = hmac(format!("AWS4{}", credentials.secret_access_key).as_bytes(), b"20231114");
        for part in ["us-east-1", "kafka-cluster", "aws4_request"] {
            key = hmac(&key, part.as_bytes());
        }
        assert_eq!(get("x-amz-signature"), hex(&hmac(&key, to_sign.as_bytes())));

        let with_token = Credentials { session_token: Some("TOKEN/+=".into()), ..credentials };
        let json: serde_json::Value = serde_json::from_slice(&payload(host, "us-east-1", &with_token, time).unwrap()).unwrap();
        assert_eq!(json["x-amz-security-token"], "TOKEN/+=");
    }

    #[test]
    fn the_region_comes_from_an_msk_host_name() {
        assert_eq!(region_of_host("b-1.demo.abc123.c2.kafka.eu-west-1.amazonaws.com").as_deref(), Some("eu-west-1"));
        assert_eq!(region_of_host("boot-x.c1.kafka-serverless.us-east-2.amazonaws.com").as_deref(), Some("us-east-2"));
        assert_eq!(region_of_host("127.0.0.1"), None);
        assert_eq!(region_of_host("kafka.example.com"), None);
    }
}

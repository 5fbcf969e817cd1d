//! SigV4 for a Kinesis request, by AWS's own `aws-sigv4` crate: the headers to add
//! (`authorization`, `x-amz-date`, and `x-amz-security-token` with temporary credentials).
//!
//! The caller passes the time: natively the system clock, in the page `Date.now()` (wasm32 has no
//! clock the standard library can read).

use std::time::SystemTime;

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;

use super::credentials::Credentials;

/// The headers that sign a `POST` of `body` to `url` with `headers` (which must include every
/// header that will be sent and signed: `content-type`, `x-amz-target`).
pub fn sigv4_headers(
    url: &str,
    region: &str,
    credentials: &Credentials,
    headers: &[(&str, &str)],
    body: &[u8],
    time: SystemTime,
) -> Result<Vec<(String, String)>, String> {
    let identity = credentials.for_signing().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("kinesis")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| format!("cannot sign: {e}"))?
        .into();
    let request = SignableRequest::new("POST", url, headers.iter().copied(), SignableBody::Bytes(body))
        .map_err(|e| format!("cannot sign a request to {url}: {e}"))?;
    let (instructions, _) = sign(request, &params).map_err(|e| format!("cannot sign: {e}"))?.into_parts();
    let (signed, _) = instructions.into_parts();
    Ok(signed.into_iter().map(|h| (h.name().to_string(), h.value().to_string())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn the_signature_names_the_kinesis_service_and_region_and_hides_the_secret() {
        let credentials = Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI".into(),
            session_token: Some("tok".into()),
        };
        let headers = [("content-type", "application/x-amz-json-1.1"), ("x-amz-target", "Kinesis_20131202.ListShards")];
        let time = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let signed = sigv4_headers("http://127.0.0.1:4567/", "eu-west-1", &credentials, &headers, b"{}", time).unwrap();
        let get = |name: &str| signed.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        let authorization = get("authorization").unwrap();
        assert!(
            authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/eu-west-1/kinesis/aws4_request"),
            "{authorization}"
        );
        assert!(authorization.contains("x-amz-target"), "the action is signed: {authorization}");
        assert!(!authorization.contains("wJalrXUtnFEMI"));
        assert_eq!(get("x-amz-date"), Some("20231114T221320Z"));
        assert_eq!(get("x-amz-security-token"), Some("tok"));
        // Same request, same time: the same signature.
        assert_eq!(signed, sigv4_headers("http://127.0.0.1:4567/", "eu-west-1", &credentials, &headers, b"{}", time).unwrap());
    }
}

//! SASL/SCRAM-SHA-256 and -512 (RFC 5802, RFC 7677) as Kafka's `ScramSaslClient` speaks it: the
//! GS2 header `n,,`, no channel binding, the server's signature checked at the end. HMAC and
//! PBKDF2 are the few lines below over `sha2` (already in the build for SQL's SHA2 function).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use sha2::{Digest, Sha256, Sha512};

/// Kafka's `ScramMechanism` iteration bounds are 4096..=16384; more than this from a server is
/// refused rather than computed (it costs CPU the server chooses).
const MAX_ITERATIONS: u32 = 65_536;

pub struct Scram {
    sha512: bool,
    password: String,
    nonce: String,
    client_first_bare: String,
    server_signature: Vec<u8>,
}

impl Scram {
    pub fn new(sha512: bool, username: &str, password: &str) -> Scram {
        Scram::with_nonce(sha512, username, password, &fresh_nonce())
    }

    fn with_nonce(sha512: bool, username: &str, password: &str, nonce: &str) -> Scram {
        let user = username.replace('=', "=3D").replace(',', "=2C");
        Scram {
            sha512,
            password: password.to_string(),
            nonce: nonce.to_string(),
            client_first_bare: format!("n={user},r={nonce}"),
            server_signature: Vec::new(),
        }
    }

    pub fn client_first(&self) -> Vec<u8> {
        format!("n,,{}", self.client_first_bare).into_bytes()
    }

    /// The client-final message for the server-first one.
    pub fn client_final(&mut self, server_first: &[u8]) -> Result<Vec<u8>, String> {
        let server_first = std::str::from_utf8(server_first).map_err(|_| "server-first message is not UTF-8")?;
        let attr = |k: &str| server_first.split(',').find_map(|p| p.strip_prefix(k).and_then(|v| v.strip_prefix('=')));
        if let Some(e) = attr("e") {
            return Err(format!("server error `{e}`"));
        }
        let nonce = attr("r").ok_or("server-first message without a nonce")?;
        if !nonce.starts_with(&self.nonce) || nonce.len() == self.nonce.len() {
            return Err("the server's nonce does not extend the client's".into());
        }
        let salt = B64.decode(attr("s").ok_or("server-first message without a salt")?).map_err(|_| "bad salt")?;
        let iterations: u32 = attr("i").and_then(|i| i.parse().ok()).ok_or("server-first message without iterations")?;
        if iterations == 0 || iterations > MAX_ITERATIONS {
            return Err(format!("{iterations} iterations asked (at most {MAX_ITERATIONS})"));
        }
        let without_proof = format!("c=biws,r={nonce}");
        let auth_message = format!("{},{server_first},{without_proof}", self.client_first_bare);
        let salted = self.pbkdf2(self.password.as_bytes(), &salt, iterations);
        let client_key = self.hmac(&salted, b"Client Key");
        let stored_key = self.hash(&client_key);
        let signature = self.hmac(&stored_key, auth_message.as_bytes());
        let proof: Vec<u8> = client_key.iter().zip(&signature).map(|(a, b)| a ^ b).collect();
        let server_key = self.hmac(&salted, b"Server Key");
        self.server_signature = self.hmac(&server_key, auth_message.as_bytes());
        Ok(format!("{without_proof},p={}", B64.encode(proof)).into_bytes())
    }

    pub fn verify_server_final(&self, server_final: &[u8]) -> Result<(), String> {
        let s = std::str::from_utf8(server_final).map_err(|_| "server-final message is not UTF-8")?;
        if let Some(e) = s.strip_prefix("e=") {
            return Err(format!("server error `{e}`"));
        }
        let v = s.strip_prefix("v=").ok_or("server-final message without a signature")?;
        if B64.decode(v).ok().as_deref() != Some(&self.server_signature[..]) {
            return Err("the server's signature is wrong (not the server that holds the credentials?)".into());
        }
        Ok(())
    }

    fn hash(&self, data: &[u8]) -> Vec<u8> {
        if self.sha512 {
            Sha512::digest(data).to_vec()
        } else {
            Sha256::digest(data).to_vec()
        }
    }

    fn hmac(&self, key: &[u8], data: &[u8]) -> Vec<u8> {
        let block = if self.sha512 { 128 } else { 64 };
        let mut k = if key.len() > block { self.hash(key) } else { key.to_vec() };
        k.resize(block, 0);
        let inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).chain(data.iter().copied()).collect();
        let inner = self.hash(&inner);
        let outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).chain(inner).collect();
        self.hash(&outer)
    }

    /// PBKDF2 with one block (RFC 5802's `Hi`).
    fn pbkdf2(&self, password: &[u8], salt: &[u8], iterations: u32) -> Vec<u8> {
        let mut u = self.hmac(password, &[salt, &1u32.to_be_bytes()].concat());
        let mut out = u.clone();
        for _ in 1..iterations {
            u = self.hmac(password, &u);
            for (o, x) in out.iter_mut().zip(&u) {
                *o ^= x;
            }
        }
        out
    }
}

/// 24 unpredictable-enough printable characters: std's randomly keyed hasher over the time.
fn fresh_nonce() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::new();
    while out.len() < 24 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
        out.push_str(&B64.encode(h.finish().to_le_bytes()).replace(['+', '/', '='], ""));
    }
    out.truncate(24);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_7677s_scram_sha_256_exchange() {
        let mut s = Scram::with_nonce(false, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        assert_eq!(s.client_first(), b"n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        let server_first = b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        let client_final = s.client_final(server_first).unwrap();
        assert_eq!(
            String::from_utf8(client_final).unwrap(),
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        );
        s.verify_server_final(b"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=").unwrap();
        assert!(s.verify_server_final(b"v=AAAA").is_err());
    }

    #[test]
    fn a_server_asking_for_endless_iterations_is_refused() {
        let mut s = Scram::with_nonce(false, "u", "p", "abc");
        let e = s.client_final(b"r=abcdef,s=AAAA,i=4000000000").unwrap_err();
        assert!(e.contains("iterations"), "{e}");
    }
}

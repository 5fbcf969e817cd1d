//! `sluice proxy`: its flags, then [`crate::proxy::Proxy`] answering until Ctrl-C.

use std::path::PathBuf;

use crate::proxy::{Proxy, ProxyConfig};

pub fn proxy(args: &[&str]) -> i32 {
    let config = match parse_proxy_args(args) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: {e}\n{}", super::USAGE);
            return 2;
        }
    };
    let proxy = match Proxy::bind(&config) {
        Ok(proxy) => proxy,
        Err(e) => {
            eprintln!("sluice proxy: {e}");
            return 1;
        }
    };
    for line in &proxy.banner {
        eprintln!("sluice proxy: {line}");
    }
    proxy.run();
    0
}

fn parse_proxy_args(args: &[&str]) -> Result<ProxyConfig, String> {
    let mut config = ProxyConfig::default();
    let mut args = args.iter();
    while let Some(&flag) = args.next() {
        let mut value = || args.next().copied().ok_or_else(|| format!("{flag} needs a value"));
        match flag {
            "--port" => {
                let port = value()?;
                config.port = port.parse().map_err(|_| format!("--port takes a port number, not `{port}`"))?;
            }
            "--bind" => config.bind = value()?.to_string(),
            "--endpoint" => {
                let url = value()?;
                if !url.starts_with("http://") && !url.starts_with("https://") {
                    return Err(format!("--endpoint takes an http:// or https:// URL, not `{url}`"));
                }
                config.endpoint = Some(url.to_string());
            }
            "--region" => config.region = Some(value()?.to_string()),
            "--profile" => config.profile = Some(value()?.to_string()),
            "--allow-origin" => config.allowed_origins.push(value()?.to_string()),
            "--allow-stream" => config.allowed_streams.push(value()?.to_string()),
            "--max-body" => {
                let bytes = value()?;
                config.max_body =
                    bytes.replace('_', "").parse().map_err(|_| format!("--max-body takes a number of bytes, not `{bytes}`"))?;
            }
            "--serve" => config.serve = Some(PathBuf::from(value()?)),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_fill_the_config_and_repeat_where_lists() {
        let config = parse_proxy_args(&[
            "--port",
            "0",
            "--endpoint",
            "http://127.0.0.1:4567",
            "--allow-origin",
            "http://a:1",
            "--allow-origin",
            "http://b:2",
            "--allow-stream",
            "in",
            "--max-body",
            "1_024",
            "--serve",
            "dist",
            "--profile",
            "work",
        ])
        .unwrap();
        assert_eq!(config.port, 0);
        assert_eq!(config.allowed_origins, ["http://a:1", "http://b:2"]);
        assert_eq!(config.allowed_streams, ["in"]);
        assert_eq!(config.max_body, 1024);
        assert_eq!(config.profile.as_deref(), Some("work"));
        assert_eq!(config.bind, "127.0.0.1");
    }

    #[test]
    fn bad_flags_say_what_is_wrong() {
        assert!(parse_proxy_args(&["--port", "http"]).unwrap_err().contains("port number"));
        assert!(parse_proxy_args(&["--endpoint", "kinesis.example"]).unwrap_err().contains("http://"));
        assert!(parse_proxy_args(&["--allow-origin"]).unwrap_err().contains("needs a value"));
        assert!(parse_proxy_args(&["--verbose"]).unwrap_err().contains("`--verbose`"));
    }
}

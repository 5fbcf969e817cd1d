//! `sluice proxy`: its flags, then [`crate::proxy::Proxy`] answering until Ctrl-C.

use std::path::PathBuf;

use super::args::*;
use crate::proxy::{Proxy, ProxyConfig};

pub const HELP: &str = "\
usage: sluice proxy [--port N] [--bind ADDR] [--endpoint URL] [--region R] [--profile NAME]
                    [--allow-origin ORIGIN]… [--allow-stream STREAM]… [--max-body BYTES] [--serve DIR]
                    [--kafka HOST:PORT,…] [--kafka-property KEY=VALUE]… [--allow-topic TOPIC]…

Lets the page call Kinesis through this machine's AWS keys: listens on 127.0.0.1:4599 and
forwards the page's Kinesis calls (ListShards, GetShardIterator, GetRecords, PutRecords,
DescribeStreamSummary; nothing else) to https://kinesis.<region>.amazonaws.com or --endpoint,
signed with the credentials `sluice run --help` describes (--profile picks a profile). Pages may
call it from its own origin and --allow-origin (default http://127.0.0.1:8080 and
http://localhost:8080); --allow-stream limits it to those streams; bodies over --max-body
(8 MiB) are refused; --serve dist serves the built studio as well.
With --kafka it also answers the page's Kafka requests (POST /kafka/partitions, offsets, fetch,
produce, committed, commit) against those brokers, with the Kafka client settings given by
--kafka-property (e.g. security.protocol=SASL_PLAINTEXT, sasl.mechanism=SCRAM-SHA-256,
sasl.jaas.config=…: the secrets stay here); --allow-topic limits it to those topics. A proxy
for Kafka alone needs no AWS credentials.";

pub fn proxy(parser: &mut Parser) -> i32 {
    let config = match parse_proxy_args(parser) {
        Ok(Parsed::Run(config)) => config,
        Ok(Parsed::Help) => return super::help(HELP),
        Err(e) => return super::usage_error(&e, HELP),
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

fn parse_proxy_args(parser: &mut Parser) -> Result<Parsed<ProxyConfig>, String> {
    let mut config = ProxyConfig::default();
    while let Some(arg) = next(parser)? {
        match arg {
            Short('h') | Long("help") => return Ok(Parsed::Help),
            Long("port") => config.port = number(parser, "--port", "a port number")?,
            Long("bind") => config.bind = text(parser, "--bind")?,
            Long("endpoint") => {
                let url = text(parser, "--endpoint")?;
                if !url.starts_with("http://") && !url.starts_with("https://") {
                    return Err(format!("--endpoint takes an http:// or https:// URL, not `{url}`"));
                }
                config.endpoint = Some(url);
            }
            Long("region") => config.region = Some(text(parser, "--region")?),
            Long("profile") => config.profile = Some(text(parser, "--profile")?),
            Long("allow-origin") => config.allowed_origins.push(text(parser, "--allow-origin")?),
            Long("allow-stream") => config.allowed_streams.push(text(parser, "--allow-stream")?),
            Long("kafka") => config.kafka = Some(text(parser, "--kafka")?),
            Long("kafka-property") => {
                let kv = text(parser, "--kafka-property")?;
                let (k, v) = kv.split_once('=').ok_or("--kafka-property takes KEY=VALUE (a Kafka client property)")?;
                config.kafka_properties.push((k.trim().to_string(), v.to_string()));
            }
            Long("allow-topic") => config.allowed_topics.push(text(parser, "--allow-topic")?),
            Long("max-body") => config.max_body = number(parser, "--max-body", "a number of bytes")?,
            Long("serve") => config.serve = Some(PathBuf::from(parser.value().map_err(|_| "--serve needs a value")?)),
            other => return Err(unexpected(other)),
        }
    }
    Ok(Parsed::Run(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_fill_the_config_and_repeat_where_lists() {
        let config = parse(&[
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
        let Parsed::Run(config) = config else { panic!("not --help") };
        assert_eq!(config.port, 0);
        assert_eq!(config.allowed_origins, ["http://a:1", "http://b:2"]);
        assert_eq!(config.allowed_streams, ["in"]);
        assert_eq!(config.max_body, 1024);
        assert_eq!(config.profile.as_deref(), Some("work"));
        assert_eq!(config.bind, "127.0.0.1");
    }

    fn parse(args: &[&str]) -> Result<Parsed<ProxyConfig>, String> {
        parse_proxy_args(&mut Parser::from_args(args.iter().copied()))
    }

    #[test]
    fn bad_flags_say_what_is_wrong() {
        let error = |args: &[&str]| parse(args).err().unwrap_or_default();
        assert!(error(&["--port", "http"]).contains("port number"));
        assert!(error(&["--endpoint", "kinesis.example"]).contains("http://"));
        assert!(error(&["--allow-origin"]).contains("needs a value"));
        assert!(error(&["--verbose"]).contains("`--verbose`"));
    }

    #[test]
    fn equals_values_and_help_are_understood() {
        let Ok(Parsed::Run(config)) = parse(&["--port=0", "--allow-stream=in"]) else { panic!("--name=value refused") };
        assert_eq!((config.port, config.allowed_streams), (0, vec!["in".to_string()]));
        assert!(matches!(parse(&["--port", "1", "--help"]), Ok(Parsed::Help)));
    }
}

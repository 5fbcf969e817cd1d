//! The Kinesis access setting, at the top of the Streams panel: **local** (in-page streams, the
//! default), **proxy** (`sluice proxy` signs for the page) or **direct** (the page signs with keys
//! typed here). Below it, what the remote streams and topics report: reading started, back-offs,
//! errors. Then the Kafka access setting: **local** topics (the default) or real topics
//! **through `sluice proxy --kafka`**, which holds the broker's address and any SASL secret.
//!
//! Typed keys live in this component's signals and in the session's remote, in memory only:
//! nothing here is saved, exported, put in a URL or logged, and a reload forgets them.

use leptos::prelude::*;

use super::host::ask;
use super::with_mirror;
use crate::views::host::protocol::{RemoteAccess as Access, SessionReply, SessionRequest, TopicAccess};

/// Messages kept on screen (the newest).
const MESSAGES_SHOWN: usize = 12;

#[component]
pub fn KinesisAccess(tick: RwSignal<u64>) -> impl IntoView {
    let mode = RwSignal::new("local".to_string());
    let proxy_url = RwSignal::new(default_proxy_url());
    let region = RwSignal::new("us-east-1".to_string());
    let endpoint = RwSignal::new(String::new());
    let access_key_id = RwSignal::new(String::new());
    let secret_access_key = RwSignal::new(String::new());
    let session_token = RwSignal::new(String::new());
    let in_use = RwSignal::new("local streams".to_string());
    let error = RwSignal::new(None::<String>);
    let messages = RwSignal::new(Vec::<String>::new());

    // The remote streams' reports, taken from the session as they come.
    Effect::new(move |_| {
        tick.get();
        let new = with_mirror(|m| m.take_remote_messages());
        if !new.is_empty() {
            messages.update(|m| {
                m.extend(new);
                let excess = m.len().saturating_sub(MESSAGES_SHOWN);
                m.drain(..excess);
            });
        }
    });

    let apply = move |_| {
        let access = match mode.get_untracked().as_str() {
            "proxy" => {
                let Some(url) = proxy_url_checked(proxy_url, error) else { return };
                Access::Proxy { url }
            }
            "direct" => {
                let (key, secret) =
                    (access_key_id.get_untracked().trim().to_string(), secret_access_key.get_untracked().trim().to_string());
                if key.is_empty() || secret.is_empty() {
                    error.set(Some("direct access needs an access key id and a secret access key".into()));
                    return;
                }
                let token = session_token.get_untracked().trim().to_string();
                Access::Direct {
                    endpoint: endpoint.get_untracked(),
                    region: region.get_untracked().trim().to_string(),
                    access_key_id: key,
                    secret_access_key: secret,
                    session_token: (!token.is_empty()).then_some(token),
                }
            }
            _ => Access::Local,
        };
        in_use.set(describe(&access));
        error.set(None);
        // The session stops running sensor generators when Kinesis tables read real streams.
        ask(SessionRequest::UseRemote(access), move |reply| {
            let SessionReply::RemoteInUse { stopped_generators } = reply else { return };
            if !stopped_generators.is_empty() {
                let names = quoted_names(stopped_generators);
                messages.update(|m| m.push(format!("stopped the sensor generator on {names}: Kinesis tables now read real streams")));
            }
        });
    };

    view! {
        <div class="kinesis-access" data-testid="kinesis-access">
            <label class="setting">
                <span>"Kinesis"</span>
                <select data-testid="kinesis-mode" on:change=move |ev| mode.set(event_target_value(&ev))>
                    <option value="local" selected=true>"local streams"</option>
                    <option value="proxy">"through sluice proxy"</option>
                    <option value="direct">"direct (signed here)"</option>
                </select>
            </label>
            <Show when=move || mode.get() == "proxy">
                {text_input("kinesis-proxy-url", "proxy URL", proxy_url, "url")}
            </Show>
            <Show when=move || mode.get() == "direct">
                {text_input("kinesis-region", "region", region, "text")}
                {text_input("kinesis-endpoint", "endpoint (blank: AWS)", endpoint, "url")}
                {text_input("kinesis-access-key-id", "access key id", access_key_id, "text")}
                {text_input("kinesis-secret-access-key", "secret access key", secret_access_key, "password")}
                {text_input("kinesis-session-token", "session token (optional)", session_token, "password")}
                <p class="hint">"Kept in this tab's memory only; never saved."</p>
            </Show>
            <button class="small" data-testid="kinesis-apply" on:click=apply>"Use"</button>
            <p class="hint" data-testid="kinesis-status">
                {move || format!("Kinesis tables use {}; queries started from now on.", in_use.get())}
            </p>
            <Show when=move || error.with(Option::is_some)>
                <p class="error" data-testid="kinesis-error">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <ul class="kinesis-messages" data-testid="kinesis-messages">
                <For each=move || messages.get().into_iter().enumerate() key=|(i, m)| format!("{i}{m}") let:entry>
                    <li>{entry.1}</li>
                </For>
            </ul>
        </div>
    }
}

/// Where Kafka tables read and write: local topics, or real ones through `sluice proxy --kafka`.
#[component]
pub fn KafkaAccess() -> impl IntoView {
    let mode = RwSignal::new("local".to_string());
    let proxy_url = RwSignal::new(default_proxy_url());
    let in_use = RwSignal::new("local topics".to_string());
    let error = RwSignal::new(None::<String>);
    let apply = move |_| {
        let access = match mode.get_untracked().as_str() {
            "proxy" => {
                let Some(url) = proxy_url_checked(proxy_url, error) else { return };
                TopicAccess::Proxy { url }
            }
            _ => TopicAccess::Local,
        };
        let described = match &access {
            TopicAccess::Local => "local topics".to_string(),
            TopicAccess::Proxy { url } => format!("real topics through sluice proxy at {url}"),
        };
        in_use.set(described.clone());
        error.set(None);
        ask(SessionRequest::UseKafka(access), move |reply| {
            let SessionReply::RemoteInUse { stopped_generators } = reply else { return };
            if !stopped_generators.is_empty() {
                in_use.set(format!("{described} (the sensor generator on {} stopped)", quoted_names(stopped_generators)));
            }
        });
    };
    view! {
        <div class="kinesis-access kafka-access" data-testid="kafka-access">
            <label class="setting">
                <span>"Kafka"</span>
                <select data-testid="kafka-mode" on:change=move |ev| mode.set(event_target_value(&ev))>
                    <option value="local" selected=true>"local topics"</option>
                    <option value="proxy">"through sluice proxy"</option>
                </select>
            </label>
            <Show when=move || mode.get() == "proxy">
                {text_input("kafka-proxy-url", "proxy URL", proxy_url, "url")}
                <p class="hint">"The proxy (sluice proxy --kafka HOST:PORT) holds the broker and its credentials."</p>
            </Show>
            <button class="small" data-testid="kafka-apply" on:click=apply>"Use"</button>
            <p class="hint" data-testid="kafka-status">
                {move || format!("Kafka tables use {}; queries started from now on.", in_use.get())}
            </p>
            <Show when=move || error.with(Option::is_some)>
                <p class="error" data-testid="kafka-error">{move || error.get().unwrap_or_default()}</p>
            </Show>
        </div>
    }
}

/// A labelled text input bound to `value`.
fn text_input(testid: &'static str, label: &'static str, value: RwSignal<String>, kind: &'static str) -> impl IntoView {
    view! {
        <label class="setting">
            <span>{label}</span>
            <input type=kind data-testid=testid autocomplete="off" spellcheck="false"
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        </label>
    }
}

/// The typed proxy URL, trimmed; `None`, with the reason in `error`, unless it is http(s).
fn proxy_url_checked(proxy_url: RwSignal<String>, error: RwSignal<Option<String>>) -> Option<String> {
    let url = proxy_url.get_untracked().trim().to_string();
    if !url.starts_with("http://") && !url.starts_with("https://") {
        error.set(Some(format!("the proxy URL must start with http:// or https://, not `{url}`")));
        return None;
    }
    Some(url)
}

/// The stopped sensor generators' names, quoted, for a message.
fn quoted_names(names: Vec<String>) -> String {
    names.into_iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
}

/// What the status line says is in use: never a key.
fn describe(access: &Access) -> String {
    match access {
        Access::Local => "local streams".into(),
        Access::Proxy { url } => format!("sluice proxy at {url}"),
        Access::Direct { endpoint, region, .. } if endpoint.trim().is_empty() => {
            format!("Kinesis in {region} (or the table's aws.region), signed here")
        }
        Access::Direct { endpoint, .. } => format!("Kinesis at {}, signed here", endpoint.trim()),
    }
}

/// `sluice proxy`'s default address (where `sluice proxy --serve dist` also serves this page).
fn default_proxy_url() -> String {
    "http://127.0.0.1:4599".into()
}

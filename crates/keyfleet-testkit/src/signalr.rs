//! A notification hub client for tests: the pinned `@microsoft/signalr` package (with its
//! MessagePack protocol) — the library the Bitwarden apps build their connection from — run
//! under Node by `.tools/signalr-client/listen.mjs` (installed by scripts/install-signalr-client).

use crate::workspace_root;
use serde_json::Value;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// The hub protocol a listener speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HubProtocol {
    /// MessagePack (the official apps).
    MessagePack,
    /// JSON.
    Json,
}

/// Where the listener puts its access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenIn {
    /// `Authorization: Bearer` (the library under Node).
    Header,
    /// `?access_token=` (the library in browsers, i.e. the web vault and the extension).
    Query,
    /// No token: the anonymous hub.
    None,
}

/// A connected hub client.
pub struct HubListener {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Lines<BufReader<ChildStdout>>,
}

/// How a connection attempt ended.
pub enum HubConnect {
    /// Connected.
    Connected(Box<HubListener>),
    /// Refused, with the library's error text.
    Failed(String),
}

impl HubListener {
    /// Connects to `base_url`'s hub with `token`, trusting `ca`; waits until connected or failed.
    /// With [`TokenIn::None`], `token` is a login request's id and the anonymous hub is used.
    pub async fn connect(
        base_url: &str,
        ca: &Path,
        token: &str,
        protocol: HubProtocol,
        token_in: TokenIn,
    ) -> HubConnect {
        let dir = workspace_root().join(".tools/signalr-client");
        assert!(
            dir.join("node_modules/@microsoft/signalr-protocol-msgpack").exists(),
            "the SignalR client is not installed: run scripts/install-signalr-client (or scripts/test)"
        );
        let url = match token_in {
            TokenIn::None => format!("{base_url}/notifications/anonymous-hub?Token={token}"),
            _ => format!("{base_url}/notifications/hub"),
        };
        let mut child = Command::new("node")
            .arg(dir.join("listen.mjs"))
            .arg(url)
            .arg(token)
            .arg(match protocol {
                HubProtocol::MessagePack => "messagepack",
                HubProtocol::Json => "json",
            })
            .arg(match token_in {
                TokenIn::Header => "header",
                TokenIn::Query => "query",
                TokenIn::None => "none",
            })
            .env("NODE_EXTRA_CA_CERTS", ca)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs");
        let stdin = child.stdin.take();
        let lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut listener = HubListener {
            child,
            stdin,
            lines,
        };
        let first = listener
            .event(Duration::from_secs(30))
            .await
            .expect("the SignalR client said nothing within 30 s");
        match first["event"].as_str() {
            Some("connected") => HubConnect::Connected(Box::new(listener)),
            _ => HubConnect::Failed(first["error"].as_str().unwrap_or_default().to_string()),
        }
    }

    /// Connects, panicking when refused.
    pub async fn connected(
        base_url: &str,
        ca: &Path,
        token: &str,
        protocol: HubProtocol,
        token_in: TokenIn,
    ) -> HubListener {
        match Self::connect(base_url, ca, token, protocol, token_in).await {
            HubConnect::Connected(l) => *l,
            HubConnect::Failed(e) => panic!("the hub refused the connection: {e}"),
        }
    }

    /// The next event line, or `None` after `within`.
    async fn event(&mut self, within: Duration) -> Option<Value> {
        match tokio::time::timeout(within, self.lines.next_line()).await {
            Ok(Ok(Some(line))) => Some(serde_json::from_str(&line).expect("a JSON line")),
            Ok(_) => Some(serde_json::json!({"event": "closed", "error": "the client exited"})),
            Err(_) => None,
        }
    }

    /// The next notification (the `ReceiveMessage` argument), or `None` when nothing came
    /// within `within`; panics if the connection closed instead.
    pub async fn next_message(&mut self, within: Duration) -> Option<Value> {
        Some(self.next_invocation(within).await?.1)
    }

    /// The next invocation: its client method and argument (`None`, `next_message`).
    pub async fn next_invocation(&mut self, within: Duration) -> Option<(String, Value)> {
        let e = self.event(within).await?;
        assert_eq!(e["event"], "message", "expected a notification, got {e}");
        Some((
            e["target"].as_str().unwrap_or_default().to_string(),
            e["data"].clone(),
        ))
    }

    /// Notifications until one of `push_type` arrives (within `within` in all), answering it;
    /// panics when none comes.
    pub async fn expect_type(&mut self, push_type: i64, within: Duration) -> Value {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_message(left).await {
                Some(m) if m["Type"].as_i64() == Some(push_type) => return m,
                Some(_) => continue,
                None => panic!("no notification of type {push_type} within {within:?}"),
            }
        }
    }

    /// The next event as the client reports it (`{"event": "message" | "closed", …}`), or
    /// `None` after `within`: to check that a connection closed with no message before.
    pub async fn next_event(&mut self, within: Duration) -> Option<Value> {
        self.event(within).await
    }

    /// Waits for the connection to be closed by the server; answers the close error, or `None`
    /// if it stayed open for `within`.
    pub async fn closed(&mut self, within: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let e = self.event(left).await?;
            if e["event"] == "closed" {
                return Some(e["error"].clone());
            }
        }
    }

    /// Stops the client.
    pub async fn stop(mut self) {
        drop(self.stdin.take());
        let _ = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await;
        let _ = self.child.kill().await;
    }
}

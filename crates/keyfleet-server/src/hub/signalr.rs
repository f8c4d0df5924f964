//! The SignalR hub protocol as the Bitwarden clients speak it over a WebSocket (no negotiate
//! call): a JSON handshake ending in the record separator `0x1E`, then messages in the protocol
//! the client chose — MessagePack (what the official apps use: binary frames, each message
//! prefixed by its length as a varint) or JSON (text frames, each message ending in `0x1E`).
//! Only what a server that invokes one client method needs: invocations, pings and close
//! messages out; pings and close messages in (anything else a client sends is ignored).

use serde_json::Value;

/// Ends every JSON record (the handshake in both protocols, every JSON message).
pub const RECORD_SEPARATOR: u8 = 0x1e;

/// SignalR message types used here.
const INVOCATION: u64 = 1;
const PING: u64 = 6;
const CLOSE: u64 = 7;

/// The protocol a connection asked for in its handshake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `messagepack`, version 1.
    MessagePack,
    /// `json`, version 1.
    Json,
}

/// Reads the handshake record `{"protocol":…,"version":1}` from the start of the first frame.
pub fn handshake(frame: &[u8]) -> Result<Protocol, &'static str> {
    let end = frame
        .iter()
        .position(|b| *b == RECORD_SEPARATOR)
        .ok_or("The handshake must end with the record separator.")?;
    let request: Value =
        serde_json::from_slice(&frame[..end]).map_err(|_| "The handshake is not JSON.")?;
    if request.get("version").and_then(Value::as_u64) != Some(1) {
        return Err("Only version 1 of the hub protocols is supported.");
    }
    match request.get("protocol").and_then(Value::as_str) {
        Some("messagepack") => Ok(Protocol::MessagePack),
        Some("json") => Ok(Protocol::Json),
        _ => Err("The protocol must be messagepack or json."),
    }
}

/// The handshake answer: `{}` (accepted) or `{"error":…}`, and the separator.
pub fn handshake_answer(error: Option<&str>) -> String {
    let body = match error {
        None => "{}".to_string(),
        Some(e) => serde_json::json!({ "error": e }).to_string(),
    };
    format!("{body}\u{1e}")
}

/// A frame to send: text for JSON, binary for MessagePack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A text frame.
    Text(String),
    /// A binary frame.
    Binary(Vec<u8>),
}

impl Protocol {
    /// Invokes `target` on the client with `arguments`.
    pub fn invocation(self, target: &str, arguments: &[&Value]) -> Frame {
        match self {
            Protocol::Json => Frame::Text(json_record(&serde_json::json!({
                "type": INVOCATION,
                "target": target,
                "arguments": arguments,
            }))),
            Protocol::MessagePack => {
                // [1, headers {}, invocation id nil, target, [arguments]]
                let mut m = Vec::with_capacity(128);
                write_array_len(&mut m, 5);
                write_uint(&mut m, INVOCATION);
                write_map_len(&mut m, 0);
                m.push(0xc0);
                write_str(&mut m, target);
                write_array_len(&mut m, arguments.len());
                for a in arguments {
                    write_value(&mut m, a);
                }
                Frame::Binary(length_prefixed(m))
            }
        }
    }

    /// A ping (keeps the client's server timeout from firing).
    pub fn ping(self) -> Frame {
        match self {
            Protocol::Json => Frame::Text(json_record(&serde_json::json!({ "type": PING }))),
            Protocol::MessagePack => {
                let mut m = Vec::with_capacity(2);
                write_array_len(&mut m, 1);
                write_uint(&mut m, PING);
                Frame::Binary(length_prefixed(m))
            }
        }
    }

    /// A close message; `allow_reconnect` tells the client it may come back.
    pub fn close(self, error: Option<&str>, allow_reconnect: bool) -> Frame {
        match self {
            Protocol::Json => {
                let mut v = serde_json::json!({ "type": CLOSE, "allowReconnect": allow_reconnect });
                if let Some(e) = error {
                    v["error"] = Value::from(e);
                }
                Frame::Text(json_record(&v))
            }
            Protocol::MessagePack => {
                let mut m = Vec::with_capacity(32);
                write_array_len(&mut m, 3);
                write_uint(&mut m, CLOSE);
                match error {
                    Some(e) => write_str(&mut m, e),
                    None => m.push(0xc0),
                }
                m.push(if allow_reconnect { 0xc3 } else { 0xc2 });
                Frame::Binary(length_prefixed(m))
            }
        }
    }

    /// Whether the messages in a received frame include a close message. Anything unreadable
    /// counts as one: a client that sends garbage is disconnected.
    pub fn closes(self, frame: &[u8]) -> bool {
        match self {
            Protocol::Json => frame
                .split(|b| *b == RECORD_SEPARATOR)
                .filter(|r| !r.is_empty())
                .any(|r| match serde_json::from_slice::<Value>(r) {
                    Ok(v) => v.get("type").and_then(Value::as_u64) == Some(CLOSE),
                    Err(_) => true,
                }),
            Protocol::MessagePack => {
                let mut rest = frame;
                while !rest.is_empty() {
                    let Some((len, used)) = read_varint(rest) else {
                        return true;
                    };
                    let Some(message) = rest.get(used..used.saturating_add(len)) else {
                        return true;
                    };
                    match message_type(message) {
                        Some(CLOSE) | None => return true,
                        Some(_) => {}
                    }
                    rest = &rest[used + len..];
                }
                false
            }
        }
    }
}

fn json_record(v: &Value) -> String {
    format!("{v}\u{1e}")
}

fn length_prefixed(message: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 5);
    let mut n = message.len();
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
    out.extend_from_slice(&message);
    out
}

/// A varint length (at most 5 bytes) and how many bytes it took.
fn read_varint(b: &[u8]) -> Option<(usize, usize)> {
    let mut n: usize = 0;
    for (i, byte) in b.iter().enumerate().take(5) {
        n |= usize::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((n, i + 1));
        }
    }
    None
}

/// The type of a MessagePack hub message: the first element of its array.
fn message_type(m: &[u8]) -> Option<u64> {
    let rest = match *m.first()? {
        b if b & 0xf0 == 0x90 && b != 0x90 => &m[1..],
        0xdc => m.get(3..)?,
        0xdd => m.get(5..)?,
        _ => return None,
    };
    match *rest.first()? {
        b if b < 0x80 => Some(u64::from(b)),
        0xcc => rest.get(1).map(|b| u64::from(*b)),
        _ => None,
    }
}

fn write_array_len(out: &mut Vec<u8>, n: usize) {
    if n < 16 {
        out.push(0x90 | n as u8);
    } else if let Ok(n) = u16::try_from(n) {
        out.push(0xdc);
        out.extend_from_slice(&n.to_be_bytes());
    } else {
        out.push(0xdd);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    }
}

fn write_map_len(out: &mut Vec<u8>, n: usize) {
    if n < 16 {
        out.push(0x80 | n as u8);
    } else if let Ok(n) = u16::try_from(n) {
        out.push(0xde);
        out.extend_from_slice(&n.to_be_bytes());
    } else {
        out.push(0xdf);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    }
}

fn write_uint(out: &mut Vec<u8>, n: u64) {
    if n < 0x80 {
        out.push(n as u8);
    } else if let Ok(n) = u8::try_from(n) {
        out.extend_from_slice(&[0xcc, n]);
    } else if let Ok(n) = u16::try_from(n) {
        out.push(0xcd);
        out.extend_from_slice(&n.to_be_bytes());
    } else if let Ok(n) = u32::try_from(n) {
        out.push(0xce);
        out.extend_from_slice(&n.to_be_bytes());
    } else {
        out.push(0xcf);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

fn write_int(out: &mut Vec<u8>, n: i64) {
    if let Ok(u) = u64::try_from(n) {
        return write_uint(out, u);
    }
    if n >= -32 {
        out.push(n as i8 as u8);
    } else if let Ok(n) = i8::try_from(n) {
        out.extend_from_slice(&[0xd0, n as u8]);
    } else if let Ok(n) = i16::try_from(n) {
        out.push(0xd1);
        out.extend_from_slice(&n.to_be_bytes());
    } else if let Ok(n) = i32::try_from(n) {
        out.push(0xd2);
        out.extend_from_slice(&n.to_be_bytes());
    } else {
        out.push(0xd3);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

fn write_str(out: &mut Vec<u8>, s: &str) {
    let n = s.len();
    if n < 32 {
        out.push(0xa0 | n as u8);
    } else if let Ok(n) = u8::try_from(n) {
        out.extend_from_slice(&[0xd9, n]);
    } else if let Ok(n) = u16::try_from(n) {
        out.push(0xda);
        out.extend_from_slice(&n.to_be_bytes());
    } else {
        out.push(0xdb);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    }
    out.extend_from_slice(s.as_bytes());
}

/// A JSON value in MessagePack (maps keep their keys as strings).
fn write_value(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Null => out.push(0xc0),
        Value::Bool(b) => out.push(if *b { 0xc3 } else { 0xc2 }),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                write_uint(out, u);
            } else if let Some(i) = n.as_i64() {
                write_int(out, i);
            } else {
                out.push(0xcb);
                out.extend_from_slice(&n.as_f64().unwrap_or_default().to_be_bytes());
            }
        }
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            write_array_len(out, items.len());
            for i in items {
                write_value(out, i);
            }
        }
        Value::Object(map) => {
            write_map_len(out, map.len());
            for (k, v) in map {
                write_str(out, k);
                write_value(out, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_handshake_names_the_protocol() {
        assert_eq!(
            handshake(b"{\"protocol\":\"messagepack\",\"version\":1}\x1e"),
            Ok(Protocol::MessagePack)
        );
        assert_eq!(
            handshake(b"{\"protocol\":\"json\",\"version\":1}\x1e"),
            Ok(Protocol::Json)
        );
        assert!(handshake(b"{\"protocol\":\"json\",\"version\":1}").is_err());
        assert!(handshake(b"{\"protocol\":\"xml\",\"version\":1}\x1e").is_err());
        assert!(handshake(b"{\"protocol\":\"json\",\"version\":2}\x1e").is_err());
        assert_eq!(handshake_answer(None), "{}\u{1e}");
    }

    #[test]
    fn a_messagepack_invocation_is_length_prefixed() {
        let arg = serde_json::json!({"Type": 5, "Payload": {"UserId": "u"}, "ContextId": null});
        let Frame::Binary(b) = Protocol::MessagePack.invocation("ReceiveMessage", &[&arg]) else {
            panic!("binary expected")
        };
        // Length prefix, then [1, {}, nil, "ReceiveMessage", [ {...} ]].
        assert_eq!(usize::from(b[0]), b.len() - 1);
        assert_eq!(&b[1..5], &[0x95, 0x01, 0x80, 0xc0]);
        assert_eq!(b[5], 0xa0 | 14);
        assert_eq!(&b[6..20], b"ReceiveMessage");
        assert_eq!(b[20], 0x91);
        assert_eq!(b[21], 0x83);
    }

    #[test]
    fn long_messages_get_a_multi_byte_length() {
        let big = Value::from("x".repeat(300));
        let Frame::Binary(b) = Protocol::MessagePack.invocation("T", &[&big]) else {
            panic!("binary expected")
        };
        let (len, used) = read_varint(&b).unwrap();
        assert_eq!(used, 2);
        assert_eq!(len, b.len() - 2);
    }

    #[test]
    fn pings_pass_and_close_messages_or_garbage_close() {
        let Frame::Binary(ping) = Protocol::MessagePack.ping() else {
            panic!()
        };
        assert_eq!(ping, vec![0x02, 0x91, 0x06]);
        assert!(!Protocol::MessagePack.closes(&ping));
        let Frame::Binary(close) = Protocol::MessagePack.close(None, false) else {
            panic!()
        };
        assert!(Protocol::MessagePack.closes(&close));
        let mut two = ping.clone();
        two.extend_from_slice(&close);
        assert!(Protocol::MessagePack.closes(&two));
        assert!(Protocol::MessagePack.closes(&[0x05, 0x91]));
        assert!(!Protocol::Json.closes(b"{\"type\":6}\x1e"));
        assert!(Protocol::Json.closes(b"{\"type\":6}\x1e{\"type\":7}\x1e"));
        assert!(Protocol::Json.closes(b"nonsense\x1e"));
    }

    #[test]
    fn integers_and_strings_take_their_short_forms() {
        let mut out = Vec::new();
        write_value(&mut out, &serde_json::json!([-1, 200, -200, 70000, "a"]));
        assert_eq!(
            out,
            vec![0x95, 0xff, 0xcc, 200, 0xd1, 0xff, 0x38, 0xce, 0x00, 0x01, 0x11, 0x70, 0xa1, b'a']
        );
    }
}

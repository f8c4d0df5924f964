//! The client address the login throttles count by. By default the socket's peer: proxy headers
//! are trivially forged. Behind a reverse proxy every client would then share the proxy's
//! address (and one client's failures lock out everyone), so the operator names its proxies
//! (`--trusted-proxy CIDR`): from those peers only, the address is read from `Forwarded` or
//! `X-Forwarded-For`, right to left, the first one that is not itself a trusted proxy. IPv6
//! addresses count per /64, the block one subscriber is usually given.

use std::net::IpAddr;
use std::str::FromStr;

/// An address block (`10.0.0.0/8`, `fd00::/8`, or one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    prefix: u8,
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let net: IpAddr = addr
            .parse()
            .map_err(|_| format!("\"{s}\" is not an address or address block"))?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("\"{s}\" has an invalid prefix length"))?,
        };
        Ok(Cidr { net, prefix })
    }
}

impl Cidr {
    /// Whether `ip` is in the block.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.net, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4 address mapped into IPv6 (`::ffff:a.b.c.d`) is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The throttle key of an address: IPv4 as it is, IPv6 by its /64.
pub fn throttle_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// The addresses a `Forwarded` header names in `for=` (RFC 7239), in order.
fn forwarded_for(header: &str) -> Vec<IpAddr> {
    header
        .split([',', ';'])
        .filter_map(|part| {
            let (k, v) = part.trim().split_once('=')?;
            if !k.trim().eq_ignore_ascii_case("for") {
                return None;
            }
            let v = v.trim().trim_matches('"');
            // `[2001:db8::1]:4711`, `192.0.2.60:47011`, `192.0.2.60`, `2001:db8::1`.
            let host = match v.strip_prefix('[') {
                Some(rest) => rest.split(']').next()?,
                None if v.matches(':').count() == 1 => v.split(':').next()?,
                None => v,
            };
            host.parse().ok()
        })
        .collect()
}

/// The client of a request from `peer` with these proxy headers (`Forwarded` first, else
/// `X-Forwarded-For`), trusting only `trusted` proxies.
pub fn client_address(
    peer: IpAddr,
    forwarded: Option<&str>,
    x_forwarded_for: Option<&str>,
    trusted: &[Cidr],
) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let chain: Vec<IpAddr> = match (forwarded, x_forwarded_for) {
        (Some(f), _) => forwarded_for(f),
        (None, Some(x)) => x.split(',').filter_map(|a| a.trim().parse().ok()).collect(),
        (None, None) => vec![],
    };
    // Each proxy appends the address it saw: walking back from the end, the first address that
    // is not one of ours is the client (anything before it may be forged by the client).
    chain
        .iter()
        .rev()
        .copied()
        .find(|ip| !is_trusted(*ip))
        .or_else(|| chain.first().copied())
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn blocks_contain_what_they_say() {
        let v4: Cidr = "10.0.0.0/8".parse().unwrap();
        assert!(v4.contains(ip("10.1.2.3")) && !v4.contains(ip("11.0.0.1")));
        assert!(v4.contains(ip("::ffff:10.9.9.9")), "IPv4-mapped IPv6");
        let one: Cidr = "192.168.1.7".parse().unwrap();
        assert!(one.contains(ip("192.168.1.7")) && !one.contains(ip("192.168.1.8")));
        let v6: Cidr = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        assert!("0.0.0.0/0".parse::<Cidr>().unwrap().contains(ip("8.8.8.8")));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("proxy".parse::<Cidr>().is_err());
    }

    #[test]
    fn proxy_headers_count_only_from_trusted_proxies() {
        let trusted: Vec<Cidr> = vec!["127.0.0.1".parse().unwrap(), "10.0.0.0/8".parse().unwrap()];
        // A client sending its own header directly is its own peer.
        assert_eq!(
            client_address(ip("203.0.113.9"), None, Some("1.2.3.4"), &trusted),
            ip("203.0.113.9")
        );
        // Through our proxy: the address it appended; a forged one before it is ignored.
        assert_eq!(
            client_address(
                ip("127.0.0.1"),
                None,
                Some("6.6.6.6, 198.51.100.7"),
                &trusted
            ),
            ip("198.51.100.7")
        );
        // Two of our proxies in a row.
        assert_eq!(
            client_address(
                ip("10.0.0.2"),
                None,
                Some("198.51.100.7, 10.0.0.1"),
                &trusted
            ),
            ip("198.51.100.7")
        );
        // RFC 7239, IPv6 with a port, quoted.
        assert_eq!(
            client_address(
                ip("127.0.0.1"),
                Some(r#"for=192.0.2.60;proto=https, for="[2001:db8::1]:4711""#),
                Some("9.9.9.9"),
                &trusted
            ),
            ip("2001:db8::1")
        );
        // No header from a trusted proxy: the proxy itself.
        assert_eq!(
            client_address(ip("127.0.0.1"), None, None, &trusted),
            ip("127.0.0.1")
        );
        // Nothing trusted: headers are ignored.
        assert_eq!(
            client_address(ip("127.0.0.1"), None, Some("1.2.3.4"), &[]),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        assert_eq!(
            throttle_key(ip("2001:db8:1:2:aaaa::1")),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            throttle_key(ip("2001:db8:1:2:bbbb::2")),
            throttle_key(ip("2001:db8:1:2:aaaa::1"))
        );
        assert_eq!(throttle_key(ip("::ffff:192.0.2.1")), "192.0.2.1");
        assert_eq!(throttle_key(ip("192.0.2.1")), "192.0.2.1");
    }
}

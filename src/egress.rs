//! Where a business's profile may make this server connect: the URLs an owner sets (a CalDAV
//! calendar, webhooks) must not reach the server's own network (loopback, private, link-local,
//! carrier-grade NAT, unspecified addresses) unless the operator allows it with
//! `FRONTDESK_ALLOW_PRIVATE_URLS` (`*`, or a list of hosts). Checked when a profile is saved (a
//! clear error) and again at every connection (DNS can change after the save): the clients
//! built here resolve through [`GuardedResolver`], which drops refused addresses, and follow no
//! redirects, so the only literal address a request can reach is the one in its URL, which
//! [`check_literal`] refuses before sending.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::app::Settings;

/// Why an address is not one a profile's URL may reach, or `None` when it is public.
pub fn refusal(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => refusal_v4(v4),
        IpAddr::V6(v6) => {
            // An IPv4 address written as IPv6 (`::ffff:127.0.0.1`, NAT64 `64:ff9b::/96`) is
            // judged as the IPv4 address it reaches.
            if let Some(v4) = v6.to_ipv4_mapped() {
                return refusal_v4(v4);
            }
            let s = v6.segments();
            if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
                let v4 =
                    Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
                return refusal_v4(v4);
            }
            if v6.is_loopback() {
                Some("loopback")
            } else if v6.is_unspecified() {
                Some("unspecified")
            } else if v6.is_unique_local() {
                Some("private")
            } else if v6.is_unicast_link_local() || (s[0] & 0xffc0) == 0xfec0 {
                Some("link-local")
            } else if v6.is_multicast() {
                Some("multicast")
            } else {
                None
            }
        }
    }
}

fn refusal_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let o = ip.octets();
    if ip.is_loopback() {
        Some("loopback")
    } else if ip.is_private() {
        Some("private")
    } else if ip.is_link_local() {
        Some("link-local")
    } else if ip.is_unspecified() || o[0] == 0 {
        Some("unspecified")
    } else if o[0] == 100 && (o[1] & 0xc0) == 64 {
        Some("carrier-grade NAT")
    } else if ip.is_broadcast() || ip.is_multicast() || o[0] >= 240 {
        Some("reserved")
    } else {
        None
    }
}

/// Whether the operator lets URLs on `host` reach private addresses.
pub fn host_allowed(settings: &Settings, host: &str) -> bool {
    let host = host.trim_matches(['[', ']']).to_ascii_lowercase();
    settings
        .allow_private_urls
        .iter()
        .any(|h| h == "*" || *h == host)
}

/// The hint every refusal carries.
pub const HINT: &str = "a profile's URLs must reach a public address; an operator can allow a private host with FRONTDESK_ALLOW_PRIVATE_URLS=host (or * for any)";

/// The host of an http(s) URL, or why it has none.
fn host_of(url: &str) -> Result<(reqwest::Url, String), String> {
    let parsed = reqwest::Url::parse(url.trim()).map_err(|e| format!("{url:?}: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("{url:?} is not an http(s) address"));
    }
    let host = parsed
        .host_str()
        .ok_or_else(|| format!("{url:?} has no host"))?
        .trim_matches(['[', ']'])
        .to_string();
    Ok((parsed, host))
}

/// Refuses a URL whose host is a literal address the profile may not reach (no DNS).
pub fn check_literal(settings: &Settings, url: &str) -> Result<(), String> {
    let (_, host) = host_of(url)?;
    if host_allowed(settings, &host) {
        return Ok(());
    }
    if let Ok(ip) = host.parse::<IpAddr>()
        && let Some(why) = refusal(ip)
    {
        return Err(format!("{url:?} reaches a {why} address ({ip})"));
    }
    Ok(())
}

/// Resolves the URL's host and refuses it when any address it resolves to is one a profile may
/// not reach. Used when a profile is saved; a name that does not resolve yet is let through
/// (every connection is checked again).
pub async fn check_url(settings: &Settings, url: &str) -> Result<(), String> {
    check_literal(settings, url)?;
    let (parsed, host) = host_of(url)?;
    if host_allowed(settings, &host) || host.parse::<IpAddr>().is_ok() {
        return Ok(());
    }
    let port = parsed.port_or_known_default().unwrap_or(443);
    let lookup = tokio::time::timeout(
        Duration::from_secs(5),
        tokio::net::lookup_host((host.as_str(), port)),
    )
    .await;
    let Ok(Ok(addrs)) = lookup else {
        tracing::info!(url = %url, "profile URL does not resolve yet; checked again when used");
        return Ok(());
    };
    for addr in addrs {
        if let Some(why) = refusal(addr.ip()) {
            return Err(format!(
                "{url:?} reaches a {why} address ({host} is {})",
                addr.ip()
            ));
        }
    }
    Ok(())
}

/// A DNS resolver that drops every address a profile's URL may not reach (unless the operator
/// allows the host), so a name that changes after it was checked still cannot reach inside.
#[derive(Clone)]
pub struct GuardedResolver {
    allowed: Arc<Vec<String>>,
}

impl GuardedResolver {
    pub fn new(settings: &Settings) -> Self {
        Self {
            allowed: Arc::new(settings.allow_private_urls.clone()),
        }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_ascii_lowercase();
        let open = self.allowed.iter().any(|h| h == "*" || *h == host);
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| open || refusal(a.ip()).is_none())
                .collect();
            if kept.is_empty() && !found.is_empty() {
                let why = refusal(found[0].ip()).unwrap_or("private");
                return Err(format!(
                    "refused: {host:?} resolves to a {why} address ({}); {HINT}",
                    found[0].ip()
                )
                .into());
            }
            let addrs: Addrs = Box::new(kept.into_iter());
            Ok(addrs)
        })
    }
}

/// What a client for a profile's URLs needs: the guarded resolver and no redirects.
pub fn guard(builder: reqwest::ClientBuilder, settings: &Settings) -> reqwest::ClientBuilder {
    builder
        .dns_resolver(Arc::new(GuardedResolver::new(settings)))
        .redirect(reqwest::redirect::Policy::none())
}

/// The client for a profile's webhooks: like [`frontdesk_notify::webhook_client`] (no
/// redirects, a 5 s connect timeout) with the guarded resolver.
pub fn webhook_client(settings: &Settings) -> reqwest::Client {
    guard(
        reqwest::Client::builder().connect_timeout(Duration::from_secs(5)),
        settings,
    )
    .build()
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_addresses_are_refused_and_public_ones_are_not() {
        for ip in [
            "127.0.0.1",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "64:ff9b::7f00:1",
        ] {
            assert!(refusal(ip.parse().unwrap()).is_some(), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
            "8.8.8.8",
            "2606:4700::1111",
        ] {
            assert!(refusal(ip.parse().unwrap()).is_none(), "{ip}");
        }
    }

    #[tokio::test]
    async fn a_name_that_resolves_inside_is_refused_at_connection_unless_allowed() {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let mut buf = [0u8; 2048];
                let _ = sock.read(&mut buf).await;
                let _ = sock
                    .write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                    .await;
            }
        });
        let url = format!("http://localhost:{port}/hook");
        let refused = webhook_client(&Settings::default()).get(&url).send().await;
        assert!(refused.is_err(), "{refused:?}");
        let open = Settings {
            allow_private_urls: vec!["localhost".into()],
            ..Settings::default()
        };
        let sent = webhook_client(&open).get(&url).send().await.unwrap();
        assert_eq!(sent.status().as_u16(), 204);
    }

    #[test]
    fn the_operator_can_allow_a_host_or_every_host() {
        let mut s = Settings::default();
        assert!(check_literal(&s, "http://127.0.0.1:5232/cal/").is_err());
        assert!(check_literal(&s, "http://[::1]/").is_err());
        s.allow_private_urls = vec!["127.0.0.1".into()];
        assert!(check_literal(&s, "http://127.0.0.1:5232/cal/").is_ok());
        assert!(check_literal(&s, "http://10.0.0.1/").is_err());
        s.allow_private_urls = vec!["*".into()];
        assert!(check_literal(&s, "http://10.0.0.1/").is_ok());
    }
}

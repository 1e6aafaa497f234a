//! The CalDAV requests, written by hand over `reqwest`: MKCALENDAR, PUT, DELETE, HEAD, PROPFIND,
//! the calendar-query REPORT and a calendar-multiget REPORT with `<C:expand>`. Each public call
//! has one hard deadline (connect, send and read together, over all the requests the call
//! makes), so a server that hangs answers [`Error::Timeout`] within it and one that refuses
//! answers [`Error::Unreachable`] at once.

use std::time::{Duration, Instant};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use reqwest::header::{CONTENT_TYPE, ETAG, HeaderValue};
use reqwest::{Method, StatusCode, Url};

use crate::ics::{self, Event, RemoteEvent, event_ics};
use crate::{Error, multistatus};

/// How much of an error body we keep.
const BODY_LIMIT: usize = 500;

/// A client for one calendar collection. Cheap to clone (the connection pool is shared).
#[derive(Debug, Clone)]
pub struct CalDav {
    http: reqwest::Client,
    collection: Url,
    username: Option<String>,
    password: Option<String>,
    time_zone: TimeZone,
    deadline: Duration,
}

impl CalDav {
    /// A client for the collection at `collection_url` (`http(s)://host/user/calendar/`), with
    /// Basic auth when a username is given, every request bounded by `deadline`. Floating and
    /// all-day times are read in UTC until [`CalDav::with_time_zone`] says otherwise.
    pub fn new(
        collection_url: &str,
        username: Option<&str>,
        password: Option<&str>,
        deadline: Duration,
    ) -> Result<CalDav, Error> {
        Self::with_client(collection_url, username, password, deadline, |b| b)
    }

    /// Like [`CalDav::new`], with `configure` applied to the HTTP client before it is built
    /// (a DNS resolver that refuses some addresses, a redirect policy).
    pub fn with_client(
        collection_url: &str,
        username: Option<&str>,
        password: Option<&str>,
        deadline: Duration,
        configure: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
    ) -> Result<CalDav, Error> {
        let mut collection = Url::parse(collection_url.trim())
            .map_err(|e| Error::Invalid(format!("collection url '{collection_url}': {e}")))?;
        if !matches!(collection.scheme(), "http" | "https") || collection.host_str().is_none() {
            return Err(Error::Invalid(format!(
                "collection url '{collection_url}' is not an http(s) url with a host"
            )));
        }
        if deadline.is_zero() {
            return Err(Error::Invalid(
                "the deadline '0s' leaves no time for a request".into(),
            ));
        }
        if !collection.path().ends_with('/') {
            let path = format!("{}/", collection.path());
            collection.set_path(&path);
        }
        let http = configure(
            reqwest::Client::builder()
                .timeout(deadline)
                .connect_timeout(deadline)
                .user_agent(concat!("frontdesk-caldav/", env!("CARGO_PKG_VERSION"))),
        )
        .build()
        .map_err(|e| Error::Invalid(format!("http client: {}", chain(&e))))?;
        Ok(CalDav {
            http,
            collection,
            username: username.map(str::to_string),
            password: password.map(str::to_string),
            time_zone: TimeZone::UTC,
            deadline,
        })
    }

    /// The same client reading floating times and all-day dates in the shop's zone `tz`
    /// (an all-day event then keeps the shop's whole local day busy).
    pub fn with_time_zone(mut self, tz: TimeZone) -> CalDav {
        self.time_zone = tz;
        self
    }

    /// The collection this client writes to, always ending in `/`.
    pub fn collection_url(&self) -> &str {
        self.collection.as_str()
    }

    /// Makes the calendar collection when it is missing; an existing calendar is fine.
    pub async fn ensure_calendar(&self) -> Result<(), Error> {
        let by = self.deadline_from_now();
        let made = self
            .send(self.request(method("MKCALENDAR"), self.collection.clone(), by))
            .await?;
        let status = made.status();
        if status == StatusCode::CREATED || status.is_success() {
            return Ok(());
        }
        let refusal = http_error(made).await;
        // Servers answer an existing collection with 405, 409 or 403: check that it is a
        // calendar before calling that success.
        if matches!(status.as_u16(), 403 | 405 | 409) && self.is_calendar_by(by).await? {
            return Ok(());
        }
        Err(refusal)
    }

    /// Whether the collection exists and is a calendar (PROPFIND, Depth 0).
    pub async fn is_calendar(&self) -> Result<bool, Error> {
        self.is_calendar_by(self.deadline_from_now()).await
    }

    async fn is_calendar_by(&self, by: Instant) -> Result<bool, Error> {
        const BODY: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>"#;
        let answer = self
            .send(
                self.request(method("PROPFIND"), self.collection.clone(), by)
                    .header("Depth", "0")
                    .header(CONTENT_TYPE, "application/xml; charset=utf-8")
                    .body(BODY),
            )
            .await?;
        match answer.status().as_u16() {
            207 => {
                let body = read_body(answer).await?;
                let responses = multistatus::parse(&body).map_err(Error::Invalid)?;
                Ok(responses.iter().any(|r| r.is_calendar))
            }
            404 => Ok(false),
            _ => Err(http_error(answer).await),
        }
    }

    /// Writes `event` to `{collection}/{uid}.ics` and answers its new ETag (empty when the
    /// server gives none). Writing the same event again overwrites it, so a retried job leaves
    /// one event.
    pub async fn put_event(&self, event: &Event) -> Result<String, Error> {
        if event.end < event.start {
            return Err(Error::Invalid(format!(
                "event '{}' ends at '{}' before it starts at '{}'",
                event.uid, event.end, event.start
            )));
        }
        let url = self.event_url(&event.uid)?;
        let by = self.deadline_from_now();
        let answer = self
            .send(
                self.request(Method::PUT, url.clone(), by)
                    .header(CONTENT_TYPE, "text/calendar; charset=utf-8")
                    .body(event_ics(event)),
            )
            .await?;
        if !answer.status().is_success() {
            return Err(http_error(answer).await);
        }
        if let Some(etag) = etag_of(answer.headers().get(ETAG)) {
            return Ok(etag);
        }
        // Some servers leave the ETag out of a PUT answer when they changed the data; ask.
        let head = self.send(self.request(Method::HEAD, url, by)).await?;
        Ok(etag_of(head.headers().get(ETAG)).unwrap_or_default())
    }

    /// Deletes the event with this uid; one that is already gone counts as deleted.
    pub async fn delete_event(&self, uid: &str) -> Result<(), Error> {
        let by = self.deadline_from_now();
        let answer = self
            .send(self.request(Method::DELETE, self.event_url(uid)?, by))
            .await?;
        match answer.status().as_u16() {
            200..=299 | 404 | 410 => Ok(()),
            _ => Err(http_error(answer).await),
        }
    }

    /// Every occurrence of every VEVENT overlapping `[from, to)`, each with its resource's ETag.
    /// Recurring events are expanded here for simple DAILY/WEEKLY/MONTHLY/YEARLY rules; for any
    /// other rule or an RDATE the server is asked to expand that resource (`<C:expand>`), and
    /// a server that cannot leaves the first occurrence only. Cancelled and transparent events
    /// are included and flagged.
    pub async fn events(&self, from: Timestamp, to: Timestamp) -> Result<Vec<RemoteEvent>, Error> {
        let by = self.deadline_from_now();
        if to <= from {
            return Err(Error::Invalid(format!(
                "the window '{from}'..'{to}' is empty"
            )));
        }
        let body = format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter>
    <C:comp-filter name="VCALENDAR">
      <C:comp-filter name="VEVENT">
        <C:time-range start="{}" end="{}"/>
      </C:comp-filter>
    </C:comp-filter>
  </C:filter>
</C:calendar-query>"#,
            ics::utc_text(from),
            ics::utc_text(to)
        );
        let answer = self
            .send(
                self.request(method("REPORT"), self.collection.clone(), by)
                    .header("Depth", "1")
                    .header(CONTENT_TYPE, "application/xml; charset=utf-8")
                    .body(body),
            )
            .await?;
        if answer.status().as_u16() != 207 {
            return Err(http_error(answer).await);
        }
        let body = read_body(answer).await?;
        let responses = multistatus::parse(&body).map_err(Error::Invalid)?;
        let mut out = Vec::new();
        let mut for_the_server = Vec::new();
        for response in responses {
            if response
                .calendar_data
                .as_deref()
                .is_some_and(ics::needs_server_expansion)
            {
                for_the_server.push(response);
            } else {
                self.read_into(&mut out, response, from, to);
            }
        }
        if !for_the_server.is_empty() {
            let hrefs: Vec<&str> = for_the_server.iter().map(|r| r.href.as_str()).collect();
            let expanded = match self.expanded(&hrefs, from, to, by).await {
                Ok(expanded) => expanded,
                Err(e @ (Error::Timeout | Error::Unreachable(_))) => return Err(e),
                // A server that cannot expand: the first occurrences are all we have.
                Err(_) => Vec::new(),
            };
            for original in for_the_server {
                let answer = expanded
                    .iter()
                    .find(|r| r.href == original.href && r.calendar_data.is_some())
                    .cloned();
                self.read_into(&mut out, answer.unwrap_or(original), from, to);
            }
        }
        out.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.uid.cmp(&b.uid)));
        Ok(out)
    }

    /// The resources at `hrefs` with their recurring events expanded by the server within
    /// `[from, to)` (calendar-multiget with `<C:expand>`).
    async fn expanded(
        &self,
        hrefs: &[&str],
        from: Timestamp,
        to: Timestamp,
        by: Instant,
    ) -> Result<Vec<multistatus::Response>, Error> {
        let hrefs: String = hrefs
            .iter()
            .map(|h| format!("<D:href>{}</D:href>", xml_escape(h)))
            .collect();
        let body = format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data><C:expand start="{}" end="{}"/></C:calendar-data></D:prop>
  {hrefs}
</C:calendar-multiget>"#,
            ics::utc_text(from),
            ics::utc_text(to)
        );
        let answer = self
            .send(
                self.request(method("REPORT"), self.collection.clone(), by)
                    .header("Depth", "1")
                    .header(CONTENT_TYPE, "application/xml; charset=utf-8")
                    .body(body),
            )
            .await?;
        if answer.status().as_u16() != 207 {
            return Err(http_error(answer).await);
        }
        multistatus::parse(&read_body(answer).await?).map_err(Error::Invalid)
    }

    fn read_into(
        &self,
        out: &mut Vec<RemoteEvent>,
        response: multistatus::Response,
        from: Timestamp,
        to: Timestamp,
    ) {
        let Some(data) = response.calendar_data else {
            return;
        };
        for mut event in ics::expand_events(&data, &self.time_zone, from, to) {
            event.etag = response.etag.clone();
            out.push(event);
        }
    }

    fn event_url(&self, uid: &str) -> Result<Url, Error> {
        if uid.trim().is_empty() {
            return Err(Error::Invalid("an event needs a non-empty uid".into()));
        }
        self.collection
            .join(&format!("{}.ics", resource_name(uid)))
            .map_err(|e| Error::Invalid(format!("uid '{uid}' makes no url: {e}")))
    }

    fn deadline_from_now(&self) -> Instant {
        Instant::now() + self.deadline
    }

    /// A request that must be answered by `by`, the deadline of the call it is part of (a
    /// call that takes two requests still answers within one deadline).
    fn request(&self, method: Method, url: Url, by: Instant) -> reqwest::RequestBuilder {
        let left = by.saturating_duration_since(Instant::now());
        let request = self
            .http
            .request(method, url)
            .timeout(left.max(Duration::from_millis(1)));
        match &self.username {
            Some(user) => request.basic_auth(user, self.password.as_deref()),
            None => request,
        }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<reqwest::Response, Error> {
        request.send().await.map_err(transport)
    }
}

/// The resource name for a uid: the uid itself when it is made of letters, digits and
/// `-._~@` (our own uids are), else `fd-` and the uid's bytes in hex, since servers disagree on
/// escaped `/`, `:` and `%` in a path. The same uid always gives the same name, so a delete
/// finds what a put wrote.
fn resource_name(uid: &str) -> String {
    let plain = !uid.starts_with('.')
        && uid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~@".contains(&b));
    if plain {
        uid.to_string()
    } else {
        let hex: String = uid.bytes().map(|b| format!("{b:02x}")).collect();
        format!("fd-{hex}")
    }
}

fn method(name: &'static str) -> Method {
    Method::from_bytes(name.as_bytes()).unwrap_or(Method::GET)
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn etag_of(value: Option<&HeaderValue>) -> Option<String> {
    value
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .filter(|v| !v.is_empty())
}

async fn read_body(answer: reqwest::Response) -> Result<String, Error> {
    answer.text().await.map_err(transport)
}

async fn http_error(answer: reqwest::Response) -> Error {
    let status = answer.status().as_u16();
    let body = match answer.text().await {
        Ok(body) => body.chars().take(BODY_LIMIT).collect(),
        Err(e) if e.is_timeout() => return Error::Timeout,
        Err(_) => String::new(),
    };
    Error::Http { status, body }
}

fn transport(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::Timeout
    } else {
        Error::Unreachable(chain(&e))
    }
}

/// An error and its causes, `: `-joined.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_own_uids_name_their_resources_as_they_are() {
        assert_eq!(
            resource_name("0193c5f2-7a1b-7c3d-9e4f-0123456789ab"),
            "0193c5f2-7a1b-7c3d-9e4f-0123456789ab"
        );
        assert_eq!(resource_name("appt-42@frontdesk"), "appt-42@frontdesk");
    }

    #[test]
    fn a_uid_with_path_characters_gets_a_stable_hex_name() {
        assert_eq!(resource_name("a/b:c"), "fd-612f623a63");
        assert_eq!(resource_name("a/b:c"), resource_name("a/b:c"));
        assert_ne!(resource_name("a/b"), resource_name("a/c"));
        assert_eq!(resource_name(".."), "fd-2e2e");
    }
}

//! The WebDAV `207 Multi-Status` answer: one `<response>` per resource, each with an href and
//! the properties that came back with status 200 (`getetag`, `calendar-data`,
//! `resourcetype`). Elements are matched by namespace and local name, so any prefix works.

const DAV: &str = "DAV:";
const CALDAV: &str = "urn:ietf:params:xml:ns:caldav";

/// One `<response>` of a multistatus.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Response {
    pub href: String,
    pub etag: Option<String>,
    pub calendar_data: Option<String>,
    pub is_calendar: bool,
}

/// The responses in a multistatus body.
pub(crate) fn parse(xml: &str) -> Result<Vec<Response>, String> {
    let doc =
        roxmltree::Document::parse(xml).map_err(|e| format!("the multistatus is not XML: {e}"))?;
    let root = doc.root_element();
    if !is(root, DAV, "multistatus") {
        return Err(format!(
            "expected a DAV multistatus, got '{}'",
            root.tag_name().name()
        ));
    }
    let mut out = Vec::new();
    for response in root.children().filter(|n| is(*n, DAV, "response")) {
        let mut item = Response {
            href: child(response, DAV, "href").map(text).unwrap_or_default(),
            ..Response::default()
        };
        for propstat in response.children().filter(|n| is(*n, DAV, "propstat")) {
            let ok = child(propstat, DAV, "status")
                .is_none_or(|s| text(s).split_whitespace().nth(1) == Some("200"));
            let Some(prop) = child(propstat, DAV, "prop").filter(|_| ok) else {
                continue;
            };
            if let Some(etag) = child(prop, DAV, "getetag")
                .map(text)
                .filter(|t| !t.is_empty())
            {
                item.etag = Some(etag);
            }
            if let Some(data) = child(prop, CALDAV, "calendar-data")
                .map(text)
                .filter(|t| !t.is_empty())
            {
                item.calendar_data = Some(data);
            }
            if let Some(kind) = child(prop, DAV, "resourcetype") {
                item.is_calendar |= child(kind, CALDAV, "calendar").is_some();
            }
        }
        out.push(item);
    }
    Ok(out)
}

fn is(node: roxmltree::Node, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(ns)
}

fn child<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    ns: &str,
    name: &str,
) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|n| is(*n, ns, name))
}

/// All the text inside, entities resolved, surrounding whitespace trimmed.
fn text(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_data_and_etags_are_read_with_any_prefix_and_entities_resolved() {
        let xml = r#"<?xml version="1.0"?>
<multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <response><href>/shop/calendar/a.ics</href>
    <propstat><prop><getetag>"e1"</getetag><C:calendar-data>BEGIN:VCALENDAR&#13;
SUMMARY:Oil &amp; filter&#13;
END:VCALENDAR&#13;
</C:calendar-data></prop><status>HTTP/1.1 200 OK</status></propstat>
  </response>
  <response><href>/shop/calendar/b.ics</href>
    <propstat><prop><C:calendar-data/></prop><status>HTTP/1.1 404 Not Found</status></propstat>
  </response>
</multistatus>"#;
        let responses = parse(xml).unwrap();
        assert_eq!(responses.len(), 2);
        assert_eq!(responses[0].href, "/shop/calendar/a.ics");
        assert_eq!(responses[0].etag.as_deref(), Some("\"e1\""));
        assert_eq!(
            responses[0].calendar_data.as_deref(),
            Some("BEGIN:VCALENDAR\r\nSUMMARY:Oil & filter\r\nEND:VCALENDAR")
        );
        assert_eq!(responses[1].calendar_data, None);
    }

    #[test]
    fn a_body_that_is_not_a_multistatus_is_an_error() {
        assert!(parse("<html>oops</html>").is_err());
        assert!(parse("not xml at all").is_err());
    }
}

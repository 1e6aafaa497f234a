//! TwiML, the XML we answer Twilio's webhooks with: a small builder for the verbs frontdesk
//! uses, written out exactly (the `<?xml version="1.0" encoding="UTF-8"?>` declaration, one
//! `<Response>` root, no whitespace between elements, text and attributes escaped).
//!
//! Attribute names are Twilio's camelCase ones (`speechTimeout`, `actionOnEmptyResult`,
//! `answerOnBridge`, `welcomeGreeting`, `ttsProvider`, `dtmfDetection`, ...), the same that
//! the official Python library's `twilio.twiml.voice_response` writes from its snake_case
//! keyword arguments; booleans are written `true`/`false` as that library does. Attributes
//! are written sorted by name and an element without text or children is self-closed
//! (`<Hangup />`), as that library does, so our documents are byte-for-byte the library's: a
//! test builds the same documents with it and compares them exactly and after
//! canonicalisation.
//!
//! Escaping: in text `&`, `<` and `>`; in attributes also `"`, and tab, newline and carriage
//! return as character references so that they survive attribute-value normalisation.

use std::fmt::Write as _;

/// A TwiML element: a name, attributes in order, optional text, children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub name: &'static str,
    pub attrs: Vec<(&'static str, String)>,
    pub text: Option<String>,
    pub children: Vec<Element>,
}

impl Element {
    pub fn new(name: &'static str) -> Self {
        Element {
            name,
            attrs: Vec::new(),
            text: None,
            children: Vec::new(),
        }
    }

    /// Sets an attribute, replacing an earlier value of the same name.
    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> Self {
        let value = value.into();
        match self.attrs.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.attrs.push((name, value)),
        }
        self
    }

    fn attr_opt(self, name: &'static str, value: &Option<String>) -> Self {
        match value {
            Some(v) => self.attr(name, v.clone()),
            None => self,
        }
    }

    fn attr_bool(self, name: &'static str, value: Option<bool>) -> Self {
        match value {
            Some(v) => self.attr(name, if v { "true" } else { "false" }),
            None => self,
        }
    }

    fn attr_num(self, name: &'static str, value: Option<u32>) -> Self {
        match value {
            Some(v) => self.attr(name, v.to_string()),
            None => self,
        }
    }

    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    pub fn child(mut self, child: Element) -> Self {
        self.children.push(child);
        self
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(self.name);
        let mut attrs: Vec<&(&str, String)> = self.attrs.iter().collect();
        attrs.sort_by_key(|(name, _)| *name);
        for (name, value) in attrs {
            let _ = write!(out, " {name}=\"{}\"", escape_attr(value));
        }
        let text = self.text.as_deref().filter(|t| !t.is_empty());
        if text.is_none() && self.children.is_empty() {
            out.push_str(" />");
            return;
        }
        out.push('>');
        if let Some(text) = text {
            out.push_str(&escape_text(text));
        }
        for child in &self.children {
            child.write(out);
        }
        let _ = write!(out, "</{}>", self.name);
    }
}

/// Escapes element text.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes an attribute value written between double quotes.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#09;"),
            c => out.push(c),
        }
    }
    out
}

const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// A voice `<Response>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VoiceResponse {
    verbs: Vec<Element>,
}

/// A messaging `<Response>` (the reply to an incoming SMS).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessagingResponse {
    verbs: Vec<Element>,
}

fn document(verbs: &[Element]) -> String {
    let mut out = String::from(DECLARATION);
    if verbs.is_empty() {
        out.push_str("<Response />");
        return out;
    }
    out.push_str("<Response>");
    for verb in verbs {
        verb.write(&mut out);
    }
    out.push_str("</Response>");
    out
}

impl VoiceResponse {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn say(mut self, say: Say) -> Self {
        self.verbs.push(say.into());
        self
    }
    pub fn gather(mut self, gather: Gather) -> Self {
        self.verbs.push(gather.into());
        self
    }
    pub fn dial(mut self, dial: Dial) -> Self {
        self.verbs.push(dial.into());
        self
    }
    pub fn connect(mut self, connect: Connect) -> Self {
        self.verbs.push(connect.into());
        self
    }
    pub fn pause(mut self, seconds: Option<u32>) -> Self {
        self.verbs
            .push(Element::new("Pause").attr_num("length", seconds));
        self
    }
    /// `<Redirect method="POST">url</Redirect>`; `method` `None` leaves Twilio's default (POST).
    pub fn redirect(mut self, url: impl Into<String>, method: Option<&str>) -> Self {
        let mut el = Element::new("Redirect").text(url);
        if let Some(m) = method {
            el = el.attr("method", m);
        }
        self.verbs.push(el);
        self
    }
    pub fn hangup(mut self) -> Self {
        self.verbs.push(Element::new("Hangup"));
        self
    }
    /// Any other element, for what the builder does not model.
    pub fn element(mut self, element: Element) -> Self {
        self.verbs.push(element);
        self
    }
    /// The TwiML document.
    pub fn to_xml(&self) -> String {
        document(&self.verbs)
    }
}

impl std::fmt::Display for VoiceResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_xml())
    }
}

impl MessagingResponse {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn message(mut self, message: Message) -> Self {
        self.verbs.push(message.into());
        self
    }
    pub fn to_xml(&self) -> String {
        document(&self.verbs)
    }
}

impl std::fmt::Display for MessagingResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_xml())
    }
}

/// `<Say voice language>text</Say>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Say {
    pub text: String,
    pub voice: Option<String>,
    pub language: Option<String>,
}

impl Say {
    pub fn new(text: impl Into<String>) -> Self {
        Say {
            text: text.into(),
            ..Default::default()
        }
    }
    pub fn voice(mut self, voice: impl Into<String>) -> Self {
        self.voice = Some(voice.into());
        self
    }
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }
}

impl From<Say> for Element {
    fn from(s: Say) -> Element {
        Element::new("Say")
            .attr_opt("voice", &s.voice)
            .attr_opt("language", &s.language)
            .text(s.text)
    }
}

/// `<Gather>` with nested `<Say>` and `<Pause>` prompts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gather {
    /// `speech`, `dtmf` or `speech dtmf`.
    pub input: Option<String>,
    pub action: Option<String>,
    pub method: Option<String>,
    pub timeout: Option<u32>,
    /// Seconds, or `auto`.
    pub speech_timeout: Option<String>,
    pub hints: Option<String>,
    pub action_on_empty_result: Option<bool>,
    pub language: Option<String>,
    pub speech_model: Option<String>,
    pub num_digits: Option<u32>,
    pub finish_on_key: Option<String>,
    pub profanity_filter: Option<bool>,
    prompts: Vec<Element>,
}

impl Gather {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn input(mut self, v: impl Into<String>) -> Self {
        self.input = Some(v.into());
        self
    }
    pub fn action(mut self, v: impl Into<String>) -> Self {
        self.action = Some(v.into());
        self
    }
    pub fn method(mut self, v: impl Into<String>) -> Self {
        self.method = Some(v.into());
        self
    }
    pub fn timeout(mut self, seconds: u32) -> Self {
        self.timeout = Some(seconds);
        self
    }
    pub fn speech_timeout(mut self, v: impl Into<String>) -> Self {
        self.speech_timeout = Some(v.into());
        self
    }
    pub fn hints(mut self, v: impl Into<String>) -> Self {
        self.hints = Some(v.into());
        self
    }
    pub fn action_on_empty_result(mut self, v: bool) -> Self {
        self.action_on_empty_result = Some(v);
        self
    }
    pub fn language(mut self, v: impl Into<String>) -> Self {
        self.language = Some(v.into());
        self
    }
    pub fn speech_model(mut self, v: impl Into<String>) -> Self {
        self.speech_model = Some(v.into());
        self
    }
    pub fn num_digits(mut self, v: u32) -> Self {
        self.num_digits = Some(v);
        self
    }
    pub fn finish_on_key(mut self, v: impl Into<String>) -> Self {
        self.finish_on_key = Some(v.into());
        self
    }
    pub fn profanity_filter(mut self, v: bool) -> Self {
        self.profanity_filter = Some(v);
        self
    }
    pub fn say(mut self, say: Say) -> Self {
        self.prompts.push(say.into());
        self
    }
    pub fn pause(mut self, seconds: Option<u32>) -> Self {
        self.prompts
            .push(Element::new("Pause").attr_num("length", seconds));
        self
    }
}

impl From<Gather> for Element {
    fn from(g: Gather) -> Element {
        let mut el = Element::new("Gather")
            .attr_opt("input", &g.input)
            .attr_opt("action", &g.action)
            .attr_opt("method", &g.method)
            .attr_num("timeout", g.timeout)
            .attr_opt("speechTimeout", &g.speech_timeout)
            .attr_opt("hints", &g.hints)
            .attr_bool("actionOnEmptyResult", g.action_on_empty_result)
            .attr_opt("language", &g.language)
            .attr_opt("speechModel", &g.speech_model)
            .attr_num("numDigits", g.num_digits)
            .attr_opt("finishOnKey", &g.finish_on_key)
            .attr_bool("profanityFilter", g.profanity_filter);
        el.children = g.prompts;
        el
    }
}

/// `<Dial>` to one number (bare) or to `<Number>` nouns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dial {
    pub action: Option<String>,
    pub method: Option<String>,
    pub timeout: Option<u32>,
    pub caller_id: Option<String>,
    pub answer_on_bridge: Option<bool>,
    pub time_limit: Option<u32>,
    pub record: Option<String>,
    /// A bare number to dial, written as the element's text.
    pub number: Option<String>,
    pub numbers: Vec<Number>,
}

impl Dial {
    pub fn new() -> Self {
        Self::default()
    }
    /// `<Dial>+15551234567</Dial>`.
    pub fn to(number: impl Into<String>) -> Self {
        Dial {
            number: Some(number.into()),
            ..Default::default()
        }
    }
    pub fn action(mut self, v: impl Into<String>) -> Self {
        self.action = Some(v.into());
        self
    }
    pub fn method(mut self, v: impl Into<String>) -> Self {
        self.method = Some(v.into());
        self
    }
    pub fn timeout(mut self, seconds: u32) -> Self {
        self.timeout = Some(seconds);
        self
    }
    pub fn caller_id(mut self, v: impl Into<String>) -> Self {
        self.caller_id = Some(v.into());
        self
    }
    pub fn answer_on_bridge(mut self, v: bool) -> Self {
        self.answer_on_bridge = Some(v);
        self
    }
    pub fn time_limit(mut self, seconds: u32) -> Self {
        self.time_limit = Some(seconds);
        self
    }
    pub fn record(mut self, v: impl Into<String>) -> Self {
        self.record = Some(v.into());
        self
    }
    pub fn number(mut self, number: Number) -> Self {
        self.numbers.push(number);
        self
    }
}

impl From<Dial> for Element {
    fn from(d: Dial) -> Element {
        let mut el = Element::new("Dial")
            .attr_opt("action", &d.action)
            .attr_opt("method", &d.method)
            .attr_num("timeout", d.timeout)
            .attr_opt("callerId", &d.caller_id)
            .attr_bool("answerOnBridge", d.answer_on_bridge)
            .attr_num("timeLimit", d.time_limit)
            .attr_opt("record", &d.record);
        el.text = d.number;
        el.children = d.numbers.into_iter().map(Element::from).collect();
        el
    }
}

/// `<Number>` inside `<Dial>`; `url` is the whisper/screening TwiML the callee hears before
/// the call is bridged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Number {
    pub number: String,
    pub url: Option<String>,
    pub method: Option<String>,
    pub status_callback: Option<String>,
    /// Space-separated: `initiated ringing answered completed`.
    pub status_callback_event: Option<String>,
    pub status_callback_method: Option<String>,
    pub send_digits: Option<String>,
}

impl Number {
    pub fn new(number: impl Into<String>) -> Self {
        Number {
            number: number.into(),
            ..Default::default()
        }
    }
    pub fn url(mut self, v: impl Into<String>) -> Self {
        self.url = Some(v.into());
        self
    }
    pub fn method(mut self, v: impl Into<String>) -> Self {
        self.method = Some(v.into());
        self
    }
    pub fn status_callback(mut self, v: impl Into<String>) -> Self {
        self.status_callback = Some(v.into());
        self
    }
    pub fn status_callback_event(mut self, v: impl Into<String>) -> Self {
        self.status_callback_event = Some(v.into());
        self
    }
    pub fn status_callback_method(mut self, v: impl Into<String>) -> Self {
        self.status_callback_method = Some(v.into());
        self
    }
    pub fn send_digits(mut self, v: impl Into<String>) -> Self {
        self.send_digits = Some(v.into());
        self
    }
}

impl From<Number> for Element {
    fn from(n: Number) -> Element {
        Element::new("Number")
            .attr_opt("url", &n.url)
            .attr_opt("method", &n.method)
            .attr_opt("statusCallback", &n.status_callback)
            .attr_opt("statusCallbackEvent", &n.status_callback_event)
            .attr_opt("statusCallbackMethod", &n.status_callback_method)
            .attr_opt("sendDigits", &n.send_digits)
            .text(n.number)
    }
}

/// `<Connect action><ConversationRelay .../></Connect>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connect {
    pub action: Option<String>,
    pub method: Option<String>,
    pub relay: ConversationRelay,
}

impl Connect {
    pub fn relay(relay: ConversationRelay) -> Self {
        Connect {
            action: None,
            method: None,
            relay,
        }
    }
    pub fn action(mut self, v: impl Into<String>) -> Self {
        self.action = Some(v.into());
        self
    }
    pub fn method(mut self, v: impl Into<String>) -> Self {
        self.method = Some(v.into());
        self
    }
}

impl From<Connect> for Element {
    fn from(c: Connect) -> Element {
        Element::new("Connect")
            .attr_opt("action", &c.action)
            .attr_opt("method", &c.method)
            .child(c.relay.into())
    }
}

/// `<ConversationRelay>`: Twilio does speech-to-text and text-to-speech and talks to our
/// WebSocket at `url` (see [`crate::relay`]). Nested `<Parameter name value/>` elements arrive
/// as `customParameters` in the `setup` message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConversationRelay {
    pub url: String,
    pub welcome_greeting: Option<String>,
    pub welcome_greeting_interruptible: Option<String>,
    pub language: Option<String>,
    pub tts_provider: Option<String>,
    pub voice: Option<String>,
    pub transcription_provider: Option<String>,
    pub speech_model: Option<String>,
    /// `none`, `dtmf`, `speech` or `any` (older documents: `true`/`false`).
    pub interruptible: Option<String>,
    pub dtmf_detection: Option<bool>,
    pub hints: Option<String>,
    pub parameters: Vec<(String, String)>,
}

impl ConversationRelay {
    pub fn new(url: impl Into<String>) -> Self {
        ConversationRelay {
            url: url.into(),
            ..Default::default()
        }
    }
    pub fn welcome_greeting(mut self, v: impl Into<String>) -> Self {
        self.welcome_greeting = Some(v.into());
        self
    }
    pub fn welcome_greeting_interruptible(mut self, v: impl Into<String>) -> Self {
        self.welcome_greeting_interruptible = Some(v.into());
        self
    }
    pub fn language(mut self, v: impl Into<String>) -> Self {
        self.language = Some(v.into());
        self
    }
    pub fn tts_provider(mut self, v: impl Into<String>) -> Self {
        self.tts_provider = Some(v.into());
        self
    }
    pub fn voice(mut self, v: impl Into<String>) -> Self {
        self.voice = Some(v.into());
        self
    }
    pub fn transcription_provider(mut self, v: impl Into<String>) -> Self {
        self.transcription_provider = Some(v.into());
        self
    }
    pub fn speech_model(mut self, v: impl Into<String>) -> Self {
        self.speech_model = Some(v.into());
        self
    }
    pub fn interruptible(mut self, v: impl Into<String>) -> Self {
        self.interruptible = Some(v.into());
        self
    }
    pub fn dtmf_detection(mut self, v: bool) -> Self {
        self.dtmf_detection = Some(v);
        self
    }
    pub fn hints(mut self, v: impl Into<String>) -> Self {
        self.hints = Some(v.into());
        self
    }
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters.push((name.into(), value.into()));
        self
    }
}

impl From<ConversationRelay> for Element {
    fn from(r: ConversationRelay) -> Element {
        let mut el = Element::new("ConversationRelay")
            .attr("url", r.url)
            .attr_opt("welcomeGreeting", &r.welcome_greeting)
            .attr_opt(
                "welcomeGreetingInterruptible",
                &r.welcome_greeting_interruptible,
            )
            .attr_opt("language", &r.language)
            .attr_opt("ttsProvider", &r.tts_provider)
            .attr_opt("voice", &r.voice)
            .attr_opt("transcriptionProvider", &r.transcription_provider)
            .attr_opt("speechModel", &r.speech_model)
            .attr_opt("interruptible", &r.interruptible)
            .attr_bool("dtmfDetection", r.dtmf_detection)
            .attr_opt("hints", &r.hints);
        el.children = r
            .parameters
            .into_iter()
            .map(|(n, v)| Element::new("Parameter").attr("name", n).attr("value", v))
            .collect();
        el
    }
}

/// `<Message>` in a messaging response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    pub body: String,
    pub to: Option<String>,
    pub from: Option<String>,
    pub action: Option<String>,
    pub status_callback: Option<String>,
}

impl Message {
    pub fn new(body: impl Into<String>) -> Self {
        Message {
            body: body.into(),
            ..Default::default()
        }
    }
    pub fn to(mut self, v: impl Into<String>) -> Self {
        self.to = Some(v.into());
        self
    }
    pub fn from(mut self, v: impl Into<String>) -> Self {
        self.from = Some(v.into());
        self
    }
    pub fn action(mut self, v: impl Into<String>) -> Self {
        self.action = Some(v.into());
        self
    }
    pub fn status_callback(mut self, v: impl Into<String>) -> Self {
        self.status_callback = Some(v.into());
        self
    }
}

impl From<Message> for Element {
    fn from(m: Message) -> Element {
        Element::new("Message")
            .attr_opt("to", &m.to)
            .attr_opt("from", &m.from)
            .attr_opt("action", &m.action)
            .attr_opt("statusCallback", &m.status_callback)
            .text(m.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_response_is_a_self_closed_root_after_the_declaration() {
        assert_eq!(
            VoiceResponse::new().to_xml(),
            r#"<?xml version="1.0" encoding="UTF-8"?><Response />"#
        );
    }

    #[test]
    fn text_escapes_ampersands_and_angle_brackets_but_not_quotes() {
        let xml = VoiceResponse::new()
            .say(Say::new(r#"Joe's "A&B" <Auto>"#))
            .to_xml();
        assert!(
            xml.ends_with(r#"<Response><Say>Joe's "A&amp;B" &lt;Auto&gt;</Say></Response>"#),
            "{xml}"
        );
    }

    #[test]
    fn attributes_escape_quotes_and_whitespace_controls() {
        let xml = VoiceResponse::new()
            .gather(
                Gather::new()
                    .action("/g?a=1&b=\"2\"")
                    .hints("oil\nbrakes\ttires"),
            )
            .to_xml();
        assert!(
            xml.contains(
                r#"<Gather action="/g?a=1&amp;b=&quot;2&quot;" hints="oil&#10;brakes&#09;tires" />"#
            ),
            "{xml}"
        );
    }

    #[test]
    fn attributes_are_written_sorted_by_name() {
        let xml = VoiceResponse::new()
            .dial(
                Dial::to("+15551234567")
                    .timeout(20)
                    .action("/d")
                    .caller_id("+15550000000")
                    .answer_on_bridge(true),
            )
            .to_xml();
        assert!(
            xml.contains(r#"<Dial action="/d" answerOnBridge="true" callerId="+15550000000" timeout="20">+15551234567</Dial>"#),
            "{xml}"
        );
    }

    #[test]
    fn a_relay_nests_its_parameters_inside_connect() {
        let xml = VoiceResponse::new()
            .connect(
                Connect::relay(
                    ConversationRelay::new("wss://x/relay")
                        .dtmf_detection(false)
                        .parameter("shop", "joes"),
                )
                .action("/done"),
            )
            .to_xml();
        assert!(
            xml.contains(r#"<Connect action="/done"><ConversationRelay dtmfDetection="false" url="wss://x/relay"><Parameter name="shop" value="joes" /></ConversationRelay></Connect>"#),
            "{xml}"
        );
    }

    #[test]
    fn setting_an_attribute_twice_keeps_the_last_value() {
        let el = Element::new("Pause")
            .attr("length", "1")
            .attr("length", "3");
        assert_eq!(el.attrs, vec![("length", "3".to_string())]);
    }

    #[test]
    fn a_redirect_and_hangup_follow_in_order() {
        let xml = VoiceResponse::new()
            .pause(None)
            .redirect("/voice?x=1&y=2", None)
            .hangup()
            .to_xml();
        assert!(
            xml.ends_with(
                "<Response><Pause /><Redirect>/voice?x=1&amp;y=2</Redirect><Hangup /></Response>"
            ),
            "{xml}"
        );
    }
}

//! Checks this crate against Twilio's official Python helper library (`twilio` 9.x) as a live
//! peer: signatures of many random URLs and parameter sets, and TwiML documents built with
//! `twilio.twiml`. The interpreter is `$FRONTDESK_TWILIO_PYTHON`, else
//! `/work/.venv-twilio/bin/python`; set it up with
//! `python3 -m venv /work/.venv-twilio && /work/.venv-twilio/bin/pip install 'twilio==9.*'`.
//! Without it the tests print that they are skipped, unless `FRONTDESK_REQUIRE_PEERS=1`, which
//! turns the skip into a failure (for CI that installs the peer).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use frontdesk_twilio::signature::{self, Algorithm};
use frontdesk_twilio::twiml::{
    Connect, ConversationRelay, Dial, Gather, Message, MessagingResponse, Number, Say,
    VoiceResponse,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

fn python() -> Option<PathBuf> {
    let candidate = std::env::var_os("FRONTDESK_TWILIO_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/.venv-twilio/bin/python"));
    let ok = Command::new(&candidate)
        .args([
            "-c",
            "import twilio.request_validator, twilio.twiml.voice_response, multidict",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if ok {
        return Some(candidate);
    }
    let msg = format!(
        "SKIPPED: Twilio's Python helper library not found at {} (set FRONTDESK_TWILIO_PYTHON, or \
         python3 -m venv /work/.venv-twilio && /work/.venv-twilio/bin/pip install 'twilio==9.*')",
        candidate.display()
    );
    if std::env::var("FRONTDESK_REQUIRE_PEERS").as_deref() == Ok("1") {
        panic!("{msg}");
    }
    eprintln!("{msg}");
    None
}

/// Runs `script` with `input` as JSON on stdin and returns its JSON stdout.
fn run_python(python: &PathBuf, script: &str, input: &Value) -> Value {
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.to_string().as_bytes())
        .expect("write to python");
    let out = child.wait_with_output().expect("python runs");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("python prints JSON")
}

const SIGNATURE_SCRIPT: &str = r#"
import json, sys
from urllib.parse import urlparse
from multidict import MultiDict
from twilio.request_validator import RequestValidator, add_port, remove_port
cases = json.load(sys.stdin)
out = []
for c in cases:
    v = RequestValidator(c["token"])
    params = MultiDict([tuple(p) for p in c["params"]])
    parsed = urlparse(c["url"])
    r = {
        "sig": v.compute_signature(c["url"], params),
        "sig256": v.compute_signature(c["url"], params, "HMAC_SHA256"),
        "sig_with_port": v.compute_signature(add_port(parsed), params),
        "sig_without_port": v.compute_signature(remove_port(parsed), params),
        "accepts_ours": v.validate(c["url"], params, c["ours"]),
        "probes": [v.validate(p["url"], MultiDict([tuple(x) for x in p["params"]]), p["sig"]) for p in c["probes"]],
        "body_hash": v.compute_hash(c["body"]),
        "body_sig": v.compute_signature(c["body_url"], {}),
        "body_valid": v.validate(c["body_url"], c["body"], c["body_sig_ours"]),
    }
    out.append(r)
print(json.dumps(out))
"#;

const NAMES: &[&str] = &[
    "CallSid",
    "From",
    "To",
    "Body",
    "Digits",
    "SpeechResult",
    "Confidence",
    "NumMedia",
    "MediaUrl0",
    "a",
    "A",
    "aa",
    "_",
    "Ünïcode",
    "名前",
    "",
    "x y",
    "a&b",
    "k=v",
    "Sid",
    "SidAccount",
];

fn random_text(rng: &mut StdRng, max: usize) -> String {
    const PIECES: &[&str] = &[
        "a",
        "Z",
        "0",
        "9",
        " ",
        "+",
        "&",
        "=",
        "%",
        "%20",
        "'",
        "\"",
        "<",
        ">",
        "/",
        "?",
        "#",
        "é",
        "ß",
        "名",
        "🚗",
        "\u{1F600}",
        "\t",
        "\n",
        "~",
        ",",
        ";",
        ":",
        "@",
        "\u{FF21}",
        "\u{10FFFF}",
    ];
    let n = rng.random_range(0..=max);
    (0..n)
        .map(|_| PIECES[rng.random_range(0..PIECES.len())])
        .collect()
}

fn random_url(rng: &mut StdRng) -> String {
    let scheme = ["https", "http", "https", "wss"][rng.random_range(0..4)];
    let host = [
        "mycompany.com",
        "a.example.org",
        "127.0.0.1",
        "shop-42.frontdesk.app",
        "xn--bcher-kva.example",
    ][rng.random_range(0..5)];
    let userinfo = if rng.random_bool(0.1) {
        "user:pass@"
    } else {
        ""
    };
    // The Python library mangles a port after userinfo; only give a port without userinfo.
    let port = if userinfo.is_empty() {
        [None, Some(443), Some(80), Some(8080), Some(1234)][rng.random_range(0..5)]
    } else {
        None
    };
    let path_segments = rng.random_range(0..4);
    let mut path = String::new();
    for _ in 0..path_segments {
        path.push('/');
        path.push_str(
            [
                "voice",
                "sms",
                "twilio",
                "caf%C3%A9",
                "é",
                "a.php",
                "relay",
                "x%2Fy",
            ][rng.random_range(0..8)],
        );
    }
    if path.is_empty() && rng.random_bool(0.5) {
        path.push('/');
    }
    let mut url = format!("{scheme}://{userinfo}{host}");
    if let Some(p) = port {
        url.push_str(&format!(":{p}"));
    }
    url.push_str(&path);
    if rng.random_bool(0.6) {
        let pairs = rng.random_range(1..4);
        let q: Vec<String> = (0..pairs)
            .map(|_| {
                let k = ["foo", "bar", "shop", "n", "t"][rng.random_range(0..5)];
                let v = ["1", "2", "joe's", "a%20b", "a+b", "%27", "", "ü"][rng.random_range(0..8)];
                format!("{k}={v}")
            })
            .collect();
        url.push('?');
        url.push_str(&q.join("&"));
    }
    url
}

fn random_params(rng: &mut StdRng) -> Vec<(String, String)> {
    let n = rng.random_range(0..8);
    let mut params: Vec<(String, String)> = (0..n)
        .map(|_| {
            let name = NAMES[rng.random_range(0..NAMES.len())].to_string();
            let value = if rng.random_bool(0.15) {
                String::new()
            } else {
                random_text(rng, 12)
            };
            (name, value)
        })
        .collect();
    if !params.is_empty() && rng.random_bool(0.3) {
        // A repeated name with another value, and sometimes an exact repeat.
        let (name, _) = params[rng.random_range(0..params.len())].clone();
        params.push((name, random_text(rng, 5)));
        if rng.random_bool(0.5) {
            let dup = params[rng.random_range(0..params.len())].clone();
            params.push(dup);
        }
    }
    params
}

fn url_has_port(url: &str) -> bool {
    let authority = url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', '?'])
        .next()
        .unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    host.contains(':')
}

/// The pairs as signed: sorted, exact repeats once.
fn distinct(params: &[(String, String)]) -> Vec<(String, String)> {
    let mut d = params.to_vec();
    d.sort();
    d.dedup();
    d
}

/// A request that must not validate with the signature of the original one.
struct Probe {
    url: String,
    params: Vec<(String, String)>,
    sig: String,
    what: &'static str,
}

fn probes(rng: &mut StdRng, url: &str, params: &[(String, String)], sig: &str) -> Vec<Probe> {
    let mut out = Vec::new();
    // A forged signature of the right shape.
    let forged: String = {
        let mut bytes = [0u8; 20];
        rng.fill(&mut bytes);
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(bytes)
    };
    out.push(probe(url.to_string(), params.to_vec(), forged, "forged"));
    // The right signature under another token.
    out.push(probe(
        url.to_string(),
        params.to_vec(),
        signature::compute("another-token", url, params),
        "other token",
    ));
    // Replayed to another URL.
    let other_url = if url.contains('?') {
        format!("{url}&x=1")
    } else {
        format!("{url}/other")
    };
    out.push(probe(
        other_url,
        params.to_vec(),
        sig.to_string(),
        "replayed to another url",
    ));
    let d = distinct(params);
    // A parameter stripped.
    if !d.is_empty() {
        let drop = d[rng.random_range(0..d.len())].clone();
        let stripped: Vec<_> = params.iter().filter(|p| **p != drop).cloned().collect();
        // An empty name with an empty value adds nothing to the signed string: by Twilio's
        // scheme, stripping it is not a change.
        if signature::signed_string(url, &stripped) != signature::signed_string(url, params) {
            out.push(probe(
                url.to_string(),
                stripped,
                sig.to_string(),
                "stripped",
            ));
        }
    }
    // Two parameters' values exchanged, where that changes what is signed.
    if d.len() >= 2 {
        let i = rng.random_range(0..d.len());
        let j = (i + 1 + rng.random_range(0..d.len() - 1)) % d.len();
        let mut swapped = d.clone();
        let vi = swapped[i].1.clone();
        swapped[i].1 = swapped[j].1.clone();
        swapped[j].1 = vi;
        if signature::signed_string(url, &swapped) != signature::signed_string(url, &d) {
            out.push(probe(
                url.to_string(),
                swapped,
                sig.to_string(),
                "values exchanged",
            ));
        }
    }
    // A value changed by one character.
    if !d.is_empty() {
        let mut changed = params.to_vec();
        let k = rng.random_range(0..changed.len());
        changed[k].1.push('x');
        if signature::signed_string(url, &changed) != signature::signed_string(url, params) {
            out.push(probe(
                url.to_string(),
                changed,
                sig.to_string(),
                "value changed",
            ));
        }
    }
    out
}

fn probe(url: String, params: Vec<(String, String)>, sig: String, what: &'static str) -> Probe {
    Probe {
        url,
        params,
        sig,
        what,
    }
}

#[test]
fn signatures_agree_with_twilios_python_library_on_random_requests() {
    let Some(python) = python() else { return };
    let seed = std::env::var("FRONTDESK_TWILIO_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::rng().random::<u64>());
    eprintln!("seed {seed} (FRONTDESK_TWILIO_SEED to repeat)");
    let mut rng = StdRng::seed_from_u64(seed);
    let mut cases = Vec::new();
    let mut expectations = Vec::new();
    for _ in 0..600 {
        let token = [
            "12345",
            "s3cr3t",
            "0123456789abcdef0123456789abcdef",
            "tökén",
        ][rng.random_range(0..4)]
        .to_string();
        let url = random_url(&mut rng);
        let params = random_params(&mut rng);
        let ours = signature::compute(&token, &url, &params);
        let probes = probes(&mut rng, &url, &params, &ours);
        let body = random_text(&mut rng, 40);
        let sep = if url.contains('?') { '&' } else { '?' };
        let body_url = format!(
            "{url}{sep}bodySHA256={}",
            signature::body_sha256_hex(body.as_bytes())
        );
        let body_sig_ours = signature::compute(&token, &body_url, &[]);
        cases.push(json!({
            "token": token, "url": url, "params": params, "ours": ours,
            "probes": probes.iter().map(|p| json!({"url": p.url, "params": p.params, "sig": p.sig})).collect::<Vec<_>>(),
            "body": body, "body_url": body_url, "body_sig_ours": body_sig_ours,
        }));
        expectations.push((
            token,
            url,
            params,
            ours,
            probes,
            body,
            body_url,
            body_sig_ours,
        ));
    }
    let results = run_python(&python, SIGNATURE_SCRIPT, &Value::Array(cases));
    let results = results.as_array().expect("an array");
    assert_eq!(results.len(), expectations.len());
    let mut probe_count = 0;
    for (r, (token, url, params, ours, probes, body, body_url, body_sig_ours)) in
        results.iter().zip(&expectations)
    {
        let ctx = format!("url {url:?} params {params:?} token {token:?}");
        assert_eq!(
            r["sig"].as_str(),
            Some(ours.as_str()),
            "signature differs for {ctx}"
        );
        assert_eq!(
            r["sig256"].as_str().map(str::to_string),
            Some(signature::compute_with(
                Algorithm::HmacSha256,
                token,
                url,
                params
            )),
            "sha256 signature differs for {ctx}"
        );
        assert_eq!(
            r["accepts_ours"],
            json!(true),
            "python refuses our signature for {ctx}"
        );
        let theirs = r["sig_without_port"].as_str().expect("a string");
        assert!(
            signature::validate(token, url, params, theirs),
            "the portless form {theirs} refused for {ctx}"
        );
        let theirs = r["sig_with_port"].as_str().expect("a string");
        let websocket_without_port = url.starts_with("wss://") && !url_has_port(url);
        // The Python library adds :80 to any scheme but https, wss included; we add :443 to
        // wss (its default port) and refuse the :80 form there.
        assert_eq!(
            signature::validate(token, url, params, theirs),
            !websocket_without_port,
            "the with-port form {theirs} for {ctx}"
        );
        for (
            Probe {
                url: purl,
                params: pparams,
                sig: psig,
                what,
            },
            theirs,
        ) in probes.iter().zip(r["probes"].as_array().expect("probes"))
        {
            probe_count += 1;
            assert!(
                !signature::validate(token, purl, pparams, psig),
                "we accept a {what} request: {purl:?} {pparams:?} ({ctx})"
            );
            assert_eq!(
                theirs,
                &json!(false),
                "python accepts a {what} request: {purl:?} {pparams:?} ({ctx})"
            );
        }
        assert_eq!(
            r["body_hash"].as_str().map(str::to_string),
            Some(signature::body_sha256_hex(body.as_bytes())),
            "body hash differs for {body:?}"
        );
        assert_eq!(
            r["body_sig"].as_str(),
            Some(body_sig_ours.as_str()),
            "body url signature differs for {body_url:?}"
        );
        assert_eq!(
            r["body_valid"],
            json!(true),
            "python refuses our body signature for {body_url:?}"
        );
        assert!(signature::validate_json_body(
            token,
            body_url,
            body.as_bytes(),
            body_sig_ours
        ));
        let mut tampered = body.clone();
        tampered.push(' ');
        assert!(
            !signature::validate_json_body(token, body_url, tampered.as_bytes(), body_sig_ours),
            "a changed body passes for {body_url:?}"
        );
    }
    eprintln!(
        "{} requests, {probe_count} tampered requests refused by both",
        expectations.len()
    );
}

const FORM_SCRIPT: &str = r#"
import json, sys
from urllib.parse import urlencode, quote, parse_qsl
cases = json.load(sys.stdin)
out = []
for pairs in cases:
    pairs = [tuple(p) for p in pairs]
    plus = urlencode(pairs)
    pct = urlencode(pairs, quote_via=quote)
    out.append({"plus": plus, "pct": pct, "parsed": parse_qsl(plus, keep_blank_values=True)})
print(json.dumps(out))
"#;

#[test]
fn form_bodies_encoded_by_python_parse_back_to_the_same_pairs() {
    let Some(python) = python() else { return };
    let mut rng = StdRng::seed_from_u64(rand::rng().random());
    let cases: Vec<Vec<(String, String)>> = (0..300)
        .map(|_| {
            random_params(&mut rng)
                .into_iter()
                .filter(|(n, _)| !n.is_empty())
                .collect()
        })
        .collect();
    let results = run_python(&python, FORM_SCRIPT, &json!(cases));
    for (pairs, r) in cases.iter().zip(results.as_array().expect("an array")) {
        for key in ["plus", "pct"] {
            let body = r[key].as_str().expect("a body");
            let parsed = frontdesk_twilio::webhook::parse_form(body.as_bytes()).expect("parses");
            assert_eq!(&parsed, pairs, "{key} body {body:?}");
        }
        let theirs: Vec<(String, String)> =
            serde_json::from_value(r["parsed"].clone()).expect("pairs");
        assert_eq!(&theirs, pairs, "python itself round-trips");
    }
}

const TWIML_SCRIPT: &str = r#"
import json, sys
import xml.etree.ElementTree as ET
from twilio.twiml.voice_response import VoiceResponse, Gather, Dial, Connect
from twilio.twiml.messaging_response import MessagingResponse

def docs():
    d = {}
    r = VoiceResponse()
    r.say("Thanks for calling Joe's Auto & Tire <Main St>. \"Quotes\" welcome.", voice="Polly.Joanna", language="en-US")
    r.pause(length=1)
    r.hangup()
    d["say_pause_hangup"] = r

    r = VoiceResponse()
    g = r.gather(input="speech dtmf", action="/voice/gather?shop=joe's&turn=2", method="POST", speech_timeout="auto",
                 hints="oil change, brakes, alignment", action_on_empty_result=True, language="en-US",
                 speech_model="phone_call", timeout=5)
    g.say("How can I help? Say \u201coil change\u201d or press 1.", voice="Polly.Matthew")
    g.pause(length=2)
    r.redirect("/voice/incoming?retry=1&x=<y>", method="POST")
    d["gather_loop"] = r

    r = VoiceResponse()
    dial = r.dial(action="/voice/dial-result", timeout=18, caller_id="+15550001111", answer_on_bridge=True)
    dial.number("+15552223333", url="/voice/screen?call=CA1&name=Ann%20Lee", status_callback="/status/call",
                status_callback_event="initiated ringing answered completed", status_callback_method="POST")
    r.say("Sorry, nobody picked up.\nGoodbye.")
    d["dial_screened"] = r

    r = VoiceResponse()
    c = r.connect(action="/voice/relay-done")
    cr = c.conversation_relay(url="wss://frontdesk.example/relay?shop=joes", welcome_greeting="Hi! Joe's Auto here \u2014 how can I help?",
                              language="en-US", tts_provider="ElevenLabs", voice="UgBBYS2sOqTuMpoF3BR0",
                              interruptible="speech", dtmf_detection=True)
    cr.parameter(name="shop", value="joes")
    cr.parameter(name="caller", value="+1 (555) 000-1111 & co")
    d["connect_relay"] = r

    r = VoiceResponse()
    r.dial("+15553334444")
    d["dial_bare"] = r

    d["empty"] = VoiceResponse()

    m = MessagingResponse()
    m.message("Booked: Tue 9:00 AM, oil change ($49.99). Reply C to confirm & R to reschedule <3")
    d["sms_reply"] = m

    m = MessagingResponse()
    m.message("Tab\there, quote \" and apostrophe ' and emoji \U0001F697", to="+15550001111", from_="+15550002222")
    d["sms_to_from"] = m
    return d

ours = json.load(sys.stdin)
out = {}
for name, doc in docs().items():
    theirs = doc.to_xml()
    mine = ours[name]
    out[name] = {
        "theirs": theirs,
        "exact": theirs == mine,
        "canonical": ET.canonicalize(theirs.split("?>", 1)[1]) == ET.canonicalize(mine.split("?>", 1)[1]),
    }
print(json.dumps(out))
"#;

fn our_documents() -> Vec<(&'static str, String)> {
    vec![
        (
            "say_pause_hangup",
            VoiceResponse::new()
                .say(
                    Say::new("Thanks for calling Joe's Auto & Tire <Main St>. \"Quotes\" welcome.")
                        .voice("Polly.Joanna")
                        .language("en-US"),
                )
                .pause(Some(1))
                .hangup()
                .to_xml(),
        ),
        (
            "gather_loop",
            VoiceResponse::new()
                .gather(
                    Gather::new()
                        .input("speech dtmf")
                        .action("/voice/gather?shop=joe's&turn=2")
                        .method("POST")
                        .speech_timeout("auto")
                        .hints("oil change, brakes, alignment")
                        .action_on_empty_result(true)
                        .language("en-US")
                        .speech_model("phone_call")
                        .timeout(5)
                        .say(Say::new("How can I help? Say \u{201c}oil change\u{201d} or press 1.").voice("Polly.Matthew"))
                        .pause(Some(2)),
                )
                .redirect("/voice/incoming?retry=1&x=<y>", Some("POST"))
                .to_xml(),
        ),
        (
            "dial_screened",
            VoiceResponse::new()
                .dial(
                    Dial::new()
                        .action("/voice/dial-result")
                        .timeout(18)
                        .caller_id("+15550001111")
                        .answer_on_bridge(true)
                        .number(
                            Number::new("+15552223333")
                                .url("/voice/screen?call=CA1&name=Ann%20Lee")
                                .status_callback("/status/call")
                                .status_callback_event("initiated ringing answered completed")
                                .status_callback_method("POST"),
                        ),
                )
                .say(Say::new("Sorry, nobody picked up.\nGoodbye."))
                .to_xml(),
        ),
        (
            "connect_relay",
            VoiceResponse::new()
                .connect(
                    Connect::relay(
                        ConversationRelay::new("wss://frontdesk.example/relay?shop=joes")
                            .welcome_greeting("Hi! Joe's Auto here \u{2014} how can I help?")
                            .language("en-US")
                            .tts_provider("ElevenLabs")
                            .voice("UgBBYS2sOqTuMpoF3BR0")
                            .interruptible("speech")
                            .dtmf_detection(true)
                            .parameter("shop", "joes")
                            .parameter("caller", "+1 (555) 000-1111 & co"),
                    )
                    .action("/voice/relay-done"),
                )
                .to_xml(),
        ),
        ("dial_bare", VoiceResponse::new().dial(Dial::to("+15553334444")).to_xml()),
        ("empty", VoiceResponse::new().to_xml()),
        (
            "sms_reply",
            MessagingResponse::new()
                .message(Message::new(
                    "Booked: Tue 9:00 AM, oil change ($49.99). Reply C to confirm & R to reschedule <3",
                ))
                .to_xml(),
        ),
        (
            "sms_to_from",
            MessagingResponse::new()
                .message(
                    Message::new("Tab\there, quote \" and apostrophe ' and emoji \u{1F697}")
                        .to("+15550001111")
                        .from("+15550002222"),
                )
                .to_xml(),
        ),
    ]
}

#[test]
fn twiml_documents_match_twilios_python_library_byte_for_byte() {
    let Some(python) = python() else { return };
    let ours = our_documents();
    let input: serde_json::Map<String, Value> = ours
        .iter()
        .map(|(n, x)| (n.to_string(), json!(x)))
        .collect();
    let results = run_python(&python, TWIML_SCRIPT, &Value::Object(input));
    for (name, xml) in &ours {
        let r = &results[*name];
        assert_eq!(
            r["canonical"],
            json!(true),
            "{name}: ours\n{xml}\ntheirs\n{}",
            r["theirs"]
        );
        assert_eq!(
            r["theirs"].as_str(),
            Some(xml.as_str()),
            "{name} differs byte for byte"
        );
    }
    assert_eq!(
        results.as_object().map(|o| o.len()),
        Some(ours.len()),
        "python built another set of documents"
    );
}

mod common;

const REST_SCRIPT: &str = r#"
import json, sys
from twilio.rest import Client
c = json.load(sys.stdin)
client = Client(c["sid"], c["token"])
client.api.base_url = c["base"]
m = client.messages.create(to=c["to"], from_=c["from"], body=c["body"], status_callback=c["status_callback"])
call = client.calls(c["call_sid"]).update(twiml=c["twiml"])
print(json.dumps({"message_sid": m.sid, "call_sid": call.sid}))
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_requests_match_what_twilios_python_library_sends() {
    let Some(python) = python() else { return };
    use frontdesk_twilio::rest::{Client, MessageRequest};
    use frontdesk_twilio::webhook::parse_form;
    let responses = vec![
        (201, r#"{"sid":"SM1","status":"queued"}"#.to_string()),
        (200, r#"{"sid":"CA1","status":"in-progress"}"#.to_string()),
    ];
    let theirs = common::start(responses.clone()).await;
    let ours = common::start(responses).await;
    let sid = "AC0123456789abcdef0123456789abcdef";
    let token = "tok-&-en";
    let message = MessageRequest {
        to: "+15550001111".into(),
        from: "+15550002222".into(),
        body: "Hi Ann — your Civic is ready. Total $312.40 (parts & labor). Reply STOP to opt out."
            .into(),
        status_callback: Some("https://frontdesk.example/twilio/status?id=42&kind=sms".into()),
    };
    let twiml = VoiceResponse::new()
        .say(Say::new("Connecting you to the shop & a human."))
        .dial(Dial::to("+15553334444"))
        .to_xml();
    let input = json!({
        "sid": sid, "token": token, "base": theirs.base, "to": message.to, "from": message.from,
        "body": message.body, "status_callback": message.status_callback, "call_sid": "CA1", "twiml": twiml,
    });
    let out = tokio::task::spawn_blocking(move || run_python(&python, REST_SCRIPT, &input))
        .await
        .expect("python task");
    assert_eq!(out["message_sid"], "SM1");
    let client = Client::new(sid, token).with_base(&ours.base);
    client.send_message(message).await.expect("sent");
    client.update_call("CA1", &twiml).await.expect("updated");
    let theirs = theirs.requests.lock().unwrap().clone();
    let ours = ours.requests.lock().unwrap().clone();
    assert_eq!(theirs.len(), 2, "python made two requests");
    assert_eq!(ours.len(), 2);
    for (t, o) in theirs.iter().zip(&ours) {
        assert_eq!(t.method, o.method);
        assert_eq!(t.path, o.path);
        assert_eq!(t.header("authorization"), o.header("authorization"));
        assert_eq!(t.header("content-type"), o.header("content-type"));
        let mut tf = parse_form(&t.body).expect("their form");
        let mut of = parse_form(&o.body).expect("our form");
        tf.sort();
        of.sort();
        assert_eq!(tf, of, "form of {}", t.path);
    }
}

const LIST_SCRIPT: &str = r#"
import json, sys
from twilio.rest import Client
c = json.load(sys.stdin)
client = Client(c["sid"], c["token"])
client.api.base_url = c["base"]
ms = client.messages.list(to=c["to"], from_=c["from"], page_size=c["page_size"], limit=c["page_size"])
print(json.dumps({"sids": [m.sid for m in ms], "bodies": [m.body for m in ms]}))
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_messages_lookup_asks_what_twilios_python_library_asks_and_reads_its_answer() {
    let Some(python) = python() else { return };
    use frontdesk_twilio::rest::Client;
    let page = json!({
        "messages": [{"sid": "SM2", "body": "Your car is ready & waiting", "status": "delivered",
            "date_created": "Thu, 03 Dec 2026 08:10:00 +0000", "to": "+15550001111",
            "from": "+15550002222"}],
        "page": 0, "page_size": 50, "next_page_uri": null,
        "uri": "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json?PageSize=50&Page=0"
    })
    .to_string();
    let theirs = common::start(vec![(200, page.clone())]).await;
    let ours = common::start(vec![(200, page)]).await;
    let sid = "AC0123456789abcdef0123456789abcdef";
    let input = json!({"sid": sid, "token": "tok", "base": theirs.base, "to": "+15550001111",
        "from": "+15550002222", "page_size": 50});
    let out = tokio::task::spawn_blocking(move || run_python(&python, LIST_SCRIPT, &input))
        .await
        .expect("python task");
    assert_eq!(out["sids"], json!(["SM2"]));
    let records = Client::new(sid, "tok")
        .with_base(&ours.base)
        .list_messages("+15550001111", "+15550002222", 50)
        .await
        .expect("listed");
    assert_eq!(records[0].sid, "SM2");
    assert_eq!(records[0].body, out["bodies"][0].as_str().unwrap());
    let theirs = theirs.requests.lock().unwrap().clone();
    let ours = ours.requests.lock().unwrap().clone();
    let query = |r: &common::Recorded| {
        let (path, q) = r.path.split_once('?').unwrap_or((&r.path, ""));
        let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(q.as_bytes())
            .into_owned()
            .collect();
        pairs.sort();
        (r.method.clone(), path.to_string(), pairs)
    };
    assert_eq!(query(&theirs[0]), query(&ours[0]));
    assert_eq!(
        theirs[0].header("authorization"),
        ours[0].header("authorization")
    );
}

//! Email delivery over SMTP with lettre: one configured transport from an `SMTP_URL`, and a send
//! of a plain-text + HTML alternative message whose failures are sorted into retryable (SMTP 4xx,
//! refused connections, timeouts) and permanent (SMTP 5xx, bad addresses).

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::NotifyError;

/// How long one SMTP command may take before the attempt counts as a (retryable) timeout.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// A configured SMTP sender. Cheap to clone; connections are opened per message.
#[derive(Clone, Debug)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// A mailer for `smtp_url`, in lettre's URL syntax: `smtp://127.0.0.1:8025` (plain, for
    /// local sinks), `smtps://user:pass@host:465` (implicit TLS) or
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS). `from` is a mailbox such as
    /// `Frontdesk <frontdesk@example.com>`.
    pub fn from_url(smtp_url: &str, from: &str) -> Result<Mailer, NotifyError> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| NotifyError::Permanent(format!("invalid sender address {from:?}: {e}")))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| {
                NotifyError::Permanent(format!("invalid smtp url {:?}: {e}", redact(smtp_url)))
            })?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Mailer { transport, from })
    }

    /// Sends one message with a plain-text and an HTML alternative to `to`.
    pub async fn send(
        &self,
        to: &str,
        subject: &str,
        text: &str,
        html: &str,
    ) -> Result<(), NotifyError> {
        let recipient: Mailbox = to
            .parse()
            .map_err(|e| NotifyError::Permanent(format!("invalid recipient {to:?}: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(recipient)
            .subject(one_line(subject))
            // Relays and spam filters expect a Message-ID; ours names the sender's domain.
            .message_id(Some(format!(
                "<{}@{}>",
                uuid::Uuid::now_v7(),
                self.from.email.domain()
            )))
            .multipart(MultiPart::alternative_plain_html(
                text.to_owned(),
                html.to_owned(),
            ))
            .map_err(|e| NotifyError::Permanent(format!("cannot build email to {to:?}: {e}")))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| classify(to, &e))
    }
}

fn classify(to: &str, e: &lettre::transport::smtp::Error) -> NotifyError {
    let message = format!("email to {to:?} failed: {e}");
    if e.is_permanent() || e.is_client() {
        NotifyError::Permanent(message)
    } else {
        // Transient (4xx) replies, refused or dropped connections, timeouts, TLS handshakes.
        NotifyError::Retryable(message)
    }
}

/// Subjects are one line; a caller's words must not start a new header.
fn one_line(s: &str) -> String {
    s.split(['\r', '\n'])
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The URL without its password, for error messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_passwords_never_appear_in_errors() {
        assert_eq!(
            redact("smtps://me:hunter2@mail.example.com:465"),
            "smtps://me:***@mail.example.com:465"
        );
        assert_eq!(redact("smtp://127.0.0.1:8025"), "smtp://127.0.0.1:8025");
        let err = Mailer::from_url("smtps://me:hunter2@", "a@b.c").unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }

    #[test]
    fn a_subject_with_a_newline_stays_one_line() {
        assert_eq!(one_line("Booked\r\nBcc: x@y.z"), "Booked Bcc: x@y.z");
    }

    #[test]
    fn a_bad_sender_address_is_a_permanent_error() {
        let err = Mailer::from_url("smtp://127.0.0.1:25", "not an address").unwrap_err();
        assert!(matches!(err, NotifyError::Permanent(_)), "{err}");
    }
}

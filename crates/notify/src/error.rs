//! The one error type of delivery, split by what the job queue should do next: try again later
//! (the server was busy, down or slow) or give up and show the failure to the operator (the
//! address is wrong, the server refused the message, the configuration is broken).

/// Why a notification was not delivered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifyError {
    /// Worth retrying with backoff: SMTP 4xx, refused connections, timeouts, HTTP 408, 429 and
    /// 5xx.
    #[error("retryable: {0}")]
    Retryable(String),
    /// Retrying will not help: SMTP 5xx, other HTTP 4xx, invalid addresses or URLs.
    #[error("permanent: {0}")]
    Permanent(String),
}

impl NotifyError {
    /// Whether the job queue should schedule another attempt.
    pub fn is_retryable(&self) -> bool {
        matches!(self, NotifyError::Retryable(_))
    }
}

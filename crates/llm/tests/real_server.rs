//! Against a real OpenAI-compatible server when one is configured (`LLM_BASE_URL`, `LLM_MODEL`,
//! optionally `LLM_API_KEY`): a plain booking request must come back as a booking for the
//! brake service, and an off-menu question must not be answered from outside the FAQs. It is
//! ignored by default; run it with `cargo test -p frontdesk-llm --test real_server -- --ignored`
//! once the variables name a server (it fails when they do not).

use std::time::Duration;

use frontdesk_llm::{Llm, LlmConfig, ProfileView};
use frontdesk_nlu::Intent;
use jiff::civil::date;

#[tokio::test]
#[ignore = "needs a real server: set LLM_BASE_URL and LLM_MODEL, then pass --ignored"]
async fn a_configured_server_reads_a_plain_booking_and_stays_within_the_faqs() {
    let config = LlmConfig::from_env().expect("LLM_BASE_URL and LLM_MODEL name the server to ask");
    let llm = Llm::new(config);
    let view = ProfileView {
        business: "Main Street Auto".into(),
        services: vec![
            ("brakes".into(), "Brake service".into()),
            ("oil".into(), "Oil change".into()),
        ],
        faqs: vec![(
            "warranty".into(),
            "Do you offer a warranty?".into(),
            "Yes: 24 months or 24,000 miles on parts and labor.".into(),
        )],
    };
    let now = date(2026, 11, 23).at(18, 55, 0, 0);
    let deadline = Duration::from_secs(30);
    let u = llm
        .understand(
            "hi, this is Sam, my brakes are squealing, can I bring my 2014 Honda Civic in tomorrow morning?",
            None,
            now,
            &[],
            &view,
            deadline,
        )
        .await
        .expect("an understanding");
    assert!(u.intents.contains(&Intent::Book), "{u:?}");
    assert!(u.services.contains(&"brakes".to_string()), "{u:?}");
    let answer = llm
        .answer("do you sell used tires?", &view, deadline)
        .await
        .expect("an answer or none");
    assert_eq!(answer, None);
}

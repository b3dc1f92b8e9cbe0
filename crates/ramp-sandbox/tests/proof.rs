//! The sandbox's Proof as published in December 2026, through `ramp-proof`: the KYC status of
//! a user, and a transaction followed live over the WebSocket as the sandbox advances it (as
//! its webhooks do), to the end.

use std::time::Duration;

use futures_util::StreamExt;
use ramp_proof::{
    Client, Decimal, ErrorKind, KycStatus, OrderStatus, SecretString, SessionRequest, UpdateSource,
    Url,
};
use ramp_sandbox::{Sandbox, Trigger, credentials as c};

fn client(sandbox: &Sandbox, token: &str) -> Client {
    Client::builder(
        Url::parse(&sandbox.proof_url()).unwrap(),
        SecretString::from(token),
    )
    .origin(c::PROOF_ORIGIN)
    .build()
    .unwrap()
}

async fn session(client: &Client, user: &str) -> String {
    let request = SessionRequest::builder()
        .partner_user_id(user)
        .user_email("user@example.com")
        .network("TRC20")
        .currency("USDT")
        .amount(Decimal::from(100))
        .build()
        .unwrap();
    client
        .create_session(&request)
        .await
        .unwrap()
        .merchant_transaction_id
}

#[tokio::test]
async fn a_transaction_is_followed_live_to_the_end_and_kyc_follows_the_user() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox, c::PROOF_CLIENT_TOKEN);
    let unknown = client.kyc_status("user-1").await.unwrap_err();
    assert!(
        matches!(unknown.kind(), ErrorKind::UnknownUser { .. }),
        "{unknown}"
    );

    let id = session(&client, "user-1").await;
    assert_eq!(
        client.kyc_status("user-1").await.unwrap().status,
        KycStatus::NotStarted
    );

    let endpoint = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(200))
        .mount(&endpoint)
        .await;
    let mut updates = Box::pin(client.watch(&id));
    let first = updates.next().await.unwrap().unwrap();
    assert_eq!(first.status, OrderStatus::Pending);
    assert_eq!(first.source, UpdateSource::StatusRead);
    for _ in 0..2 {
        let trigger = Trigger::ProofWebhook {
            merchant_transaction_id: id.clone(),
        };
        sandbox.trigger(trigger, &endpoint.uri()).await.unwrap();
    }
    let rest: Vec<_> = tokio::time::timeout(Duration::from_secs(10), updates.collect::<Vec<_>>())
        .await
        .unwrap();
    let rest: Vec<_> = rest
        .into_iter()
        .map(|update| {
            let update = update.unwrap();
            (update.status, update.source)
        })
        .collect();
    assert_eq!(
        rest,
        [
            (OrderStatus::Processing, UpdateSource::WebSocket),
            (OrderStatus::Completed, UpdateSource::WebSocket),
        ]
    );
    assert_eq!(
        client.kyc_status("user-1").await.unwrap().status,
        KycStatus::Verified
    );

    session(&client, "kyc-failed-2").await;
    assert_eq!(
        client.kyc_status("kyc-failed-2").await.unwrap().status,
        KycStatus::Failed
    );
}

#[tokio::test]
async fn a_wrong_token_or_an_unknown_transaction_ends_the_watch_with_proofs_error() {
    let sandbox = Sandbox::start().await.unwrap();
    let good = client(&sandbox, c::PROOF_CLIENT_TOKEN);
    let id = session(&good, "user-1").await;
    let wrong: Vec<_> = client(&sandbox, "wrong-token").watch(&id).collect().await;
    assert_eq!(wrong.len(), 1);
    let err = wrong[0].as_ref().unwrap_err();
    assert_eq!(err.api_kind(), Some(ramp_proof::ApiErrorKind::InvalidToken));
    let unknown: Vec<_> = good.watch("no-such-tx").collect().await;
    assert_eq!(unknown.len(), 1);
    assert_eq!(
        unknown[0].as_ref().unwrap_err().api_kind(),
        Some(ramp_proof::ApiErrorKind::NotFound)
    );
}

//! The inputs every benchmark uses, the same for the SDK path and its baseline.

use std::str::FromStr;

use ramp_core::SecretString;
use ramp_kryptonim::Decimal;

/// Kryptonim's API key.
pub const KRYPTONIM_API_KEY: &str = "kry_bench_key_4f9a0c1d2e3b";
/// Kryptonim's signature secret.
pub const KRYPTONIM_SECRET: &str = "your_signature_secret";
/// Proof's client token.
pub const PROOF_TOKEN: &str = "proof_bench_client_token";
/// The Origin sent to Proof.
pub const PROOF_ORIGIN: &str = "https://app.example.com";
/// Onramper's URL-signing secret.
pub const ONRAMPER_SECRET: &str = "onramper_signing_secret";
/// Koinal's merchant code.
pub const KOINAL_MERCHANT: u64 = 1000;
/// Koinal's merchant secret.
pub const KOINAL_SECRET: &str = "11qq22ww";
/// Transak's partner access token, the webhook key.
pub const TRANSAK_TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.partner-access-token.sig";

/// The `User-Agent` the bare Kryptonim client sends: the SDK's product token, so both send
/// the same bytes (the version may lag the crate's; the tests compare the product only).
pub const KRYPTONIM_USER_AGENT: &str = "ramp-kryptonim/0.1.0";
/// The `User-Agent` the bare Proof client sends.
pub const PROOF_USER_AGENT: &str = "ramp-proof/0.1.0";

/// The wallet every request sends to (EIP-55).
pub const ADDRESS: &str = "0x977BC1915dA4f7edA9D2e49BC08356db37478538";

/// A secret from a constant.
pub fn secret(text: &str) -> SecretString {
    SecretString::from(text)
}

/// The fiat amount of the Kryptonim request: one that a double prints the same way
/// JavaScript does, so the plain-serde baseline writes the same bytes.
pub const KRYPTONIM_AMOUNT: &str = "150.25";

/// A typical Kryptonim widget session: the seed's five fields plus email, payment method, one
/// metadata entry, both redirect URLs and the user's IP.
pub fn kryptonim_request() -> ramp_kryptonim::WidgetSessionRequest {
    let amount = Decimal::from_str(KRYPTONIM_AMOUNT).unwrap_or_default();
    let built = ramp_kryptonim::WidgetSessionRequest::builder()
        .fiat_amount(amount)
        .fiat_currency("EUR")
        .crypto_currency("USDC")
        .network("polygon")
        .destination_address(ADDRESS)
        .email("user@example.com")
        .payment_method(ramp_kryptonim::PaymentMethod::Card)
        .metadata("orderId", "12345")
        .success_url(url("https://yoursite.com/success"))
        .failure_url(url("https://yoursite.com/failure"))
        .ip_address(std::net::IpAddr::from([192, 0, 2, 1]))
        .build();
    match built {
        Ok(request) => request,
        Err(err) => unreachable_input("the Kryptonim request", &err),
    }
}

/// A typical Proof session request.
pub fn proof_request() -> ramp_proof::SessionRequest {
    let built = ramp_proof::SessionRequest::builder()
        .partner_user_id("user-123")
        .user_email("user@example.com")
        .network("TRC20")
        .currency("USDT")
        .amount(Decimal::from(100))
        .transaction_type(ramp_proof::TransactionType::Buy)
        .client_ip(std::net::IpAddr::from([203, 0, 113, 42]))
        .build();
    match built {
        Ok(request) => request,
        Err(err) => unreachable_input("the Proof request", &err),
    }
}

/// The seed's widget URL (three signed parameters, two others).
pub const ONRAMPER_URL: &str = "https://buy.onramper.com/?apiKey=pk_prod_01GQS0CRGNRTTGV3A0S3A0AEW4&country=nl&wallets=btc:1Lbcfr7sAHTD9CgdQo3HTMTkV8LK4ZnX71,eth:1Lbcfr7sAUTEFCgdQo3HTMTkV8LK4ZnX71&networkWallets=bitcoin:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2,ethereum:1BvBMSEYstWetqTFn5wrwrhGFryetusJaNVN2&walletAddressTags=btc:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2,eth:1BvBMSEYstWetqTFn5wrwrhGFryetusJaNVN2";

/// A widget URL with `pairs` `id:value` pairs in `wallets`, in a scrambled order (so the sort
/// has work to do), for the growth benchmarks. 100 000 pairs stay under the 2 MiB limit.
pub fn onramper_url_with(pairs: usize) -> String {
    let mut url = String::with_capacity(64 + pairs * 20);
    url.push_str("https://buy.onramper.com/?apiKey=pk_test_x&country=nl&wallets=");
    for i in 0..pairs {
        // A bijection of 0..pairs when `pairs` is not a multiple of 7919 (a prime).
        let id = (i * 7919) % pairs.max(1);
        if i > 0 {
            url.push(',');
        }
        url.push_str(&format!(
            "t{id}:0x{:08x}",
            id.wrapping_mul(2_654_435_761) as u32
        ));
    }
    url
}

/// Koinal's customer reference and timestamp.
pub const KOINAL_CUSTOMER: &str = "User1";
/// The timestamp of the Koinal hash (Unix seconds).
pub const KOINAL_TIMESTAMP: &str = "1700000000";

/// A Transak webhook body as Transak sends it: `{"data": "<HS256 JWT>"}` over an order
/// update, signed with [`TRANSAK_TOKEN`].
pub fn transak_webhook() -> Vec<u8> {
    let payload = serde_json::json!({
        "eventID": "ORDER_COMPLETED",
        "webhookData": {
            "id": "4bd1e6f2-5a1b-4b6e-9a3c-8f2d1c0b7e6a",
            "status": "COMPLETED",
            "isBuyOrSell": "BUY",
            "fiatCurrency": "EUR",
            "cryptoCurrency": "USDC",
            "fiatAmount": 150.25,
            "cryptoAmount": 148.731205,
            "network": "polygon",
            "walletAddress": ADDRESS,
            "partnerOrderId": "order-12345",
            "partnerCustomerId": "user-123",
            "createdAt": "2026-11-30T10:15:00.000Z"
        }
    });
    ramp_transak::webhook::test_util::signed_webhook(&payload, &secret(TRANSAK_TOKEN)).body
}

/// A URL from a constant known to be valid.
pub fn url(text: &str) -> url::Url {
    match url::Url::parse(text) {
        Ok(url) => url,
        Err(err) => unreachable_input(text, &err),
    }
}

/// The inputs are constants that are known to be valid; a failure is a bug in this file.
#[allow(clippy::panic)]
fn unreachable_input(what: &str, err: &dyn std::fmt::Display) -> ! {
    panic!("{what} is not a valid benchmark input: {err}")
}

//! The benchmarks' hand-written baselines, and the inputs they share with the SDK paths they
//! are measured against (`cargo xtask bench`, `benches/ramp.rs`).
//!
//! A baseline is what a user would write by hand for the same job, with the same crates the
//! SDK is built on: plain serde derives, `hmac` + `sha2` + `hex`, `base64`,
//! `percent-encoding`, a bare `reqwest::Client`. Each one must produce exactly what the SDK
//! produces for the benchmark's input (the same body bytes, signature, URL or decoded
//! values); the tests in this crate hold them to it, so a ratio always compares the same work.
//!
//! Unpublished. Nothing here is timed by `cargo xtask test`: the tests check outputs only.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod faults;
pub mod http;
pub mod inputs;
pub mod koinal;
pub mod kryptonim;
pub mod load;
pub mod onramper;
pub mod processes;
pub mod report;
pub mod transak;
pub mod webhooks;

/// `hex(HMAC-SHA256(key, message))` with the RustCrypto crates directly.
pub fn hmac_hex(key: &[u8], message: &[u8]) -> String {
    hex::encode(hmac_tag(key, message))
}

/// The raw HMAC-SHA256 tag of `message` under `key`.
pub fn hmac_tag(key: &[u8], message: &[u8]) -> [u8; 32] {
    use hmac::{KeyInit, Mac};
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| <hmac::Hmac<sha2::Sha256> as KeyInit>::new(&Default::default()));
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Whether `tag` is the HMAC-SHA256 of `message` under `key` (constant time).
pub fn hmac_verify(key: &[u8], message: &[u8], tag: &[u8]) -> bool {
    use hmac::{KeyInit, Mac};
    let Ok(mut mac) = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key) else {
        return false;
    };
    mac.update(message);
    mac.verify_slice(tag).is_ok()
}

#![no_main]
//! `ramp_conformance::properties::transak_webhook` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ramp_conformance::properties::transak_webhook(data));

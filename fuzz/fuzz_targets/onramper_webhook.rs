#![no_main]
//! `ramp_conformance::properties::onramper_webhook` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ramp_conformance::properties::onramper_webhook(data));

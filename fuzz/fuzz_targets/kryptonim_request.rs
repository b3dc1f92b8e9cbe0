#![no_main]
//! `ramp_conformance::properties::kryptonim_request` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ramp_conformance::properties::kryptonim_request(data));

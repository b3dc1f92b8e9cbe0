#![no_main]
//! `ramp_conformance::properties::core_base64` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ramp_conformance::properties::core_base64(data));

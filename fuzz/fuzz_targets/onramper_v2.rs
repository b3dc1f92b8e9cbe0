#![no_main]
//! `ramp_conformance::properties::onramper_v2` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ramp_conformance::properties::onramper_v2(data));

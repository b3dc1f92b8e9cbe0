#![no_main]
//! `ramp_conformance::properties::core_decimal` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ramp_conformance::properties::core_decimal(data));

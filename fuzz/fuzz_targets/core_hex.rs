#![no_main]
//! `ramp_conformance::properties::core_hex` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ramp_conformance::properties::core_hex(data));

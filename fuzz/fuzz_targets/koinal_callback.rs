#![no_main]
//! `ramp_conformance::properties::koinal_callback` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ramp_conformance::properties::koinal_callback(data));

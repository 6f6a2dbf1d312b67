//! Any bytes as a model file: a typed error or a model, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = plantag::model::ModelFile::from_bytes(std::path::Path::new("fuzz.model"), data);
    // Also behind a valid-looking header, so the body parser is reached.
    let mut framed = format!("plantag-model 1 {:08x} {}\n", crc32(data), data.len()).into_bytes();
    framed.extend_from_slice(data);
    let _ = plantag::model::ModelFile::from_bytes(std::path::Path::new("fuzz.model"), &framed);
});

fn crc32(data: &[u8]) -> u32 {
    // The same CRC-32 (IEEE) the model header uses.
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

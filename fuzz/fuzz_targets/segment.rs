//! Any bytes through decoding, cleaning and segmentation: no panic, and
//! every task's offsets stay on character boundaries inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = plantag::input::decode_document("fuzz.txt", data) {
        let seg = plantag::segment::segment(&doc.name, &doc.text);
        for t in &seg.tasks {
            assert!(t.start <= t.end && t.end <= doc.text.len());
            assert!(doc.text.is_char_boundary(t.start) && doc.text.is_char_boundary(t.end));
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = plantag::segment::segment("fuzz.txt", text);
    }
});

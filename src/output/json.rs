//! JSON records written byte for byte as serde_json would write them,
//! without building a value first.

use std::io;

use super::Record;

/// Writes a record as one JSON object, byte for byte what serde_json makes
/// of [`Record`] (a test holds the two together), without serde's
/// flattened-map machinery: tagging a folder writes hundreds of MB of this.
/// It pays its way: with `serde_json::to_writer` instead, tagging the five
/// shipped plans to JSONL on one core took 28.23 M instructions a pass
/// against 26.78 M (callgrind, start-up subtracted): 5.1% end to end.
pub fn write_record_json(out: &mut Vec<u8>, r: &Record<'_>) -> io::Result<()> {
    let t = r.task;
    out.extend_from_slice(b"{\"doc\":");
    write_json_str(out, &t.doc);
    out.extend_from_slice(b",\"id\":");
    write_json_str(out, &t.id);
    out.extend_from_slice(b",\"kind\":\"");
    out.extend_from_slice(t.kind.as_str().as_bytes());
    out.extend_from_slice(b"\",\"path\":");
    write_json_strs(out, &t.path);
    out.extend_from_slice(b",\"title\":");
    write_json_str(out, &t.title);
    out.extend_from_slice(b",\"text\":");
    write_json_str(out, &t.text);
    for (name, n) in [
        (&b",\"start\":"[..], t.start),
        (b",\"end\":", t.end),
        (b",\"line_start\":", t.line_start),
        (b",\"line_end\":", t.line_end),
    ] {
        out.extend_from_slice(name);
        write_uint(out, n);
    }
    if let Some(p) = r.prediction {
        out.extend_from_slice(b",\"label\":");
        write_json_str(out, &p.label);
        out.extend_from_slice(b",\"label_name\":");
        write_json_str(out, &p.label_name);
        out.extend_from_slice(b",\"confidence\":");
        serde_json::to_writer(&mut *out, &p.confidence)?;
        out.extend_from_slice(b",\"top\":[");
        for (i, c) in p.top.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"label\":");
            write_json_str(out, &c.label);
            out.extend_from_slice(b",\"p\":");
            serde_json::to_writer(&mut *out, &c.p)?;
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"low_confidence\":");
        out.extend_from_slice(if p.low_confidence { b"true" } else { b"false" });
        out.extend_from_slice(b",\"secondary\":");
        write_json_strs(out, &p.secondary);
        if let Some(explain) = &p.explain {
            out.extend_from_slice(b",\"explain\":");
            serde_json::to_writer(&mut *out, explain)?;
        }
    }
    if let Some(title) = r.doc_title {
        out.extend_from_slice(b",\"doc_title\":");
        write_json_str(out, title);
    }
    out.push(b'}');
    Ok(())
}

/// A JSON array of strings.
fn write_json_strs(out: &mut Vec<u8>, items: &[String]) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_json_str(out, item);
    }
    out.push(b']');
}

pub(super) fn write_uint(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// A JSON string with serde_json's escapes. Plan text almost never needs
/// one, so the text is copied in runs between the bytes that do (quotes,
/// backslashes, control characters), found sixteen at a time.
pub fn write_json_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run = 0;
    while let Some(i) = crate::bytes::find(bytes, run, 0x20, [b'"', b'\\']) {
        out.extend_from_slice(&bytes[run..i]);
        match bytes[i] {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            b => {
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(b >> 4) as usize]);
                out.push(HEX[(b & 0xf) as usize]);
            }
        }
        run = i + 1;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

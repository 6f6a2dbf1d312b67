//! Input stage: bytes as users have them (UTF-8, GB18030/GBK, Big5, UTF-16,
//! HTML, .docx) become one UTF-8 text per document. Nothing here knows about
//! outlines; it only decides what the text is and refuses what is not text.
//!
//! Here the document as a whole: which format the bytes are, and the checks
//! on the text that comes out; [`encoding`] decodes plain text, [`textual`]
//! refuses binary data posing as text, [`html`] turns a page into text
//! (and [`crate::docx`] a Word file).

mod encoding;
mod html;
mod textual;

use crate::error::{Error, Result};
pub use crate::io::{
    expand_sources, read_bytes, write_atomic, Source, MAX_INPUT_BYTES, STDIN_NAME,
    SUPPORTED_EXTENSIONS,
};

pub use html::html_to_text;

use encoding::decode_text;
use html::looks_like_html;

/// A decoded document: its name (the path as given) and its text.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as the user gave it, or `-` for standard input.
    pub name: String,
    /// Decoded text, always UTF-8. Task offsets index into this string.
    pub text: String,
    /// Which decoding was applied, for diagnostics.
    pub encoding: &'static str,
    /// What the reader should know about the decoding (bytes replaced in a
    /// damaged file); shown with the document's other warnings.
    pub warnings: Vec<String>,
}

/// Longest line accepted in decoded text: no plan has a paragraph of a
/// megabyte; such a line is a dump, not prose.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Reads and decodes one source.
pub fn read_source(source: &Source) -> Result<Document> {
    let bytes = read_bytes(source)?;
    decode_document(&source.name(), &bytes)
}

/// Decodes raw bytes into a document, choosing the format from the bytes
/// themselves (and the file extension for HTML).
pub fn decode_document(name: &str, bytes: &[u8]) -> Result<Document> {
    if bytes.is_empty() {
        return Err(Error::input(name, "empty file"));
    }
    if let Some(kind) = binary_signature(bytes) {
        return match kind {
            BinaryKind::Zip => crate::docx::docx_text(name, bytes).map(|text| Document {
                name: name.to_string(),
                text,
                encoding: "docx",
                warnings: Vec::new(),
            }),
            BinaryKind::Pdf => Err(Error::input(
                name,
                "is a PDF; extract its text first (for example with pdftotext)",
            )),
            BinaryKind::Other(what) => Err(Error::input(name, format!("not text ({what})"))),
        };
    }
    let (text, encoding, damage) = decode_text(name, bytes)?;
    let is_html = name.to_ascii_lowercase().ends_with(".html")
        || name.to_ascii_lowercase().ends_with(".htm")
        || looks_like_html(&text);
    let text = if is_html { html_to_text(&text) } else { text };
    if text.trim().is_empty() {
        return Err(Error::input(name, "contains no text (only whitespace)"));
    }
    // No line is longer than the whole text: most files need no scan.
    if let Some((n, line)) = (text.len() > MAX_LINE_BYTES)
        .then(|| text.split('\n'))
        .into_iter()
        .flatten()
        .enumerate()
        .find(|(_, l)| l.len() > MAX_LINE_BYTES)
    {
        return Err(Error::input(
            name,
            format!(
                "line {} is {:.1} MB long (the limit is {} MB): not plan text",
                n + 1,
                line.len() as f64 / (1 << 20) as f64,
                MAX_LINE_BYTES >> 20
            ),
        ));
    }
    Ok(Document {
        name: name.to_string(),
        text,
        encoding,
        warnings: damage.into_iter().collect(),
    })
}

enum BinaryKind {
    Zip,
    Pdf,
    Other(&'static str),
}

fn binary_signature(bytes: &[u8]) -> Option<BinaryKind> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "an old Office file (.doc/.xls); save it as .docx",
        ),
        (b"\x1F\x8B", "gzip data"),
        (b"7z\xBC\xAF\x27\x1C", "a 7z archive"),
        (b"Rar!", "a RAR archive"),
        (b"\x7FELF", "an executable"),
    ];
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Some(BinaryKind::Zip);
    }
    if bytes.starts_with(b"%PDF") {
        return Some(BinaryKind::Pdf);
    }
    SIGNATURES
        .iter()
        .find(|(sig, _)| bytes.starts_with(sig))
        .map(|(_, what)| BinaryKind::Other(what))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;
    #[test]
    fn refuses_png_empty_and_whitespace() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let e = decode_document("x.png", png).unwrap_err().to_string();
        assert!(e.contains("x.png") && e.contains("PNG"), "{e}");
        assert!(decode_document("e.txt", b"")
            .unwrap_err()
            .to_string()
            .contains("empty"));
        let e = decode_document("w.txt", b"  \n\t \r\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("whitespace"), "{e}");
    }

    #[test]
    fn zip_that_is_not_docx_is_refused() {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            w.start_file("a.txt", zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(b"hello").unwrap();
            w.finish().unwrap();
        }
        let e = decode_document("a.zip", buf.get_ref())
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a Word .docx"), "{e}");
    }
}

//! HTML pages as plan text: whether a text is a page, and the page's text
//! without scripts, styles and navigation, one line per block.

pub(super) fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    // Every sign looked for below holds a `<` within 256 characters
    // (at most 1024 bytes): plain text has none there.
    if !start.as_bytes()[..start.len().min(1024)].contains(&b'<') {
        return false;
    }
    let head: String = start
        .chars()
        .take(256)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<body")
}

/// HTML elements whose content is never plan text.
const SKIPPED_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "head", "iframe", "select", "button",
    "form", "svg", "template", "aside",
];

/// HTML elements that end a line.
const BLOCK_ELEMENTS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "td",
    "th",
    "hr",
    "main",
    "center",
];

/// Turns an HTML page into plain text: scripts, styles and navigation dropped,
/// block elements become line breaks, entities decoded by the HTML parser.
pub fn html_to_text(html: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let mut out = String::with_capacity(html.len() / 2);
    let mut stack = vec![(document.tree.root(), false)];
    // Iterative walk: deeply nested pages must not overflow the stack.
    while let Some((node, closing)) = stack.pop() {
        if closing {
            if let Some(el) = node.value().as_element() {
                if BLOCK_ELEMENTS.contains(&el.name()) && !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            continue;
        }
        match node.value() {
            scraper::Node::Text(t) => {
                let collapsed = t.split_whitespace().collect::<Vec<_>>().join(" ");
                if !collapsed.is_empty() {
                    out.push_str(&collapsed);
                }
            }
            scraper::Node::Element(el) => {
                if SKIPPED_ELEMENTS.contains(&el.name()) {
                    continue;
                }
                if BLOCK_ELEMENTS.contains(&el.name()) && !out.ends_with('\n') && !out.is_empty() {
                    out.push('\n');
                }
                stack.push((node, true));
                let children: Vec<_> = node.children().collect();
                for child in children.into_iter().rev() {
                    stack.push((child, false));
                }
            }
            _ => {
                let children: Vec<_> = node.children().collect();
                for child in children.into_iter().rev() {
                    stack.push((child, false));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn html_drops_scripts_and_keeps_blocks() {
        let html = "<html><head><title>t</title><script>var a=1;</script></head><body><nav>首页 &gt; 政务公开</nav><p>一、总体要求</p><div>（一）加强&nbsp;党建<br>第二行</div><style>p{}</style></body></html>";
        let text = html_to_text(html);
        assert!(!text.contains("var a"));
        assert!(!text.contains("首页"));
        assert!(text.contains("一、总体要求\n"));
        assert!(text.contains("（一）加强 党建\n第二行"));
    }
}

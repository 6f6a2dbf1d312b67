//! The outline tree: paragraphs with markers become nested items.

use super::markers::{chapter_heading, parse_marker, split_title, Marker, Style};

/// A stretch of clean text inside one paragraph.
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    pub(super) para: usize,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// A node of the outline tree.
#[derive(Debug, Default)]
pub(super) struct Node {
    pub(super) style: Option<Style>,
    pub(super) key: String,
    pub(super) title: String,
    /// Where the heading itself is (for nodes whose body is empty).
    pub(super) head: Option<Span>,
    pub(super) body: Vec<Span>,
    pub(super) children: Vec<usize>,
}

/// Builds the outline tree with a stack: a marker closes every open item of
/// its rank or lower ([`Style::rank`]) and opens an item under what is left.
pub(super) struct TreeBuilder {
    pub(super) nodes: Vec<Node>,
    pub(super) stack: Vec<usize>,
    /// Key of the last item of each decimal depth (`1.2`), to accept only
    /// numbers that continue the outline.
    last_decimal: [Option<String>; 4],
    /// Number of the last `1.`-style item, for bare numbers.
    last_arabic: Option<u32>,
    /// After a speech's closing address (同志们…) the node that takes all
    /// remaining text.
    pub(super) closing: Option<usize>,
}

impl TreeBuilder {
    /// Room for `paragraphs` items: each adds at most one node.
    pub(super) fn with_capacity(paragraphs: usize) -> Self {
        let mut nodes = Vec::with_capacity(paragraphs + 2);
        nodes.push(Node::default());
        TreeBuilder {
            nodes,
            stack: vec![0],
            last_decimal: Default::default(),
            last_arabic: None,
            closing: None,
        }
    }

    /// Adds a paragraph; `next` is the paragraph after it, which decides
    /// whether a bare `1在…` opens a list (`2…` must follow).
    pub(super) fn add(&mut self, para: usize, text: &str, next: Option<&str>) {
        let marker = if self.closing.is_some() {
            None
        } else {
            parse_marker(text, true)
                .filter(|m| self.continues_decimal(m))
                .filter(|m| !m.bare || self.bare_fits(m, next))
        };
        if let Some(m) = marker.as_ref().filter(|m| m.style == Style::Arabic) {
            self.last_arabic = m.key.parse().ok();
        }
        let Some(marker) = marker else {
            let whole = Span {
                para,
                start: 0,
                end: text.len(),
            };
            if self.stack.len() > 1 && text.starts_with("同志们") {
                // A speech's closing words belong to no task.
                self.stack.truncate(1);
                let id = self.new_node(0, None, "结语".to_string(), String::new(), None);
                self.closing = Some(id);
            }
            let top = self
                .closing
                .unwrap_or_else(|| *self.stack.last().unwrap_or(&0));
            self.nodes[top].body.push(whole);
            return;
        };
        // Close every open item of this rank or lower; 一是 closes only
        // its own kind.
        let open_level = if marker.style == Style::Shi {
            self.stack
                .iter()
                .position(|&n| self.nodes[n].style == Some(Style::Shi))
        } else {
            let rank = marker.style.rank();
            self.stack.iter().position(|&n| {
                self.nodes[n]
                    .style
                    .is_some_and(|s| s != Style::Shi && s.rank() >= rank)
            })
        };
        match open_level {
            Some(level) => self.stack.truncate(level),
            None if marker.style == Style::Shi => {
                // 一是 only opens a level under an item that has no body yet;
                // otherwise it is running text of that item.
                let top = *self.stack.last().unwrap_or(&0);
                if top != 0 && !self.nodes[top].body.is_empty() && marker.key != "一是" {
                    self.nodes[top].body.push(Span {
                        para,
                        start: 0,
                        end: text.len(),
                    });
                    return;
                }
            }
            None => {}
        }
        let parent = *self.stack.last().unwrap_or(&0);
        let rest = &text[marker.len..];
        let (title_end, body_start) = match split_title(rest) {
            (0, 0) if matches!(marker.style, Style::CnTop | Style::Chapter | Style::Section) => {
                chapter_heading(rest).unwrap_or((0, 0))
            }
            found => found,
        };
        let title = rest[..title_end].to_string();
        let head = Span {
            para,
            start: marker.len,
            end: text.len(),
        };
        let id = self.new_node(parent, Some(marker.style), marker.key, title, Some(head));
        if marker.len + body_start < text.len() {
            self.nodes[id].body.push(Span {
                para,
                start: marker.len + body_start,
                end: text.len(),
            });
        }
        self.stack.push(id);
    }

    /// Whether a bare number continues the list before it, or opens one
    /// that the next paragraph continues with 2.
    fn bare_fits(&self, marker: &Marker, next: Option<&str>) -> bool {
        let Ok(value) = marker.key.parse::<u32>() else {
            return false;
        };
        if self.last_arabic.is_some_and(|last| value == last + 1) {
            return true;
        }
        value == 1
            && next
                .and_then(|n| parse_marker(n, false))
                .is_some_and(|m| m.style == Style::Arabic && m.key == "2")
    }

    /// Whether a decimal marker (`1.2`) continues the outline: its last part
    /// is 1, or one more than the last item of its depth with the same
    /// prefix. A quantity such as `18.5` at a line start fails. Other
    /// markers always pass.
    fn continues_decimal(&mut self, marker: &Marker) -> bool {
        let Style::Decimal(parts) = marker.style else {
            return true;
        };
        let depth = usize::from(parts.clamp(1, 4)) - 1;
        let split = |key: &str| -> (String, Option<u32>) {
            match key.rsplit_once('.') {
                Some((p, l)) => (p.to_string(), l.parse().ok()),
                None => (String::new(), key.parse().ok()),
            }
        };
        let (prefix, last) = split(&marker.key);
        let Some(last) = last else {
            return false;
        };
        let fits = last == 1
            || self.last_decimal[depth].as_deref().is_some_and(|prev| {
                let (prev_prefix, prev_last) = split(prev);
                prev_prefix == prefix && prev_last == Some(last - 1)
            });
        if fits {
            self.last_decimal[depth] = Some(marker.key.clone());
        }
        fits
    }

    fn new_node(
        &mut self,
        parent: usize,
        style: Option<Style>,
        key: String,
        title: String,
        head: Option<Span>,
    ) -> usize {
        let id = self.nodes.len();
        self.nodes.push(Node {
            style,
            key,
            title,
            head,
            body: Vec::new(),
            children: Vec::new(),
        });
        self.nodes[parent].children.push(id);
        id
    }
}

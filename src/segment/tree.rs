//! The outline tree: paragraphs with markers become nested items.

use super::markers::{parse_marker, split_title, Style};

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

/// Builds the outline tree with a stack: a marker style already open on the
/// stack closes everything below it; a new style opens a deeper level.
pub(super) struct TreeBuilder {
    pub(super) nodes: Vec<Node>,
    pub(super) stack: Vec<usize>,
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
            closing: None,
        }
    }

    pub(super) fn add(&mut self, para: usize, text: &str) {
        let marker = if self.closing.is_some() {
            None
        } else {
            parse_marker(text, true)
        };
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
        // Close to the level of this style, or open a new level.
        let open_level = self
            .stack
            .iter()
            .position(|&n| self.nodes[n].style == Some(marker.style));
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
        let (title_end, body_start) = split_title(rest);
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

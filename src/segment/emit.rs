//! Leaves of the outline tree become tasks with ids, paths, kinds and
//! source spans.

use super::enumeration::{enumeration_items, intro_spans, items_to_spans};
use super::kinds::chapter_kind;
use super::markers::{split_title, Style};
use super::tree::{Node, Span};
use super::{Kind, Task};
use crate::clean::{self, Paragraph};

/// Turns tree nodes into tasks.
pub(super) struct Emitter<'a> {
    pub(super) doc: &'a str,
    /// The decoded text, to keep offsets on character boundaries.
    pub(super) source: &'a str,
    pub(super) paras: &'a [Paragraph],
}

impl Emitter<'_> {
    /// Cleaning changes byte lengths (folded digits, removed spaces), so a
    /// mapped offset may land inside a character: move it back to its start.
    fn char_boundary(&self, offset: usize) -> usize {
        let mut o = offset.min(self.source.len());
        while !self.source.is_char_boundary(o) {
            o -= 1;
        }
        o
    }

    /// The clean text of spans, one line each, empty ones left out.
    fn text_of(&self, spans: &[Span]) -> String {
        // Room for every span untrimmed and its line break: enough, and
        // known without trimming twice.
        let mut text = String::with_capacity(spans.iter().map(|s| s.end - s.start + 1).sum());
        for s in spans {
            let part = self.paras[s.para].text[s.start..s.end].trim_matches(clean::is_space);
            if part.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(part);
        }
        text
    }

    pub(super) fn task(
        &self,
        id: &str,
        kind: Kind,
        path: &[String],
        title: &str,
        spans: &[Span],
    ) -> Task {
        self.task_from(id, kind, path, title, spans, None)
    }

    /// Like `task`, but the source span starts at `head` (the item's marker)
    /// when given, so that it covers the heading as well as the body.
    fn task_from(
        &self,
        id: &str,
        kind: Kind,
        path: &[String],
        title: &str,
        spans: &[Span],
        head: Option<Span>,
    ) -> Task {
        let text = self.text_of(spans);
        let first = head.unwrap_or(spans[0]);
        let last = spans[spans.len() - 1];
        let (fp, lp) = (&self.paras[first.para], &self.paras[last.para]);
        Task {
            doc: self.doc.to_string(),
            id: id.to_string(),
            kind,
            path: path.to_vec(),
            title: title.to_string(),
            text: if text.is_empty() {
                title.to_string()
            } else {
                text
            },
            start: self.char_boundary(fp.source_offset(first.start)),
            end: self.char_boundary(
                lp.source_offset(last.end)
                    .max(fp.source_offset(first.start)),
            ),
            line_start: fp.line_of(first.start),
            line_end: lp.line_of(last.end.saturating_sub(1)),
        }
    }

    /// Depth-first walk without recursion (outlines may be 10 000 deep).
    pub(super) fn walk(&self, nodes: &[Node], is_summary: bool, tasks: &mut Vec<Task>) {
        struct Frame {
            node: usize,
            id: String,
            /// Shared by all children of a node.
            path: std::rc::Rc<[String]>,
            kind: Kind,
            /// Paragraphs after the first are not the item's (see below).
            tail_apart: bool,
        }
        let mut stack = vec![Frame {
            node: 0,
            id: String::new(),
            path: std::rc::Rc::new([]),
            kind: Kind::Task,
            tail_apart: false,
        }];
        while let Some(frame) = stack.pop() {
            let node = &nodes[frame.node];
            let join = |key: &str| {
                if frame.id.is_empty() {
                    key.to_string()
                } else {
                    [frame.id.as_str(), "/", key].concat()
                }
            };
            if node.children.is_empty() && frame.node != 0 {
                if frame.tail_apart {
                    self.leaf_with_tail(node, &frame.id, frame.kind, &frame.path, tasks);
                } else {
                    self.leaf(node, &frame.id, frame.kind, &frame.path, tasks);
                }
                continue;
            }
            let mut child_path = frame.path.to_vec();
            if frame.node != 0 {
                child_path.push(display_title(node));
            }
            let child_path: std::rc::Rc<[String]> = child_path.into();
            if !node.body.is_empty() {
                // Text before the first heading is the plan's preamble; a
                // chapter's introduction is of the chapter's kind.
                let kind = if frame.node == 0 {
                    Kind::Preamble
                } else {
                    frame.kind
                };
                // Its span starts at the heading, so that the heading's
                // words belong to a task.
                let head = node.head.map(|h| Span { start: 0, ..h });
                tasks.push(self.task_from(&join("引言"), kind, &child_path, "", &node.body, head));
            }
            // Numbering mistakes (two （三） under one chapter) must not
            // merge tasks: a repeated key gets `-2`, `-3`, ….
            // Few children: counted by a scan; many: by a map.
            const SCANNED: usize = 8;
            let mut seen: rustc_hash::FxHashMap<&str, usize> = Default::default();
            if node.children.len() > SCANNED {
                seen.reserve(node.children.len());
            }
            // A list of one-paragraph items whose last item runs on for
            // more paragraphs: those are closing text of the list (a
            // summary, the next list's lead-in), not part of the item.
            let count = node.children.len();
            let leaves = |c: &[usize]| c.iter().all(|&k| nodes[k].children.is_empty());
            // (Not for `一是` items: a speech's last point often runs on.)
            let last_tail_apart = count >= 2
                && leaves(&node.children)
                && nodes[node.children[0]].style != Some(Style::Shi)
                && node.children[..count - 1]
                    .iter()
                    .all(|&k| nodes[k].body.len() <= 1)
                && nodes[node.children[count - 1]].body.len() >= 2;
            let mut frames = Vec::with_capacity(node.children.len());
            for (n, &child) in node.children.iter().enumerate() {
                let c = &nodes[child];
                let dup = if node.children.len() <= SCANNED {
                    1 + node.children[..n]
                        .iter()
                        .filter(|&&o| nodes[o].key == c.key)
                        .count()
                } else {
                    let dup = seen.entry(c.key.as_str()).or_default();
                    *dup += 1;
                    *dup
                };
                let key = if dup > 1 {
                    format!("{}-{}", c.key, dup)
                } else {
                    c.key.clone()
                };
                let kind = if frame.node == 0 {
                    chapter_kind(&c.title, &c.key, is_summary)
                } else {
                    frame.kind
                };
                frames.push(Frame {
                    node: child,
                    id: join(&key),
                    path: std::rc::Rc::clone(&child_path),
                    kind,
                    tail_apart: last_tail_apart && n + 1 == count,
                });
            }
            stack.extend(frames.into_iter().rev());
        }
    }

    /// Emits the last item of a list as its first paragraph, and each
    /// paragraph after it as a task of the list's own (`一/¶2`).
    fn leaf_with_tail(
        &self,
        node: &Node,
        id: &str,
        kind: Kind,
        path: &[String],
        tasks: &mut Vec<Task>,
    ) {
        let head = node.head.map(|h| Span { start: 0, ..h });
        tasks.push(self.task_from(id, kind, path, &node.title, &node.body[..1], head));
        let parent = id.rsplit_once('/').map_or("", |(p, _)| p);
        for (k, span) in node.body[1..].iter().enumerate() {
            let tail_id = if parent.is_empty() {
                format!("¶{}", k + 2)
            } else {
                format!("{parent}/¶{}", k + 2)
            };
            tasks.push(self.task(&tail_id, kind, path, "", std::slice::from_ref(span)));
        }
    }

    /// Emits a leaf, splitting an in-paragraph `一是…二是…` enumeration into
    /// one task per item.
    fn leaf(&self, node: &Node, id: &str, kind: Kind, path: &[String], tasks: &mut Vec<Task>) {
        let spans: Vec<Span> = if node.body.is_empty() {
            node.head.into_iter().collect()
        } else {
            node.body.clone()
        };
        let items = enumeration_items(&spans, self.paras);
        if items.len() < 2 {
            let head = node.head.map(|h| Span { start: 0, ..h });
            tasks.push(self.task_from(id, kind, path, &node.title, &spans, head));
            return;
        }
        let mut inner_path = path.to_vec();
        inner_path.push(display_title(node));
        let first_item_start = items[0].1;
        if first_item_start.para != spans[0].para || first_item_start.start > spans[0].start {
            let intro: Vec<Span> = intro_spans(&spans, first_item_start);
            if !self.text_of(&intro).is_empty() {
                tasks.push(self.task(&format!("{id}/引言"), kind, &inner_path, "", &intro));
            }
        }
        for (key, item_spans) in items_to_spans(&spans, &items) {
            // The task's own text is cut down in place (an item of a long
            // plan may be megabytes; no second copy is made).
            let mut task = self.task(
                &[id, "/", &key].concat(),
                kind,
                &inner_path,
                "",
                &item_spans,
            );
            let mut text = std::mem::take(&mut task.text);
            let rest_start = if text.starts_with(key.as_str()) {
                key.len()
            } else {
                0
            };
            let rest = &text[rest_start..];
            let (title_end, _) = split_title(rest);
            let title = if title_end < rest.len() {
                rest[..title_end].to_string()
            } else {
                String::new()
            };
            text.drain(..rest_start + (rest.len() - rest.trim_start().len()));
            if let Some(body) = text
                .strip_prefix(title.as_str())
                .filter(|_| !title.is_empty())
            {
                let body = body.trim_start_matches(['。', '：', ':', '！']).trim();
                if !body.is_empty() {
                    // `body` is a slice of `text`: keep just that range.
                    let start = body.as_ptr() as usize - text.as_ptr() as usize;
                    text.truncate(start + body.len());
                    text.drain(..start);
                }
            }
            task.title = title;
            task.text = text;
            tasks.push(task);
        }
    }
}

pub(super) fn display_title(node: &Node) -> String {
    if node.title.is_empty() {
        node.key.clone()
    } else {
        node.title.clone()
    }
}

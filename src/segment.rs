//! Segmentation stage: clean paragraphs become a tree of outline items whose
//! leaves are the plan's tasks. Outline levels are not fixed: whichever marker
//! style (一、 / （一） / 1. / （1） / ① / 一是 …) appears first under a
//! parent is the next level down, so any combination and depth works.

use serde::{Deserialize, Serialize};

use crate::clean::{self, Paragraph};

/// What a leaf of the outline is, so the tagger can treat parts differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A task of the plan.
    Task,
    /// Framing text: general requirements before the first heading, a
    /// chapter's introduction, a closing paragraph.
    Preamble,
    /// The cover letter (印发通知) that wraps the plan.
    Notice,
    /// Looking back at past work (工作总结, last year's review).
    Review,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Task => "task",
            Kind::Preamble => "preamble",
            Kind::Notice => "notice",
            Kind::Review => "review",
        }
    }
}

/// One leaf of the outline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Document name (the path as given).
    pub doc: String,
    /// Stable id: the outline path, e.g. `五/（十四）` or `七/（三）/61`.
    pub id: String,
    pub kind: Kind,
    /// Titles of the ancestors, outermost first.
    pub path: Vec<String>,
    /// The task's own heading (a run-in heading or heading line); may be empty.
    pub title: String,
    /// Clean text of the task body (the title alone when there is no body).
    pub text: String,
    /// Byte offsets of the task in the decoded text.
    pub start: usize,
    pub end: usize,
    /// Line span (1-based, inclusive) in the decoded text.
    pub line_start: usize,
    pub line_end: usize,
}

/// A segmented document.
#[derive(Debug, Clone)]
pub struct Segmented {
    pub doc: String,
    /// The plan's title, when one was found.
    pub title: Option<String>,
    pub tasks: Vec<Task>,
    /// Things the user should know (e.g. no outline numbering found).
    pub warnings: Vec<String>,
}

/// Marker styles of Chinese official documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Chapter,
    CnTop,
    ParenCn,
    Arabic,
    ParenArabic,
    Circled,
    Shi,
}

/// A recognised outline marker at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Marker {
    style: Style,
    /// Normalised label used in ids: `一`, `（一）`, `61`, `（1）`, `①`, `一是`.
    key: String,
    /// Byte length of the marker (and the spaces after it) in the paragraph.
    len: usize,
}

fn cn_numeral_len(s: &str) -> usize {
    s.char_indices()
        .take_while(|(_, c)| clean::is_cn_numeral(*c))
        .take(6)
        .last()
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0)
}

fn digits_len(s: &str) -> usize {
    s.char_indices()
        .take_while(|(_, c)| c.is_ascii_digit())
        .take(5)
        .last()
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0)
}

fn skip_spaces(s: &str) -> usize {
    s.len() - s.trim_start_matches(clean::is_space).len()
}

/// Whether a marker may start with this character: every branch of
/// [`parse_marker`] needs one of these first, so most paragraphs are
/// turned away by their first character.
fn may_open_marker(c: char) -> bool {
    c == '第'
        || c == '('
        || c == '（'
        || c.is_ascii_digit()
        || ('\u{2460}'..='\u{2473}').contains(&c)
        || clean::is_cn_numeral(c)
}

/// Recognises an outline marker at the start of a (clean) paragraph.
/// `allow_shi` enables the paragraph-initial `一是…` enumeration marker.
fn parse_marker(text: &str, allow_shi: bool) -> Option<Marker> {
    if !text.chars().next().is_some_and(may_open_marker) {
        return None;
    }
    let marker = |style, key: String, len: usize| {
        let len = len + skip_spaces(&text[len..]);
        Some(Marker { style, key, len })
    };
    // 第一章 / 第一节 / 第一部分 / 第一篇
    if let Some(rest) = text.strip_prefix('第') {
        let n = cn_numeral_len(rest).max(digits_len(rest));
        if n > 0 {
            for unit in ["章", "节", "部分", "篇"] {
                if rest[n..].starts_with(unit) {
                    let len = '第'.len_utf8() + n + unit.len();
                    return marker(Style::Chapter, text[..len].to_string(), len);
                }
            }
        }
    }
    // 一、 / 一．
    let n = cn_numeral_len(text);
    if n > 0 {
        let rest = &text[n..];
        for sep in ['、', '．'] {
            if rest.starts_with(sep) {
                return marker(Style::CnTop, text[..n].to_string(), n + sep.len_utf8());
            }
        }
        if allow_shi && rest.starts_with('是') && n <= 6 {
            let len = n + '是'.len_utf8();
            return marker(Style::Shi, text[..len].to_string(), len);
        }
    }
    // （一） / (一) / （1） / (1), either paren width
    if let Some(open) = text.chars().next().filter(|c| *c == '(' || *c == '（') {
        let rest = &text[open.len_utf8()..];
        let (n, style) = match (cn_numeral_len(rest), digits_len(rest)) {
            (n, _) if n > 0 => (n, Style::ParenCn),
            (_, d) if d > 0 => (d, Style::ParenArabic),
            _ => return None,
        };
        let close = rest[n..].chars().next()?;
        if close == ')' || close == '）' {
            let len = open.len_utf8() + n + close.len_utf8();
            return marker(style, ["（", &rest[..n], "）"].concat(), len);
        }
        return None;
    }
    // 1. / 1、 / 1．  (not a decimal such as 1.5)
    let d = digits_len(text);
    if d > 0 && d <= 5 {
        let rest = &text[d..];
        let sep = rest.chars().next()?;
        if matches!(sep, '.' | '、' | '．') {
            let after = rest[sep.len_utf8()..].chars().next();
            if !matches!(after, Some(c) if c.is_ascii_digit()) {
                return marker(Style::Arabic, text[..d].to_string(), d + sep.len_utf8());
            }
        }
        return None;
    }
    // ① … ⑳
    let c = text.chars().next()?;
    if ('\u{2460}'..='\u{2473}').contains(&c) {
        return marker(Style::Circled, c.to_string(), c.len_utf8());
    }
    None
}

/// Longest run-in heading, in characters: `（一）全面落实党建责任。贯彻…`.
const MAX_TITLE_CHARS: usize = 32;
/// A heading line with no closing punctuation is at most this long.
const MAX_HEADING_LINE_CHARS: usize = 60;

/// Splits the text after a marker into (title, body start). A run-in heading
/// ends at the first 。/：/: when it is short and has no comma (a first
/// sentence with commas is a sentence, not a heading).
fn split_title(rest: &str) -> (usize, usize) {
    if let Some((i, len)) = title_end(rest) {
        let title = &rest[..i];
        let chars = title.chars().count();
        if chars == 0 || chars > MAX_TITLE_CHARS || has_clause_break(title) {
            return (0, 0);
        }
        let body = i + len;
        return (i, body + skip_spaces(&rest[body..]));
    }
    whole_heading_line(rest)
}

/// [`split_title`] when no run-in heading ends: the whole text is the
/// title if it is short and has no clause break.
fn whole_heading_line(rest: &str) -> (usize, usize) {
    // (A character is at most four bytes: longer text is no heading line.)
    if rest.len() <= MAX_HEADING_LINE_CHARS * 4
        && rest.chars().count() <= MAX_HEADING_LINE_CHARS
        && !has_clause_break(rest)
    {
        (rest.len(), rest.len())
    } else {
        (0, 0)
    }
}

/// Where a run-in heading may end: the first 。/：/:/！ and its byte
/// length, if no character before it starts more than `MAX_TITLE_CHARS * 4`
/// bytes in (a character is at most four bytes: past that no heading is
/// short enough). Found by byte search: this runs on every outline item.
fn title_end(rest: &str) -> Option<(usize, usize)> {
    const REACH: usize = MAX_TITLE_CHARS * 4;
    let bytes = rest.as_bytes();
    // A terminator further in than this has a character starting past
    // `REACH` before it.
    let window = &bytes[..bytes.len().min(REACH + 5)];
    for i in memchr::memchr3_iter(b':', 0xE3, 0xEF, window) {
        let len = match (bytes[i], bytes.get(i + 1..i + 3)) {
            (b':', _) => 1,
            (0xE3, Some([0x80, 0x82])) | (0xEF, Some([0xBC, 0x9A | 0x81])) => 3,
            _ => continue,
        };
        let previous = rest[..i].char_indices().next_back().map_or(0, |(j, _)| j);
        return (previous <= REACH).then_some((i, len));
    }
    None
}

/// A comma or semicolon outside quotation marks: a heading has none, a
/// sentence usually does (`落实“城乡统筹,幸福株洲”行动` is still a heading).
fn has_clause_break(s: &str) -> bool {
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '“' | '《' => quoted = true,
            '”' | '》' => quoted = false,
            '"' => quoted = !quoted,
            '，' | ',' | '；' | ';' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// A stretch of clean text inside one paragraph.
#[derive(Debug, Clone, Copy)]
struct Span {
    para: usize,
    start: usize,
    end: usize,
}

/// A node of the outline tree.
#[derive(Debug, Default)]
struct Node {
    style: Option<Style>,
    key: String,
    title: String,
    /// Where the heading itself is (for nodes whose body is empty).
    head: Option<Span>,
    body: Vec<Span>,
    children: Vec<usize>,
}

/// Segments a decoded document into tasks.
pub fn segment(doc: &str, text: &str) -> Segmented {
    let lines = clean::lines(text);
    let front = find_front_matter(&lines);
    let paras = clean::paragraphs(
        &lines,
        |l| {
            l.chars()
                .next()
                .map(clean::fold_width)
                .is_some_and(may_open_marker)
                && parse_marker(&fold_start(l), true).is_some()
        },
        |i| Some(i) == front.title_line || front.dropped.contains(&i),
    );
    // Map line indices of the front matter to paragraphs.
    let para_of_line = |line_idx: usize| {
        let number = lines[line_idx].number;
        paras
            .iter()
            .position(|p| p.pieces.iter().any(|pc| pc.line == number))
    };
    let title_para = front.title_line.and_then(para_of_line);
    let dropped: Vec<usize> = front
        .dropped
        .iter()
        .filter_map(|&i| para_of_line(i))
        .collect();
    let notice_end = front.notice_end_line.and_then(|end| {
        paras
            .iter()
            .position(|p| p.pieces[0].line > lines[end].number)
    });

    let title = title_para.map(|i| paras[i].text.clone());
    let is_summary = title
        .as_deref()
        .map(|t| t.contains("总结"))
        .unwrap_or(false);

    let mut builder = TreeBuilder::with_capacity(paras.len());
    let mut notice = Vec::new();
    for (i, para) in paras.iter().enumerate() {
        if Some(i) == title_para || dropped.contains(&i) {
            continue;
        }
        if notice_end.map(|end| i < end).unwrap_or(false) {
            notice.push(Span {
                para: i,
                start: 0,
                end: para.text.len(),
            });
            continue;
        }
        builder.add(i, &para.text);
    }

    let mut out = Segmented {
        doc: doc.to_string(),
        title,
        tasks: Vec::new(),
        warnings: Vec::new(),
    };
    let emit = Emitter {
        doc,
        source: text,
        paras: &paras,
    };
    if !notice.is_empty() {
        out.tasks
            .push(emit.task("通知", Kind::Notice, &[], "", &notice));
    }
    let nodes = builder.nodes;
    if nodes[0].children.is_empty() {
        // No outline numbering at all: every paragraph is a task.
        if !nodes[0].body.is_empty() {
            out.warnings
                .push("no outline numbering found; each paragraph is taken as a task".to_string());
        }
        for (n, span) in nodes[0].body.iter().enumerate() {
            let id = format!("¶{}", n + 1);
            out.tasks
                .push(emit.task(&id, Kind::Task, &[], "", std::slice::from_ref(span)));
        }
        return out;
    }
    emit.walk(&nodes, is_summary, &mut out.tasks);
    out
}

/// Folds full-width digits at the start of a raw line so markers match:
/// the first twelve characters, cleaned. Most lines need no cleaning and
/// are borrowed as they are.
fn fold_start(line: &str) -> std::borrow::Cow<'_, str> {
    let end = line
        .char_indices()
        .nth(12)
        .map(|(i, _)| i)
        .unwrap_or(line.len());
    let head = &line[..end];
    if head
        .chars()
        .all(|c| !clean::is_space(c) && clean::fold_width(c) == c)
    {
        return head.into();
    }
    let mut s = String::with_capacity(16);
    clean::clean_line(head, &mut s);
    s.into()
}

/// Builds the outline tree with a stack: a marker style already open on the
/// stack closes everything below it; a new style opens a deeper level.
struct TreeBuilder {
    nodes: Vec<Node>,
    stack: Vec<usize>,
    /// After a speech's closing address (同志们…) the node that takes all
    /// remaining text.
    closing: Option<usize>,
}

impl TreeBuilder {
    /// Room for `paragraphs` items: each adds at most one node.
    fn with_capacity(paragraphs: usize) -> Self {
        let mut nodes = Vec::with_capacity(paragraphs + 2);
        nodes.push(Node::default());
        TreeBuilder {
            nodes,
            stack: vec![0],
            closing: None,
        }
    }

    fn add(&mut self, para: usize, text: &str) {
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

/// Turns tree nodes into tasks.
struct Emitter<'a> {
    doc: &'a str,
    /// The decoded text, to keep offsets on character boundaries.
    source: &'a str,
    paras: &'a [Paragraph],
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

    fn task(&self, id: &str, kind: Kind, path: &[String], title: &str, spans: &[Span]) -> Task {
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
    fn walk(&self, nodes: &[Node], is_summary: bool, tasks: &mut Vec<Task>) {
        struct Frame {
            node: usize,
            id: String,
            /// Shared by all children of a node.
            path: std::rc::Rc<[String]>,
            kind: Kind,
        }
        let mut stack = vec![Frame {
            node: 0,
            id: String::new(),
            path: std::rc::Rc::new([]),
            kind: Kind::Task,
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
                self.leaf(node, &frame.id, frame.kind, &frame.path, tasks);
                continue;
            }
            let mut child_path = frame.path.to_vec();
            if frame.node != 0 {
                child_path.push(display_title(node));
            }
            let child_path: std::rc::Rc<[String]> = child_path.into();
            if !node.body.is_empty() {
                // A chapter's introduction frames it, unless the chapter
                // looks back (then it is part of the review).
                let kind = if frame.kind == Kind::Review {
                    Kind::Review
                } else {
                    Kind::Preamble
                };
                tasks.push(self.task(&join("引言"), kind, &child_path, "", &node.body));
            }
            // Numbering mistakes (two （三） under one chapter) must not
            // merge tasks: a repeated key gets `-2`, `-3`, ….
            // Few children: counted by a scan; many: by a map.
            const SCANNED: usize = 8;
            let mut seen: rustc_hash::FxHashMap<&str, usize> = Default::default();
            if node.children.len() > SCANNED {
                seen.reserve(node.children.len());
            }
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
                });
            }
            stack.extend(frames.into_iter().rev());
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
                tasks.push(self.task(
                    &format!("{id}/引言"),
                    Kind::Preamble,
                    &inner_path,
                    "",
                    &intro,
                ));
            }
        }
        for (key, item_spans) in items_to_spans(&spans, &items) {
            let text = self.text_of(&item_spans);
            let rest = text.strip_prefix(key.as_str()).unwrap_or(&text);
            let (title_end, _) = split_title(rest);
            let title = if title_end < rest.len() {
                &rest[..title_end]
            } else {
                ""
            };
            let mut task = self.task(
                &[id, "/", &key].concat(),
                kind,
                &inner_path,
                title,
                &item_spans,
            );
            task.text = rest.trim_start().to_string();
            if let Some(body) = task.text.strip_prefix(title).filter(|_| !title.is_empty()) {
                let body = body.trim_start_matches(['。', '：', ':', '！']).trim();
                if !body.is_empty() {
                    task.text = body.to_string();
                }
            }
            tasks.push(task);
        }
    }
}

fn display_title(node: &Node) -> String {
    if node.title.is_empty() {
        node.key.clone()
    } else {
        node.title.clone()
    }
}

/// The searcher for 是, which ends every enumeration ordinal.
static SHI: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("是"));
const SHI_LEN: usize = '是'.len_utf8();

/// Finds `一是`, `二是`, … in order at sentence starts within the spans.
/// Returns (key, position) of each item.
fn enumeration_items(spans: &[Span], paras: &[Paragraph]) -> Vec<(String, Span)> {
    const ORDINALS: [&str; 20] = [
        "一是",
        "二是",
        "三是",
        "四是",
        "五是",
        "六是",
        "七是",
        "八是",
        "九是",
        "十是",
        "十一是",
        "十二是",
        "十三是",
        "十四是",
        "十五是",
        "十六是",
        "十七是",
        "十八是",
        "十九是",
        "二十是",
    ];
    let mut items = Vec::new();
    let mut next = 0usize;
    for span in spans {
        let text = &paras[span.para].text[span.start..span.end];
        let mut search_from = 0usize;
        while next < ORDINALS.len() {
            let needle = ORDINALS[next];
            // Every ordinal ends in 是: each 是 found (by one searcher built
            // once) is checked for the ordinal wanted before it.
            let mut found = None;
            let mut from = search_from;
            while let Some(pos) = SHI.find(&text.as_bytes()[from..]) {
                let end = from + pos + SHI_LEN;
                from = end;
                if end < search_from + needle.len() || !text[..end].ends_with(needle) {
                    continue;
                }
                let at = end - needle.len();
                let before = text[..at].chars().last();
                // `十一是` must not be read as `一是`.
                if (at == 0
                    || matches!(
                        before,
                        Some('。' | '；' | ';' | '：' | ':' | '！' | '？' | '\n')
                    ))
                    && !before.is_some_and(clean::is_cn_numeral)
                {
                    found = Some(at);
                    break;
                }
            }
            match found {
                Some(at) => {
                    items.push((
                        needle.to_string(),
                        Span {
                            para: span.para,
                            start: span.start + at,
                            end: span.end,
                        },
                    ));
                    search_from = at + needle.len();
                    next += 1;
                }
                None => break,
            }
        }
    }
    items
}

/// The part of `spans` before `until`.
fn intro_spans(spans: &[Span], until: Span) -> Vec<Span> {
    let mut out = Vec::new();
    for s in spans {
        if s.para < until.para {
            out.push(*s);
        } else if s.para == until.para && s.start < until.start {
            out.push(Span {
                end: until.start,
                ..*s
            });
        }
    }
    out
}

/// Cuts `spans` at each item start: item i runs to the start of item i+1.
fn items_to_spans(spans: &[Span], items: &[(String, Span)]) -> Vec<(String, Vec<Span>)> {
    let mut out = Vec::new();
    for (i, (key, start)) in items.iter().enumerate() {
        let end = items.get(i + 1).map(|(_, s)| *s);
        let mut parts = Vec::new();
        for s in spans {
            let (mut a, mut b) = (s.start, s.end);
            if (s.para, s.end) <= (start.para, start.start) {
                continue;
            }
            if s.para == start.para {
                a = a.max(start.start);
            }
            if let Some(e) = end {
                if (s.para, s.start) >= (e.para, e.start) {
                    break;
                }
                if s.para == e.para {
                    b = b.min(e.start);
                }
            }
            if a < b {
                parts.push(Span {
                    para: s.para,
                    start: a,
                    end: b,
                });
            }
        }
        if !parts.is_empty() {
            out.push((key.clone(), parts));
        }
    }
    out
}

/// The kind of a top-level chapter, from its title.
fn chapter_kind(title: &str, key: &str, is_summary: bool) -> Kind {
    const REVIEW: &[&str] = &[
        "工作情况",
        "工作回顾",
        "回顾",
        "主要成效",
        "工作成效",
        "开展情况",
        "完成情况",
        "主要成绩",
        "取得的成绩",
        "工作总结",
        "进展情况",
        "发展成效",
        "改革发展成效",
    ];
    const FRAMING: &[&str] = &[
        "新要求",
        "形势",
        "总体要求",
        "指导思想",
        "总体思路",
        "基本原则",
        "重要意义",
        "面临的",
    ];
    const PLANNING: &[&str] = &["下一步", "思路", "计划", "打算", "安排", "重点任务", "明年"];
    if key == "结语" {
        return Kind::Preamble;
    }
    // Titles are short and the words many: a plain scan is cheaper than
    // building a substring searcher per word.
    let has = |words: &[&str]| {
        let t = title.as_bytes();
        words
            .iter()
            .any(|w| t.windows(w.len()).any(|win| win == w.as_bytes()))
    };
    if has(REVIEW) {
        Kind::Review
    } else if has(FRAMING) {
        Kind::Preamble
    } else if is_summary && !has(PLANNING) {
        Kind::Review
    } else {
        Kind::Task
    }
}

/// What comes before the plan proper: the notice wrapper, the title, and
/// repeated title lines.
#[derive(Debug, Default)]
struct FrontMatter {
    /// Line index of the plan's title.
    title_line: Option<usize>,
    /// Index of the last line of the 印发通知 wrapper.
    notice_end_line: Option<usize>,
    /// Repeated title lines to drop.
    dropped: Vec<usize>,
}

/// Words that name a plan document.
const DOC_WORDS: &[&str] = &[
    "要点", "计划", "总结", "方案", "规划", "报告", "意见", "安排", "纲要", "措施", "讲话",
];
/// How far into the document the title and notice are looked for.
const FRONT_LINES: usize = 60;

fn compact(s: &str) -> String {
    s.chars().filter(|c| !clean::is_space(*c)).collect()
}

/// 印发《, searched for in the opening lines of every document.
static PUBLISHES: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("印发《"));

fn find_front_matter(lines: &[clean::Line<'_>]) -> FrontMatter {
    let mut front = FrontMatter::default();
    let content: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.content.is_empty() && !clean::is_chrome(l.content))
        .take(FRONT_LINES)
        .map(|(i, l)| (i, l.content))
        .collect();
    // A cover letter: 关于印发《X》的通知 … then X again as the plan's title.
    for (pos, &(_, line)) in content.iter().enumerate() {
        let Some(quoted) = PUBLISHES
            .find(line.as_bytes())
            .map(|i| &line[i + "印发《".len()..])
            .and_then(|rest| rest.split_once('》').map(|(q, _)| compact(q)))
        else {
            continue;
        };
        if quoted.is_empty() {
            continue;
        }
        // The title is at most four characters longer than the quote, so
        // longer lines are turned away before any copy is made.
        let longest = quoted.chars().count() + 4;
        if let Some(&(title_idx, _)) = content[pos + 1..].iter().find(|(_, l)| {
            let short = l
                .chars()
                .filter(|c| !clean::is_space(*c))
                .take(longest + 1)
                .count()
                <= longest;
            short && {
                let c = compact(l);
                c == quoted || c.ends_with(&quoted)
            }
        }) {
            front.title_line = Some(title_idx);
            front.notice_end_line = Some(title_idx.saturating_sub(1));
            break;
        }
    }
    if front.title_line.is_none() {
        front.title_line = content
            .iter()
            .take(8)
            .find(|(_, l)| {
                let n = l.chars().count();
                n <= MAX_HEADING_LINE_CHARS
                    && DOC_WORDS.iter().any(|w| l.contains(w))
                    && parse_marker(&fold_start(l), true).is_none()
                    && !l.ends_with(['。', '：', ':', '，', ','])
            })
            .map(|(i, _)| *i);
    }
    if let Some(t) = front.title_line {
        let title = compact(lines[t].content);
        front.dropped = content
            .iter()
            .filter(|(i, l)| {
                *i > t
                    && *i < t + 12
                    && l.chars().filter(|c| !clean::is_space(*c)).eq(title.chars())
            })
            .map(|(i, _)| *i)
            .collect();
    }
    front
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`split_title`] as defined, one character at a time.
    fn split_title_by_chars(rest: &str) -> (usize, usize) {
        for (i, c) in rest.char_indices() {
            if matches!(c, '。' | '：' | ':' | '！') {
                let title = &rest[..i];
                let chars = title.chars().count();
                if chars == 0 || chars > MAX_TITLE_CHARS || has_clause_break(title) {
                    return (0, 0);
                }
                let body = i + c.len_utf8();
                return (i, body + skip_spaces(&rest[body..]));
            }
            if i > MAX_TITLE_CHARS * 4 {
                break;
            }
        }
        whole_heading_line(rest)
    }

    proptest::proptest! {
        /// The byte search finds the heading end the character scan finds,
        /// around the reach limit too (one- to four-byte characters).
        #[test]
        fn split_title_matches_its_definition(
            rest in "[a:。：！，、（）ｆ工作健康\u{3000}\u{20000} ]{0,140}",
        ) {
            proptest::prop_assert_eq!(split_title(&rest), split_title_by_chars(&rest));
        }

        /// A first terminator near the reach limit.
        #[test]
        fn split_title_matches_its_definition_at_the_reach(
            head in "[a工\u{20000}é]{25,70}",
            end in "[:。：！]",
            tail in "[a。工]{0,3}",
        ) {
            let rest = [head, end, tail].concat();
            proptest::prop_assert_eq!(split_title(&rest), split_title_by_chars(&rest));
        }
    }

    fn m(s: &str) -> Option<(Style, String)> {
        parse_marker(s, true).map(|m| (m.style, m.key))
    }

    #[test]
    fn markers_in_both_widths() {
        assert_eq!(m("一、总体要求"), Some((Style::CnTop, "一".into())));
        assert_eq!(m("（十四）提升"), Some((Style::ParenCn, "（十四）".into())));
        assert_eq!(m("(十四)提升"), Some((Style::ParenCn, "（十四）".into())));
        assert_eq!(m("（3）做好"), Some((Style::ParenArabic, "（3）".into())));
        assert_eq!(m("61.继续"), Some((Style::Arabic, "61".into())));
        assert_eq!(m("1、继续"), Some((Style::Arabic, "1".into())));
        assert_eq!(m("1．继续"), Some((Style::Arabic, "1".into())));
        assert_eq!(m("第三章 保障"), Some((Style::Chapter, "第三章".into())));
        assert_eq!(m("②加强"), Some((Style::Circled, "②".into())));
        assert_eq!(m("二是抓好"), Some((Style::Shi, "二是".into())));
        assert_eq!(m("1.5万人"), None);
        assert_eq!(m("2019年工作"), None);
        assert_eq!(m("(注)"), None);
    }

    #[test]
    fn run_in_heading_is_split() {
        let s = segment("t", "一、党建\n（一）全面落实党建责任。贯彻落实精神。\n（二）第二项,有逗号的一句话很长。后文。");
        assert_eq!(s.tasks.len(), 2);
        assert_eq!(s.tasks[0].id, "一/（一）");
        assert_eq!(s.tasks[0].title, "全面落实党建责任");
        assert_eq!(s.tasks[0].text, "贯彻落实精神。");
        assert_eq!(s.tasks[0].path, vec!["党建".to_string()]);
        assert_eq!(s.tasks[1].title, "");
    }

    #[test]
    fn repeated_keys_among_many_items_stay_apart() {
        // More items than the scan handles, so the map counts repeats.
        let mut text = String::from("一、总体\n");
        for n in [
            1, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 3,
        ] {
            text.push_str(&format!("{n}.第{n}项。\n"));
        }
        let s = segment("t", &text);
        let ids: Vec<&str> = s.tasks.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids.len(), 19);
        assert_eq!(&ids[2..4], ["一/3", "一/3-2"]);
        assert_eq!(ids[18], "一/3-3");
    }

    #[test]
    fn levels_follow_first_appearance_and_duplicates_stay_apart() {
        let text = "一、甲\n（一）乙\n1.第一项。\n2.第二项。\n（三）丙\n3.第三项。\n（三）丁:独立一项。\n（四）戊\n4.第四项。\n二、己\n（一）庚。内容。";
        let s = segment("t", text);
        let ids: Vec<&str> = s.tasks.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "一/（一）/1",
                "一/（一）/2",
                "一/（三）/3",
                "一/（三）-2",
                "一/（四）/4",
                "二/（一）"
            ]
        );
    }

    #[test]
    fn shi_enumerations_become_tasks() {
        let text = "一、工作开展情况\n（一）改革。一是提升能力。推进建设。二是改善服务。形成机制。\n二、思路\n一是抓好防控。推进。\n二是抓好改革。一是年薪制。二是支付。";
        let s = segment("t", text);
        let ids: Vec<&str> = s.tasks.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "一/（一）/一是",
                "一/（一）/二是",
                "二/一是",
                "二/二是/一是",
                "二/二是/二是"
            ]
        );
        assert_eq!(s.tasks[0].title, "提升能力");
        assert_eq!(s.tasks[0].text, "推进建设。");
        assert_eq!(s.tasks[0].kind, Kind::Review);
        assert_eq!(s.tasks[2].kind, Kind::Task);
    }

    #[test]
    fn no_numbering_falls_back_to_paragraphs() {
        let s = segment("t", "第一段内容。\n第二段内容。");
        assert_eq!(s.tasks.len(), 2);
        assert_eq!(s.tasks[1].id, "¶2");
        assert_eq!(s.warnings.len(), 1);
    }

    #[test]
    fn offsets_point_into_source() {
        let text = "标题工作要点\n\n一、党建\n（一）全面落实党建责任。贯彻落实。";
        let s = segment("t", text);
        let t = &s.tasks[0];
        assert!(text[t.start..t.end].contains("贯彻落实"));
        assert_eq!((t.line_start, t.line_end), (4, 4));
    }
}

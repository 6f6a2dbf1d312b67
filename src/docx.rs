//! Word .docx reader: the paragraphs of `word/document.xml` in order, with
//! the numbers Word draws before automatically numbered headings and list
//! items (from `numbering.xml` and the paragraph styles), so that an outline
//! numbered by Word reads like one typed by hand.

use std::io::Read;

use crate::error::{Error, Result};

/// Paragraph text of a Word .docx file, in document order, with the numbers
/// Word draws before numbered paragraphs.
pub(crate) fn docx_text(name: &str, bytes: &[u8]) -> Result<String> {
    let reader = std::io::Cursor::new(bytes);
    let mut archive = zip::ZipArchive::new(reader)
        .map_err(|e| Error::input(name, format!("damaged zip archive: {e}")))?;
    let xml = docx_part(&mut archive, "word/document.xml")
        .ok_or_else(|| Error::input(name, "a zip archive that is not a Word .docx document"))?
        .map_err(|e| Error::input(name, format!("damaged .docx: {e}")))?;
    // Numbers are a reading aid on top of the text: a damaged numbering
    // part costs the markers, not the document.
    let mut numbering = match docx_part(&mut archive, "word/numbering.xml") {
        Some(Ok(xml)) => Numbering::parse(&xml).unwrap_or_default(),
        _ => Numbering::default(),
    };
    if !numbering.instances.is_empty() {
        if let Some(Ok(xml)) = docx_part(&mut archive, "word/styles.xml") {
            if numbering.parse_styles(&xml).is_err() {
                numbering.styles.clear();
            }
        }
    }
    docx_xml_to_text(&xml, &mut numbering)
        .map_err(|e| Error::input(name, format!("damaged .docx XML: {e}")))
}

/// One part of a .docx archive as text; `None` when the archive has no such
/// part.
fn docx_part<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    part: &str,
) -> Option<std::io::Result<String>> {
    let mut entry = archive.by_name(part).ok()?;
    // A hostile archive may claim a tiny size and inflate to gigabytes.
    const MAX_XML: u64 = 512 << 20;
    let mut xml = String::new();
    Some(
        (&mut entry)
            .take(MAX_XML)
            .read_to_string(&mut xml)
            .map(|_| xml),
    )
}

/// Levels of a Word list: the most any list has.
const LIST_LEVELS: usize = 9;
/// Longest list number text (`w:lvlText`) taken, in bytes.
const MAX_LIST_TEXT: usize = 256;

/// What follows a list number before the paragraph text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum ListSuffix {
    #[default]
    Tab,
    Space,
    Nothing,
}

/// One level of a list definition (`w:lvl`): how its number looks.
#[derive(Debug, Clone)]
struct ListLevel {
    /// `w:start`; the OOXML default is 0.
    start: u32,
    /// `w:numFmt`, such as `decimal` or `chineseCounting`.
    format: String,
    /// `w:lvlText`, such as `%1、` or `（%1）`; `%N` is level N's number.
    text: String,
    /// `w:lvlRestart`: the (1-based) level whose use restarts this one, 0
    /// for never; by default any shallower level.
    restart: Option<u32>,
    /// `w:isLgl`: every number in the text drawn as decimal.
    legal: bool,
    suffix: ListSuffix,
    /// `w:pStyle`: the paragraph style (a heading) this level numbers.
    style: Option<String>,
}

impl Default for ListLevel {
    fn default() -> Self {
        ListLevel {
            start: 0,
            format: "decimal".to_string(),
            text: String::new(),
            restart: None,
            legal: false,
            suffix: ListSuffix::Tab,
            style: None,
        }
    }
}

/// A list instance (`w:num`): a list definition, with levels it restarts or
/// redefines.
#[derive(Debug, Default)]
struct ListInstance {
    abstract_id: Option<u32>,
    start_override: [Option<u32>; LIST_LEVELS],
    level_override: [Option<ListLevel>; LIST_LEVELS],
}

/// The lists of word/numbering.xml and, while the document is read, the
/// count each list instance has reached at each level.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: std::collections::HashMap<u32, [Option<ListLevel>; LIST_LEVELS]>,
    instances: std::collections::HashMap<u32, ListInstance>,
    counters: std::collections::HashMap<u32, [Option<u32>; LIST_LEVELS]>,
    /// Paragraph styles of word/styles.xml that number their paragraphs.
    styles: std::collections::HashMap<String, ParagraphStyle>,
}

/// A paragraph style, as far as numbering goes: headings are numbered by
/// their style far more often than one by one.
#[derive(Debug, Default)]
struct ParagraphStyle {
    based_on: Option<String>,
    /// `w:numId` of the style's `w:numPr`; 0 takes it out of a list.
    num_id: Option<u32>,
    ilvl: Option<usize>,
}

/// The list a paragraph belongs to, from its own `w:numPr` and its style.
#[derive(Debug, Default)]
struct ParagraphList {
    num_id: Option<u32>,
    ilvl: Option<usize>,
    style: Option<String>,
}

/// The value of attribute `name` of an element.
fn xml_attr(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    let attr = e.try_get_attribute(name).ok()??;
    attr.unescape_value().ok().map(|v| v.into_owned())
}

fn xml_attr_u32(e: &quick_xml::events::BytesStart, name: &str) -> Option<u32> {
    xml_attr(e, name)?.trim().parse().ok()
}

fn xml_attr_level(e: &quick_xml::events::BytesStart) -> Option<usize> {
    xml_attr_u32(e, "w:ilvl")
        .map(|l| l as usize)
        .filter(|&l| l < LIST_LEVELS)
}

impl Numbering {
    fn parse(xml: &str) -> std::result::Result<Self, quick_xml::Error> {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut numbering = Numbering::default();
        let mut abstract_id = None;
        let mut instance: Option<(u32, ListInstance)> = None;
        let mut override_level = None;
        let mut level: Option<(usize, ListLevel)> = None;
        loop {
            let (e, empty) = match reader.read_event()? {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(e) => {
                    match e.name().as_ref() {
                        b"w:abstractNum" => abstract_id = None,
                        b"w:lvlOverride" => override_level = None,
                        b"w:num" => {
                            if let Some((id, inst)) = instance.take() {
                                numbering.instances.insert(id, inst);
                            }
                        }
                        b"w:lvl" => match (level.take(), &mut instance, override_level) {
                            (Some((_, lvl)), Some((_, inst)), Some(o)) => {
                                inst.level_override[o] = Some(lvl)
                            }
                            (Some((i, lvl)), None, _) => {
                                if let Some(id) = abstract_id {
                                    numbering.abstracts.entry(id).or_default()[i] = Some(lvl);
                                }
                            }
                            _ => {}
                        },
                        _ => {}
                    }
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            let val = || xml_attr(&e, "w:val");
            let num = || xml_attr_u32(&e, "w:val");
            match e.name().as_ref() {
                b"w:abstractNum" => abstract_id = xml_attr_u32(&e, "w:abstractNumId"),
                b"w:num" => {
                    instance = xml_attr_u32(&e, "w:numId").map(|id| (id, ListInstance::default()))
                }
                b"w:abstractNumId" => {
                    if let Some((_, inst)) = &mut instance {
                        inst.abstract_id = num();
                    }
                }
                b"w:lvlOverride" => override_level = xml_attr_level(&e),
                b"w:startOverride" => {
                    if let (Some((_, inst)), Some(o)) = (&mut instance, override_level) {
                        inst.start_override[o] = num();
                    }
                }
                // An empty `<w:lvl/>` defines nothing.
                b"w:lvl" if !empty => level = xml_attr_level(&e).map(|i| (i, ListLevel::default())),
                _ => {}
            }
            if let Some((_, lvl)) = &mut level {
                match e.name().as_ref() {
                    b"w:start" => lvl.start = num().unwrap_or(0),
                    b"w:numFmt" => lvl.format = val().unwrap_or_default(),
                    // Word's own limit is far below this; a longer one is
                    // no marker, and must not be repeated on every line.
                    b"w:lvlText" => {
                        lvl.text = val()
                            .filter(|t| t.len() <= MAX_LIST_TEXT)
                            .unwrap_or_default()
                    }
                    b"w:lvlRestart" => lvl.restart = num(),
                    b"w:pStyle" => lvl.style = val(),
                    b"w:isLgl" => {
                        lvl.legal = !matches!(val().as_deref(), Some("0" | "false" | "off"))
                    }
                    b"w:suff" => {
                        lvl.suffix = match val().as_deref() {
                            Some("space") => ListSuffix::Space,
                            Some("nothing") => ListSuffix::Nothing,
                            _ => ListSuffix::Tab,
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(numbering)
    }

    /// Reads the paragraph styles of word/styles.xml that take part in
    /// numbering.
    fn parse_styles(&mut self, xml: &str) -> std::result::Result<(), quick_xml::Error> {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut style: Option<(String, ParagraphStyle)> = None;
        let mut ppr_depth = 0usize;
        loop {
            match reader.read_event()? {
                Event::Start(e) if e.name().as_ref() == b"w:style" => {
                    let paragraph = xml_attr(&e, "w:type").is_none_or(|t| t == "paragraph");
                    style = xml_attr(&e, "w:styleId")
                        .filter(|_| paragraph)
                        .map(|id| (id, ParagraphStyle::default()));
                }
                Event::End(e) if e.name().as_ref() == b"w:style" => {
                    if let Some((id, s)) = style.take() {
                        if s.based_on.is_some() || s.num_id.is_some() {
                            self.styles.insert(id, s);
                        }
                    }
                }
                Event::Start(e) if e.name().as_ref() == b"w:pPr" => ppr_depth += 1,
                Event::End(e) if e.name().as_ref() == b"w:pPr" => {
                    ppr_depth = ppr_depth.saturating_sub(1)
                }
                Event::Start(e) | Event::Empty(e) => {
                    let Some((_, s)) = &mut style else { continue };
                    match e.name().as_ref() {
                        b"w:basedOn" => s.based_on = xml_attr(&e, "w:val"),
                        b"w:numId" if ppr_depth == 1 => s.num_id = xml_attr_u32(&e, "w:val"),
                        b"w:ilvl" if ppr_depth == 1 => {
                            s.ilvl =
                                xml_attr_u32(&e, "w:val").map(|l| (l as usize).min(LIST_LEVELS - 1))
                        }
                        _ => {}
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(())
    }

    /// The marker of a paragraph: its own `w:numPr` first, then its style's
    /// (through `w:basedOn`), the level from either or else from the list
    /// level linked to the style.
    fn paragraph_marker(&mut self, para: ParagraphList) -> Option<String> {
        // Styles inherit through w:basedOn; a loop in a damaged file must
        // not hang the reader.
        let chain: Vec<(&str, &ParagraphStyle)> = std::iter::successors(
            para.style
                .as_deref()
                .and_then(|id| Some((id, self.styles.get(id)?))),
            |(_, s)| {
                let id = s.based_on.as_deref()?;
                Some((id, self.styles.get(id)?))
            },
        )
        .take(16)
        .collect();
        let num_id = para
            .num_id
            .or_else(|| chain.iter().find_map(|(_, s)| s.num_id))
            .filter(|&id| id != 0)?;
        let linked_level = || {
            let inst = self.instances.get(&num_id)?;
            let levels = self.abstracts.get(&inst.abstract_id?)?;
            chain.iter().find_map(|(id, _)| {
                levels
                    .iter()
                    .position(|l| l.as_ref().and_then(|l| l.style.as_deref()) == Some(*id))
            })
        };
        let ilvl = para
            .ilvl
            .or_else(|| chain.iter().find_map(|(_, s)| s.ilvl))
            .or_else(linked_level)
            .unwrap_or(0);
        self.next_marker(num_id, ilvl)
    }

    /// The marker Word draws before a paragraph of list `num_id` at level
    /// `ilvl` (counting it), with the space after it; `None` for bullets and
    /// lists the numbering part does not define.
    fn next_marker(&mut self, num_id: u32, ilvl: usize) -> Option<String> {
        let inst = self.instances.get(&num_id)?;
        let abstract_levels = inst.abstract_id.and_then(|id| self.abstracts.get(&id));
        let levels: [Option<(&ListLevel, u32)>; LIST_LEVELS] = std::array::from_fn(|i| {
            let level = inst.level_override[i]
                .as_ref()
                .or_else(|| abstract_levels?[i].as_ref())?;
            Some((level, inst.start_override[i].unwrap_or(level.start)))
        });
        let (level, start) = levels[ilvl]?;
        // A bullet carries no number, and the clean stage drops bullets.
        if level.format == "bullet" {
            return None;
        }
        let counters = self.counters.entry(num_id).or_default();
        counters[ilvl] = Some(counters[ilvl].map_or(start, |n| n.saturating_add(1)));
        for (deeper, l) in levels.iter().enumerate().skip(ilvl + 1) {
            let restart = l
                .and_then(|(l, _)| l.restart)
                .filter(|&r| r as usize <= deeper)
                .unwrap_or(deeper as u32);
            if ilvl < restart as usize {
                counters[deeper] = None;
            }
        }
        let mut marker = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            match chars.peek().and_then(|d| d.to_digit(10)) {
                Some(n @ 1..=9) if c == '%' => {
                    chars.next();
                    let i = n as usize - 1;
                    let (format, start) =
                        levels[i].map_or(("decimal", 1), |(l, s)| (&*l.format, s));
                    let format = if level.legal { "decimal" } else { format };
                    marker.push_str(&list_number(counters[i].unwrap_or(start), format));
                }
                _ => marker.push(c),
            }
        }
        if marker.is_empty() {
            return None;
        }
        // A tab after the number is a gap to the reader, as a space is.
        if level.suffix != ListSuffix::Nothing {
            marker.push(' ');
        }
        Some(marker)
    }
}

/// Digits as written one by one (2024 is 二〇二四).
const CN_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/// Digits 0 to 9 and the units 十 百 千 万 of a Chinese counting style.
type CnDigits = ([char; 10], [char; 4]);
const CN_COUNTING: CnDigits = (
    ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'],
    ['十', '百', '千', '万'],
);
const CN_LEGAL_SIMPLIFIED: CnDigits = (
    ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'],
    ['拾', '佰', '仟', '万'],
);
const CN_LEGAL_TRADITIONAL: CnDigits = (
    ['零', '壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'],
    ['拾', '佰', '仟', '萬'],
);

/// `n` as Word draws it in number format `format` (`w:numFmt`); formats
/// not known here, and numbers a format has no sign for, are decimal.
fn list_number(n: u32, format: &str) -> String {
    let nth = |signs: &[char]| {
        (n as usize)
            .checked_sub(1)
            .and_then(|i| signs.get(i))
            .map(char::to_string)
    };
    let from = |first: char, count: u32| {
        (1..=count)
            .contains(&n)
            .then(|| char::from_u32(first as u32 + n - 1).map(String::from))
            .flatten()
    };
    let drawn = match format {
        "none" => Some(String::new()),
        "decimalZero" => Some(format!("{n:02}")),
        "decimalFullWidth" | "decimalFullWidth2" => Some(
            n.to_string()
                .chars()
                .filter_map(|d| char::from_u32(d as u32 - '0' as u32 + '０' as u32))
                .collect(),
        ),
        "chineseCounting"
        | "chineseCountingThousand"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "japaneseCounting" => cn_counting(n, &CN_COUNTING, true),
        "chineseLegalSimplified" => cn_counting(n, &CN_LEGAL_SIMPLIFIED, false),
        "ideographLegalTraditional" => cn_counting(n, &CN_LEGAL_TRADITIONAL, false),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => Some(
            n.to_string()
                .chars()
                .map(|d| CN_DIGITS[d as usize - '0' as usize])
                .collect(),
        ),
        "ideographTraditional" => {
            nth(&['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'])
        }
        "ideographZodiac" => nth(&[
            '子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥',
        ]),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" | "ideographEnclosedCircle" => {
            from('①', 20)
        }
        "decimalEnclosedParen" => from('⑴', 20),
        "decimalEnclosedFullstop" => from('⒈', 20),
        "lowerLetter" | "upperLetter" => (1..=26 * 10).contains(&n).then(|| {
            // Word goes on a … z, aa … zz, aaa …; past ten letters the
            // number is no marker anyone reads, and a hostile w:start could
            // ask for millions.
            let letter = (b'a' + ((n - 1) % 26) as u8) as char;
            let letter = if format == "upperLetter" {
                letter.to_ascii_uppercase()
            } else {
                letter
            };
            std::iter::repeat_n(letter, ((n - 1) / 26 + 1) as usize).collect()
        }),
        "lowerRoman" | "upperRoman" => roman(n).map(|r| {
            if format == "lowerRoman" {
                r.to_ascii_lowercase()
            } else {
                r
            }
        }),
        _ => None,
    };
    drawn.unwrap_or_else(|| n.to_string())
}

/// `n` counted in Chinese: 一 … 十 十一 … 二十 … 一百零一 … 一万; the tens of
/// 10 to 19 drop their 一 (十一, not 一十一) unless `drop_one` is false, as
/// in the legal (financial) digits.
fn cn_counting(n: u32, (digits, units): &CnDigits, drop_one: bool) -> Option<String> {
    if n == 0 || n >= 100_000_000 {
        return None;
    }
    // Below 10000: 千 百 十 and ones, one 零 for any run of zeros inside.
    let below_wan = |m: u32, out: &mut String, leading: bool| {
        let mut zero = false;
        for (p, unit) in [
            (1000, Some(units[2])),
            (100, Some(units[1])),
            (10, Some(units[0])),
            (1, None),
        ] {
            let d = (m / p % 10) as usize;
            if d == 0 {
                zero = !out.is_empty();
                continue;
            }
            if zero {
                out.push(digits[0]);
                zero = false;
            }
            if !(drop_one && leading && out.is_empty() && p == 10 && d == 1) {
                out.push(digits[d]);
            }
            if let Some(unit) = unit {
                out.push(unit);
            }
        }
    };
    let mut out = String::new();
    let (wan, rest) = (n / 10_000, n % 10_000);
    if wan > 0 {
        below_wan(wan, &mut out, true);
        out.push(units[3]);
        if rest > 0 && rest < 1000 {
            out.push(digits[0]);
        }
    }
    if rest > 0 {
        let mut part = String::new();
        below_wan(rest, &mut part, wan == 0);
        out.push_str(&part);
    }
    Some(out)
}

/// `n` in Roman numerals, up to 3999.
fn roman(mut n: u32) -> Option<String> {
    if n == 0 || n > 3999 {
        return None;
    }
    let mut out = String::new();
    for (value, sign) in [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ] {
        while n >= value {
            out.push_str(sign);
            n -= value;
        }
    }
    Some(out)
}

fn docx_xml_to_text(
    xml: &str,
    numbering: &mut Numbering,
) -> std::result::Result<String, quick_xml::Error> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::new();
    let mut in_text = false;
    // Paragraph properties (nested once in a tracked change) hold tab stops,
    // `<w:tab w:pos=…/>`, which are no text, and the paragraph's list
    // membership; the one inside a change is the old state, not shown.
    let mut ppr_depth = 0usize;
    let mut list = ParagraphList::default();
    loop {
        match reader.read_event()? {
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_text = false,
            Event::Start(e) if e.name().as_ref() == b"w:pPr" => ppr_depth += 1,
            Event::End(e) if e.name().as_ref() == b"w:pPr" => {
                ppr_depth = ppr_depth.saturating_sub(1);
                // Properties come before the runs: the marker leads the text.
                if ppr_depth == 0 {
                    out.extend(numbering.paragraph_marker(std::mem::take(&mut list)));
                }
            }
            Event::Start(e) | Event::Empty(e)
                if ppr_depth == 1
                    && matches!(e.name().as_ref(), b"w:numId" | b"w:ilvl" | b"w:pStyle") =>
            {
                match e.name().as_ref() {
                    // numId 0 takes a paragraph out of its style's list.
                    b"w:numId" => list.num_id = xml_attr_u32(&e, "w:val"),
                    b"w:ilvl" => {
                        list.ilvl =
                            xml_attr_u32(&e, "w:val").map(|l| (l as usize).min(LIST_LEVELS - 1))
                    }
                    _ => list.style = xml_attr(&e, "w:val"),
                }
            }
            Event::End(e) if e.name().as_ref() == b"w:p" => out.push('\n'),
            Event::Empty(e) if matches!(e.name().as_ref(), b"w:br" | b"w:cr") => out.push('\n'),
            Event::Empty(e) if e.name().as_ref() == b"w:tab" && ppr_depth == 0 => out.push('\t'),
            Event::Text(t) if in_text => out.push_str(&t.unescape()?),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::decode_document;
    use std::io::Write as _;

    #[test]
    fn docx_paragraphs_in_order() {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            w.start_file(
                "word/document.xml",
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            w.write_all(
                r#"<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>一、总体要求</w:t></w:r></w:p><w:p><w:r><w:t>（一）加强</w:t></w:r><w:r><w:t>党建&amp;廉政</w:t></w:r></w:p></w:body></w:document>"#.as_bytes(),
            )
            .unwrap();
            w.finish().unwrap();
        }
        let d = decode_document("a.docx", buf.get_ref()).unwrap();
        assert_eq!(d.text, "一、总体要求\n（一）加强党建&廉政\n");
    }

    /// A .docx archive holding the given parts.
    fn docx(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        for (name, xml) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(xml.as_bytes()).unwrap();
        }
        w.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn list_numbers_as_word_draws_them() {
        let cn = |n| list_number(n, "chineseCounting");
        let counted: Vec<String> = [1, 2, 9, 10, 11, 19, 20, 21, 99, 100, 101, 110, 1010, 10005]
            .into_iter()
            .map(cn)
            .collect();
        assert_eq!(
            counted,
            [
                "一",
                "二",
                "九",
                "十",
                "十一",
                "十九",
                "二十",
                "二十一",
                "九十九",
                "一百",
                "一百零一",
                "一百一十",
                "一千零一十",
                "一万零五"
            ]
        );
        assert_eq!(list_number(10, "chineseLegalSimplified"), "壹拾");
        assert_eq!(list_number(3, "ideographTraditional"), "丙");
        assert_eq!(list_number(11, "ideographTraditional"), "11");
        assert_eq!(list_number(10, "ideographDigital"), "一〇");
        assert_eq!(list_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(list_number(21, "decimalEnclosedCircle"), "21");
        assert_eq!(list_number(2, "decimalEnclosedParen"), "⑵");
        assert_eq!(list_number(12, "decimalFullWidth"), "１２");
        assert_eq!(list_number(28, "lowerLetter"), "bb");
        assert_eq!(list_number(u32::MAX, "lowerLetter"), u32::MAX.to_string());
        assert_eq!(list_number(1994, "upperRoman"), "MCMXCIV");
        assert_eq!(list_number(4, "lowerRoman"), "iv");
        assert_eq!(list_number(7, "decimal"), "7");
        assert_eq!(list_number(7, "someFormatOfTomorrow"), "7");
        assert_eq!(list_number(7, "none"), "");
    }

    const W_NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    /// A paragraph, in list `num` (numId, ilvl) when given.
    fn para(num: Option<(u32, u32)>, text: &str) -> String {
        let ppr = num.map_or(String::new(), |(id, lvl)| {
            format!(r#"<w:pPr><w:pStyle w:val="2"/><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{id}"/></w:numPr></w:pPr>"#)
        });
        format!("<w:p>{ppr}<w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    /// The text of a .docx made of these paragraphs and numbering part.
    fn numbered_docx_text(paras: &[String], numbering: &str) -> String {
        let document = format!(
            r#"<?xml version="1.0"?><w:document {W_NS}><w:body>{}</w:body></w:document>"#,
            paras.concat()
        );
        let numbering =
            format!(r#"<?xml version="1.0"?><w:numbering {W_NS}>{numbering}</w:numbering>"#);
        let bytes = docx(&[
            ("word/document.xml", &document),
            ("word/numbering.xml", &numbering),
        ]);
        decode_document("plan.docx", &bytes).unwrap().text
    }

    /// Word numbers chapter headings itself: the markers are in
    /// numbering.xml, not in the text, and must be put back, or a heading
    /// runs on into the task before it.
    #[test]
    fn docx_numbered_paragraphs_get_their_markers() {
        let numbering = r#"
<w:abstractNum w:abstractNumId="7">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="9">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%1）"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="9"/></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="9"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#;
        let paras = [
            para(None, "2024年全市卫生健康工作要点"),
            para(Some((1, 0)), "总体要求"),
            para(None, "坚持以人民健康为中心，推进健康城市建设。"),
            para(Some((1, 0)), "重点任务"),
            para(Some((4, 0)), "加强公共卫生体系建设。完善疾病预防控制网络。"),
            para(Some((4, 0)), "深化医药卫生体制改革。推进紧密型县域医共体建设。"),
            // The old numbering of a tracked change is not drawn.
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr><w:pPrChange><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="4"/></w:numPr></w:pPr></w:pPrChange></w:pPr><w:r><w:t>保障措施</w:t></w:r></w:p>"#.to_string(),
            para(Some((5, 0)), "强化组织领导。各地要把卫生健康工作摆上重要议程。"),
            para(Some((5, 0)), "加强经费保障。"),
        ];
        let text = numbered_docx_text(&paras, numbering);
        assert_eq!(
            text,
            "2024年全市卫生健康工作要点\n\
             一、总体要求\n\
             坚持以人民健康为中心，推进健康城市建设。\n\
             二、重点任务\n\
             （1） 加强公共卫生体系建设。完善疾病预防控制网络。\n\
             （2） 深化医药卫生体制改革。推进紧密型县域医共体建设。\n\
             三、保障措施\n\
             （1） 强化组织领导。各地要把卫生健康工作摆上重要议程。\n\
             （2） 加强经费保障。\n"
        );
        let seg = crate::segment::segment("plan.docx", &text);
        let ids: Vec<&str> = seg.tasks.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["一", "二/（1）", "二/（2）", "三/（1）", "三/（2）"]);
        // Each task under its own chapter: no heading ran on into a task.
        let chapters: Vec<&str> = seg
            .tasks
            .iter()
            .map(|t| t.path.first().unwrap_or(&t.title).as_str())
            .collect();
        assert_eq!(
            chapters,
            ["总体要求", "重点任务", "重点任务", "保障措施", "保障措施"]
        );
        assert_eq!(
            seg.tasks[0].text,
            "坚持以人民健康为中心，推进健康城市建设。"
        );

        // Without numbering.xml the text is as before: no markers.
        let document = format!(
            r#"<w:document {W_NS}><w:body>{}</w:body></w:document>"#,
            paras.concat()
        );
        let d = decode_document("plan.docx", &docx(&[("word/document.xml", &document)])).unwrap();
        assert!(d.text.starts_with("2024年全市卫生健康工作要点\n总体要求\n"));
    }

    /// Headings numbered by their style: the number is in styles.xml (or
    /// linked from the list level), not on the paragraph.
    #[test]
    fn docx_headings_numbered_by_style() {
        let styles = format!(
            r#"<?xml version="1.0"?><w:styles {W_NS}>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="21"><w:name w:val="my heading 2"/><w:basedOn w:val="2"/></w:style>
<w:style w:type="paragraph" w:styleId="3"><w:name w:val="heading 3"/><w:basedOn w:val="1"/></w:style>
<w:style w:type="paragraph" w:styleId="loop"><w:basedOn w:val="loop"/></w:style>
<w:style w:type="character" w:styleId="c"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
</w:styles>"#
        );
        let numbering = format!(
            r#"<?xml version="1.0"?><w:numbering {W_NS}>
<w:abstractNum w:abstractNumId="0">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:pStyle w:val="1"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:pStyle w:val="3"/><w:suff w:val="nothing"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
        );
        let styled = |style: &str, extra: &str, text: &str| {
            format!(
                r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
            )
        };
        let body = [
            styled("1", "", "总体要求"),
            styled("2", "", "基本原则"),
            styled("21", "", "主要目标"),
            styled("3", "", "到2025年"),
            styled("1", r#"<w:numPr><w:numId w:val="0"/></w:numPr>"#, "附件"),
            styled("1", "", "重点任务"),
            styled("loop", "", "样式成环"),
            styled("c", "", "字符样式"),
        ]
        .concat();
        let document = format!(r#"<w:document {W_NS}><w:body>{body}</w:body></w:document>"#);
        let bytes = docx(&[
            ("word/document.xml", &document),
            ("word/numbering.xml", &numbering),
            ("word/styles.xml", &styles),
        ]);
        assert_eq!(
            decode_document("plan.docx", &bytes).unwrap().text,
            "一、总体要求\n（一）基本原则\n（二）主要目标\n1.到2025年\n附件\n二、重点任务\n样式成环\n字符样式\n"
        );
    }

    /// Counters as Word keeps them: per list instance and level, deeper
    /// levels restarting when a shallower one advances (unless told not
    /// to), `w:start` and `w:startOverride` honoured, `%N` of other levels.
    #[test]
    fn docx_list_counters() {
        let numbering = r#"
<w:abstractNum w:abstractNumId="1">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="&#61623;"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:lvlRestart w:val="0"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%4"/><w:suff w:val="nothing"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
  <w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/><w:suff w:val="space"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="2"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#;
        let paras = [
            para(Some((1, 0)), "甲"),
            para(Some((1, 1)), "乙"),
            para(Some((1, 1)), "丙"),
            para(Some((1, 2)), "要点"),
            para(Some((1, 3)), "丁"),
            para(Some((1, 0)), "戊"),
            para(Some((1, 1)), "己"),
            para(Some((1, 3)), "庚"),
            para(Some((2, 0)), "从三开始"),
            para(Some((2, 1)), "分项"),
            para(Some((2, 1)), "分项"),
            para(Some((2, 0)), "接着数"),
            para(Some((2, 1)), "分项"),
            para(Some((3, 0)), "另一个实例从一开始"),
            para(Some((9, 0)), "未定义的列表"),
            para(Some((0, 0)), "不在列表中"),
        ];
        assert_eq!(
            numbered_docx_text(&paras, numbering),
            "一、甲\n（一）乙\n（二）丙\n要点\n①丁\n二、戊\n（一）己\n②庚\n\
             3.从三开始\n3.1 分项\n3.2 分项\n4.接着数\n4.1 分项\n1.另一个实例从一开始\n\
             未定义的列表\n不在列表中\n"
        );
    }

    #[test]
    fn docx_tab_stops_are_not_tabs() {
        let body = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><w:t>一、总体要求</w:t></w:r></w:p><w:p><w:r><w:t>目标</w:t><w:tab/><w:t>任务</w:t></w:r></w:p>"#;
        let text = docx_xml_to_text(
            &format!("<w:document><w:body>{body}</w:body></w:document>"),
            &mut Numbering::default(),
        );
        assert_eq!(text.unwrap(), "一、总体要求\n目标\t任务\n");
    }
}

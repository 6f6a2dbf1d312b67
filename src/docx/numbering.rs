//! Word's automatic numbering: the list definitions of `numbering.xml`
//! and the paragraph styles that use them, counted per list and level, and
//! the numbers drawn in each format (decimal, Chinese counting, legal,
//! roman, circled, …).

/// Levels of a Word list: the most any list has.
pub(super) const LIST_LEVELS: usize = 9;
/// Longest list number text (`w:lvlText`) taken, in bytes.
pub(super) const MAX_LIST_TEXT: usize = 256;

/// What follows a list number before the paragraph text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum ListSuffix {
    #[default]
    Tab,
    Space,
    Nothing,
}

/// One level of a list definition (`w:lvl`): how its number looks.
#[derive(Debug, Clone)]
pub(super) struct ListLevel {
    /// `w:start`; the OOXML default is 0.
    pub(super) start: u32,
    /// `w:numFmt`, such as `decimal` or `chineseCounting`.
    pub(super) format: String,
    /// `w:lvlText`, such as `%1、` or `（%1）`; `%N` is level N's number.
    pub(super) text: String,
    /// `w:lvlRestart`: the (1-based) level whose use restarts this one, 0
    /// for never; by default any shallower level.
    pub(super) restart: Option<u32>,
    /// `w:isLgl`: every number in the text drawn as decimal.
    pub(super) legal: bool,
    pub(super) suffix: ListSuffix,
    /// `w:pStyle`: the paragraph style (a heading) this level numbers.
    pub(super) style: Option<String>,
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
pub(super) struct ListInstance {
    pub(super) abstract_id: Option<u32>,
    pub(super) start_override: [Option<u32>; LIST_LEVELS],
    pub(super) level_override: [Option<ListLevel>; LIST_LEVELS],
}

/// The lists of word/numbering.xml and, while the document is read, the
/// count each list instance has reached at each level.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    pub(super) abstracts: std::collections::HashMap<u32, [Option<ListLevel>; LIST_LEVELS]>,
    pub(super) instances: std::collections::HashMap<u32, ListInstance>,
    pub(super) counters: std::collections::HashMap<u32, [Option<u32>; LIST_LEVELS]>,
    /// Paragraph styles of word/styles.xml that number their paragraphs.
    pub(super) styles: std::collections::HashMap<String, ParagraphStyle>,
}

/// A paragraph style, as far as numbering goes: headings are numbered by
/// their style far more often than one by one.
#[derive(Debug, Default)]
pub(super) struct ParagraphStyle {
    pub(super) based_on: Option<String>,
    /// `w:numId` of the style's `w:numPr`; 0 takes it out of a list.
    pub(super) num_id: Option<u32>,
    pub(super) ilvl: Option<usize>,
}

/// The list a paragraph belongs to, from its own `w:numPr` and its style.
#[derive(Debug, Default)]
pub(super) struct ParagraphList {
    pub(super) num_id: Option<u32>,
    pub(super) ilvl: Option<usize>,
    pub(super) style: Option<String>,
}

/// The value of attribute `name` of an element.
pub(super) fn xml_attr(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    let attr = e.try_get_attribute(name).ok()??;
    attr.unescape_value().ok().map(|v| v.into_owned())
}

pub(super) fn xml_attr_u32(e: &quick_xml::events::BytesStart, name: &str) -> Option<u32> {
    xml_attr(e, name)?.trim().parse().ok()
}

pub(super) fn xml_attr_level(e: &quick_xml::events::BytesStart) -> Option<usize> {
    xml_attr_u32(e, "w:ilvl")
        .map(|l| l as usize)
        .filter(|&l| l < LIST_LEVELS)
}

impl Numbering {
    pub(super) fn parse(xml: &str) -> std::result::Result<Self, quick_xml::Error> {
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
    pub(super) fn parse_styles(&mut self, xml: &str) -> std::result::Result<(), quick_xml::Error> {
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
    pub(super) fn paragraph_marker(&mut self, para: ParagraphList) -> Option<String> {
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
    pub(super) fn next_marker(&mut self, num_id: u32, ilvl: usize) -> Option<String> {
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
pub(super) const CN_DIGITS: [char; 10] =
    ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/// Digits 0 to 9 and the units 十 百 千 万 of a Chinese counting style.
pub(super) type CnDigits = ([char; 10], [char; 4]);
pub(super) const CN_COUNTING: CnDigits = (
    ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'],
    ['十', '百', '千', '万'],
);
pub(super) const CN_LEGAL_SIMPLIFIED: CnDigits = (
    ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'],
    ['拾', '佰', '仟', '万'],
);
pub(super) const CN_LEGAL_TRADITIONAL: CnDigits = (
    ['零', '壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'],
    ['拾', '佰', '仟', '萬'],
);

/// `n` as Word draws it in number format `format` (`w:numFmt`); formats
/// not known here, and numbers a format has no sign for, are decimal.
pub(super) fn list_number(n: u32, format: &str) -> String {
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
pub(super) fn cn_counting(n: u32, (digits, units): &CnDigits, drop_one: bool) -> Option<String> {
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
pub(super) fn roman(mut n: u32) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}

//! The numbers of outline markers, and the numbering seen so far per
//! marker style: `三、` after `二、` continues an outline, a `3.` in
//! running text does not.

use rustc_hash::FxHashMap;

use super::super::markers::Style;

/// The numeric value of a marker key: `三` → 3, `（十二）` → 12, `12` → 12,
/// `②` → 2. `None` for keys that carry no number.
pub(super) fn key_value(key: &str) -> Option<u32> {
    let inner = key.trim_start_matches(['（', '(', '第']).trim_end_matches([
        '）', ')', '章', '节', '部', '分', '篇', '是', '阶', '段', '步',
    ]);
    if let Some(c) = inner
        .chars()
        .next()
        .filter(|c| ('\u{2460}'..='\u{2473}').contains(c))
    {
        return Some(c as u32 - 0x2460 + 1);
    }
    if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
        return inner.parse().ok();
    }
    cn_value(inner)
}

/// Value of a Chinese numeral up to 九百九十九 (`十二` = 12, `二十` = 20).
pub(super) fn cn_value(s: &str) -> Option<u32> {
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '零' | '〇' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    if s.is_empty() {
        return None;
    }
    let mut total = 0;
    let mut pending = None;
    for c in s.chars() {
        match c {
            '十' => {
                total += pending.take().unwrap_or(1) * 10;
            }
            '百' => {
                total += pending.take()? * 100;
            }
            _ => {
                if pending.is_some() {
                    return None;
                }
                pending = Some(digit(c)?);
            }
        }
    }
    Some(total + pending.unwrap_or(0))
}

/// Numbering seen so far, per marker style, to tell an outline marker from
/// a number in running text.
#[derive(Default)]
pub(super) struct Numbering {
    last: FxHashMap<Style, u32>,
}

impl Numbering {
    /// Whether `value` starts or continues the numbering of `style`.
    pub(super) fn fits(&self, style: Style, value: u32) -> bool {
        value == 1 || self.last.get(&style).is_some_and(|&last| value == last + 1)
    }

    /// Whether `value` is the next number of `style` (no restart).
    pub(super) fn fits_next(&self, style: Style, value: u32) -> bool {
        self.last.get(&style).is_some_and(|&last| value == last + 1)
    }

    /// The last number seen of `style`.
    pub(super) fn last(&self, style: Style) -> Option<u32> {
        self.last.get(&style).copied()
    }

    pub(super) fn see(&mut self, style: Style, value: u32) {
        self.last.insert(style, value);
    }
}

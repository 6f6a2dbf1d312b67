//! Word .docx reader: the paragraphs of `word/document.xml` in order, with
//! the numbers Word draws before automatically numbered headings and list
//! items (from `numbering.xml` and the paragraph styles), so that an outline
//! numbered by Word reads like one typed by hand.

use std::io::Read;

use crate::error::{Error, Result};

mod numbering;

use numbering::*;

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

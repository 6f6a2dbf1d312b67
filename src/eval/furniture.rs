//! The evaluator's own detector of tasks made of page furniture, kept apart
//! from the cleaning stage's rules.

/// Page furniture an evaluated task must not consist of: site chrome,
/// document-sharing boilerplate, metadata blocks, file and page lines, spam.
/// Kept apart from the cleaning stage's own rules so that the figure is not
/// the cleaner marking its own homework: words and a few line shapes,
/// written without the cleaner's lists. Words that plan text also uses
/// (举报, 侵权, 版权, 客服, 二维码, 棋牌) only in the forms furniture gives them.
const FURNITURE: &[&str] = &[
    // Government-site metadata and chrome.
    "索引号",
    "发布机构",
    "发文机关",
    "发布日期",
    "发布时间",
    "發布時間",
    "发布于",
    "成文日期",
    "主题分类",
    "体裁分类",
    "公开方式",
    "浏览次数",
    "瀏覽次數",
    "访问量",
    "无障碍",
    "关怀版",
    "我的收藏",
    "打印本页",
    "关闭窗口",
    "扫一扫",
    "分享到",
    "当前位置",
    "當前位置",
    "您的位置",
    "现在位置",
    "首页>",
    "首頁>",
    "网站地图",
    "版权所有",
    "ICP备",
    "字号",
    "【打印】",
    "【关闭】",
    "上一篇",
    "下一篇",
    "相关阅读",
    "欢迎访问",
    "欢迎来到",
    "作者:",
    "作者：",
    // Document-sharing sites: metadata, prompts, boilerplate.
    "上传人",
    "上传时间",
    "文档编号",
    "文件大小",
    "总页数",
    "总字数",
    "千字",
    "KB",
    "VIP专",
    "举报非法",
    "相关举报",
    "侵权投诉",
    "如有侵权",
    "侵犯您的",
    "版权说明",
    "版权声明",
    "版权归",
    "版权争议",
    "联系客服",
    "人工客服",
    "网站客服",
    "在线客服",
    "退款",
    "下载文档",
    "下载本文",
    "下载此文档",
    "下载该文档",
    "自行甄别",
    "文档页数",
    "文档简介",
    "文档摘要",
    "资源描述",
    "相关推荐",
    "预览",
    "订单查询",
    "手机查看",
    "手机端",
    "手机扫描二维码",
    "点击",
    "已阅读",
    ".doc",
    "_第",
    "word",
    "由会员",
    "用户上传",
    "网友上传",
    "小编",
    "小編",
    "收藏本站",
    "本站所有",
    "本站提供",
    "本站不",
    "范文",
    "範文",
    "(精选",
    "（精选",
    "(精選",
    "精选优质",
    "精心整理",
    "仅供参考",
    "僅供參考",
    "欢迎阅读",
    "歡迎閱讀",
    "欢迎大家",
    "倾情为你奉上",
    "原创力文档",
    "豆丁",
    "文库",
    "文庫",
    // Spam and markup.
    "id=\"",
    "</",
    "人妻",
    "无码",
    "365bet",
    "www.",
    "http",
    "Copyright",
    "免费试听",
    "QQ:",
    "QQ：",
];

/// Whole lines that are furniture.
const FURNITURE_LINES: &[&str] = &[
    "正文",
    "栏目",
    "举报",
    "海报",
    "分享",
    "收藏",
    "PAGE",
    "政府信息公开",
];

/// Labels of a metadata line (`时间:2020-01-01`, `作者:admin`).
const FURNITURE_LABELS: &[&str] = &[
    "时间", "時間", "作者", "来源", "來源", "标签", "栏目", "大小", "页数", "格式", "ID",
];

/// Whether a line of a task is furniture by its shape: a bare furniture
/// word, a metadata label, or a date and time alone (`2020-01-01 12:00`).
fn is_furniture_line(line: &str) -> bool {
    let labelled = || {
        FURNITURE_LABELS.iter().any(|l| {
            line.strip_prefix(l)
                .is_some_and(|rest| rest.starts_with([':', '：', '|']))
        })
    };
    let date = || {
        line.chars().filter(char::is_ascii_digit).count() >= 6
            && line
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | ':' | '.' | ' '))
    };
    FURNITURE_LINES.contains(&line) || labelled() || date()
}

/// Whether a task that holds no gold unit looks like page furniture: one
/// furniture word or line in a short task or several anywhere, or no
/// Chinese character at all (`1.`, `8.5 KB`, a number).
pub fn is_furniture(text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() {
        return false;
    }
    let words = FURNITURE.iter().filter(|f| text.contains(*f)).count();
    let lines = text
        .lines()
        .map(str::trim)
        .filter(|l| is_furniture_line(l))
        .count();
    let hits = words + lines;
    let short = text.chars().count() < 40;
    let no_chinese = !text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    hits >= 2 || (hits == 1 && short) || (short && no_chinese)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_is_short_chrome_or_many_chrome_words() {
        assert!(is_furniture("索引号：123 发布日期：2020-01-01"));
        assert!(!is_furniture(
            "加强基层医疗卫生服务能力建设，推进家庭医生签约服务，在长句子里提到字号一词的任务仍然是任务而不是页面装饰文字。"
        ));
    }

    #[test]
    fn furniture_of_sharing_sites_metadata_and_spam_is_caught() {
        for t in [
            "时间:2021-03-04 10:20:30\n作者:admin",
            "時間:2021-03-04",
            "上传人:ab**文档编号:1234 格式:DOCX",
            "正文\n正文",
            "栏目\n某某单位年度工作总结",
            "约3.2千字\n约8页\n2021-01-02发布于某省\n举报",
            "某某工作计划方案_第2页\n某某工作计划方案_第3页",
            "下面是小编为大家整理的某某工作计划，仅供参考，欢迎阅读。",
            "如有侵权请联系客服处理，本站不保证内容完整。",
            "<div id=\"ab\"><span id=\"ab\"></span></div>",
            "网站客服QQ:12345678",
            "2021-03-04 10:20",
            "8.56 KB",
            "1.",
            "某某网 www.example.cn",
            "用手机扫描二维码在手机上继续观看\n手机查看",
            "→点击进入免费试听>>",
        ] {
            assert!(is_furniture(t), "{t}");
        }
    }

    #[test]
    fn plan_text_is_not_furniture() {
        for t in [
            "建立健全举报制度，鼓励社会公众参与监督。",
            "严厉打击侵权假冒行为，保障群众用药安全。",
            "推广使用电子健康码二维码，方便群众就医。",
            "开通微信公众号和政府网站专栏，宣传健康知识。",
            "持之以恒、久久为功，推进健康城市建设。",
            "暂停棋牌室、网吧等人员密集场所营业。",
            "时间安排：2021年3月至12月",
            "(一)加强组织领导",
            "三、工作要求",
            "",
        ] {
            assert!(!is_furniture(t), "{t}");
        }
    }
}

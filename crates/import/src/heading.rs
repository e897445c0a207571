//! A paper's title from its first page, for PDFs whose metadata names nothing useful.
//!
//! Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP) open with the issuing body
//! and the national motto, then the number line ("Số: …"), then the document's kind in
//! capitals ("TỜ TRÌNH", "NGHỊ QUYẾT") and its summary ("Về dự toán ngân sách…"). The title
//! is the kind and the summary; for other documents, the first heading in capitals that is
//! not the issuing body or the motto.

/// The longest title taken from a page; a longer run of text is not a heading.
const MAX_TITLE_CHARS: usize = 200;

/// Lines of the header block that are never the title: issuing bodies, the motto, marks.
const HEADER_PREFIXES: [&str; 12] = [
    "ỦY BAN",
    "UỶ BAN",
    "UBND",
    "HỘI ĐỒNG",
    "HĐND",
    "BAN ",
    "SỞ ",
    "CỘNG HÒA",
    "CỘNG HOÀ",
    "ĐỘC LẬP",
    "DỰ THẢO",
    "THÀNH PHỐ",
];

/// Lines that end a summary: the addressee, the legal grounds, an attachment note.
const BODY_PREFIXES: [&str; 4] = ["Kính gửi", "Căn cứ", "(Kèm theo", "Thực hiện"];

/// The title the first page gives, or `None` when it shows no heading.
pub fn title_from_first_page(text: &str) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let number_line = lines
        .iter()
        .position(|l| l.starts_with("Số:") || l.starts_with("Số "));
    let title = match number_line {
        Some(number) => {
            let kind = number + 1 + lines[number + 1..].iter().position(|l| is_capitals(l))?;
            let summary: Vec<&str> = lines[kind + 1..]
                .iter()
                .take_while(|l| !is_capitals(l) && !BODY_PREFIXES.iter().any(|p| l.starts_with(p)))
                .take(3)
                .copied()
                .collect();
            let kind = sentence_case(lines[kind]);
            if summary.is_empty() {
                kind
            } else {
                format!("{kind} {}", lower_first_word(&summary.join(" ")))
            }
        }
        None => sentence_case(
            lines
                .iter()
                .find(|l| is_capitals(l) && !HEADER_PREFIXES.iter().any(|p| l.starts_with(p)))?,
        ),
    };
    (title.chars().count() <= MAX_TITLE_CHARS).then_some(title)
}

/// A line in capitals with at least two letters: how headings and kinds are set.
fn is_capitals(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| !c.is_lowercase())
}

/// "NGHỊ QUYẾT" → "Nghị quyết".
fn sentence_case(line: &str) -> String {
    let lower = line.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "Về dự toán" → "về dự toán": the summary continues the kind's sentence. A word in
/// capitals ("HĐND") is left as it is.
fn lower_first_word(summary: &str) -> String {
    let first = summary.split_whitespace().next().unwrap_or_default();
    if first.chars().skip(1).any(char::is_uppercase) {
        return summary.to_owned();
    }
    let mut chars = summary.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::title_from_first_page;

    #[test]
    fn an_administrative_document_is_titled_by_its_kind_and_summary() {
        let page = "DỰ THẢO\nHỘI ĐỒNG NHÂN DÂN\nTHÀNH PHỐ PHÚ AN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
                    Độc lập - Tự do - Hạnh phúc\nSố: /NQ-HĐND Phú An, ngày tháng 12 năm 2026\n\
                    NGHỊ QUYẾT\nVề dự toán ngân sách nhà nước năm 2027\n\
                    HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ PHÚ AN\nKHÓA XVI, KỲ HỌP THỨ MƯỜI\nCăn cứ Luật…";
        assert_eq!(
            title_from_first_page(page).as_deref(),
            Some("Nghị quyết về dự toán ngân sách nhà nước năm 2027")
        );
    }

    #[test]
    fn a_summary_over_two_lines_stops_at_the_addressee() {
        let page = "ỦY BAN MTTQ VIỆT NAM\nTHÀNH PHỐ PHÚ AN\nSố: 156/BC-MTTQ-BTT Phú An, ngày 24 tháng 11 năm 2026\n\
                    BÁO CÁO\nTổng hợp ý kiến, kiến nghị của cử tri trước Kỳ họp thứ mười,\n\
                    Hội đồng nhân dân thành phố khóa XVI\nKính gửi: Hội đồng nhân dân thành phố Phú An\n";
        assert_eq!(
            title_from_first_page(page).as_deref(),
            Some(
                "Báo cáo tổng hợp ý kiến, kiến nghị của cử tri trước Kỳ họp thứ mười, \
                 Hội đồng nhân dân thành phố khóa XVI"
            )
        );
    }

    #[test]
    fn without_a_number_line_the_first_heading_that_is_not_the_issuer() {
        let page = "ỦY BAN NHÂN DÂN THÀNH PHỐ PHÚ AN\nPHỤ LỤC SỐ LIỆU ĐẦU TƯ CÔNG\nDanh mục dự án…";
        assert_eq!(
            title_from_first_page(page).as_deref(),
            Some("Phụ lục số liệu đầu tư công")
        );
    }

    #[test]
    fn a_page_without_a_heading_gives_none() {
        assert_eq!(title_from_first_page(""), None, "a scan has no text");
        assert_eq!(
            title_from_first_page("Kính gửi các đại biểu,\nxin thông báo lịch họp."),
            None
        );
    }
}

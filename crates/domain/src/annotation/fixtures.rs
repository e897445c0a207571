//! Versions of a draft resolution for the tests: the paragraphs, and a layout that breaks
//! them into lines and pages the way PDFium hands out page text.

use super::paper_text::fold;
use super::{PaperText, TextAnchor};

/// The first version of a draft resolution on the 2027 budget, one string per paragraph
/// (a table row is a paragraph of its own, as the text layer gives it).
pub(crate) const DRAFT: &[&str] = &[
    "HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ",
    "NGHỊ QUYẾT Về dự toán ngân sách địa phương năm 2027",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;",
    "Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015;",
    "Xét Tờ trình số 215/TTr-UBND ngày 20 tháng 11 năm 2026 của Ủy ban nhân dân thành phố về dự toán ngân sách địa phương năm 2027; Báo cáo thẩm tra của Ban Kinh tế - Ngân sách Hội đồng nhân dân thành phố; ý kiến thảo luận của đại biểu Hội đồng nhân dân thành phố tại kỳ họp.",
    "Điều 1. Phê chuẩn dự toán thu ngân sách nhà nước trên địa bàn năm 2027 là 12.450 tỷ đồng, trong đó thu nội địa 10.870 tỷ đồng, thu từ hoạt động xuất nhập khẩu 1.580 tỷ đồng.",
    "Điều 2. Phê chuẩn dự toán chi ngân sách địa phương năm 2027 là 9.315 tỷ đồng, trong đó chi đầu tư phát triển 3.596 tỷ đồng, chi thường xuyên 5.402 tỷ đồng, dự phòng ngân sách 317 tỷ đồng.",
    "Bảng 1. Dự toán chi theo đơn vị (triệu đồng)",
    "STT Đơn vị Chi thường xuyên Chi đầu tư Dự phòng Tổng cộng",
    "1 Quận 1 31.939 40.253 115 72.307",
    "2 Quận 3 63.767 20.812 102 84.681",
    "3 Quận 5 3.597 53.137 572 57.306",
    "4 Quận 7 8.713 29.588 410 38.711",
    "Điều 3. Tổ chức thực hiện",
    "1. Giao Ủy ban nhân dân thành phố tổ chức thực hiện Nghị quyết này. Điều hành ngân sách chủ động, tiết kiệm, hiệu quả. Báo cáo Hội đồng nhân dân thành phố kết quả thực hiện tại kỳ họp cuối năm.",
    "2. Giao Thường trực Hội đồng nhân dân, các Ban và đại biểu Hội đồng nhân dân thành phố giám sát việc thực hiện Nghị quyết này.",
    "Điều 4. Hiệu lực thi hành",
    "Nghị quyết này đã được Hội đồng nhân dân thành phố khóa X, kỳ họp thứ 12 thông qua ngày 10 tháng 12 năm 2026 và có hiệu lực kể từ ngày ký.",
];

/// Lays paragraphs out in lines of at most `width` characters and pages of `lines_per_page`
/// lines, lines ending in `\r\n` inside a page, as PDFium's page text does.
pub(crate) fn layout(paragraphs: &[&str], width: usize, lines_per_page: usize) -> PaperText {
    let mut lines = Vec::new();
    for paragraph in paragraphs {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    let pages: Vec<String> = lines
        .chunks(lines_per_page)
        .map(|page| page.join("\r\n"))
        .collect();
    PaperText::new(&pages)
}

/// The whole-text range of the `occurrence`-th (from 0) place that reads `quote`, whatever
/// the line and page breaks in between.
pub(crate) fn find(text: &PaperText, quote: &str, occurrence: usize) -> (usize, usize) {
    let folded = text.folded();
    let quote: String = fold(quote).into_iter().collect();
    let byte = folded
        .text
        .match_indices(&quote)
        .nth(occurrence)
        .unwrap_or_else(|| panic!("{quote:?} does not occur {} times", occurrence + 1))
        .0;
    let start = folded.char_at_byte(byte);
    folded.range_to_whole(start, start + quote.chars().count(), text.len())
}

/// A mark made on the `occurrence`-th place that reads `quote`.
pub(crate) fn mark(text: &PaperText, quote: &str, occurrence: usize) -> TextAnchor {
    let (start, end) = find(text, quote, occurrence);
    text.anchor(start, end)
}

/// The text of a range with its line and page breaks read as spaces.
pub(crate) fn read(text: &PaperText, start: usize, end: usize) -> String {
    fold(&text.slice(start, end)).into_iter().collect()
}

/// The draft with `edit` applied to its paragraph list.
pub(crate) fn amended(edit: impl FnOnce(&mut Vec<&'static str>)) -> Vec<&'static str> {
    let mut paragraphs = DRAFT.to_vec();
    edit(&mut paragraphs);
    paragraphs
}

"""Section "tổng hợp thông tin báo chí": the council office's summary of what the (invented)
local press wrote before the session."""

from blocks import P, header, heading, paras, signature, title
from common import build, dec, num
from figures import budget
from texts import OFFICE_HEAD

OFFICE = [("ĐOÀN ĐBQH VÀ HĐND", False), ("THÀNH PHỐ PHÚ AN", False), ("VĂN PHÒNG", True)]


def _articles():
    b = budget()
    total = b["total"]
    return [
        ("I. THÔNG TIN VỀ CHUẨN BỊ KỲ HỌP", [
            ("Kỳ họp thứ mười Hội đồng nhân dân thành phố xem xét nhiều nội dung quan trọng",
             "Báo Phú An điện tử, ngày 17/11/2026",
             "Theo Thường trực Hội đồng nhân dân thành phố, Kỳ họp thứ mười sẽ xem xét, quyết "
             "định dự toán ngân sách nhà nước năm 2027, điều chỉnh kế hoạch đầu tư công trung hạn "
             "giai đoạn 2026 - 2030 và một số nội dung về công tác cán bộ; dành thời lượng thích "
             "đáng cho hoạt động chất vấn. Kỳ họp tiếp tục được tổ chức theo hình thức phòng họp "
             "không giấy, toàn bộ tài liệu được gửi đến đại biểu qua hệ thống điện tử."),
            ("Phòng họp không giấy: tiết kiệm và minh bạch hơn",
             "Đài Phát thanh và Truyền hình Phú An, bản tin thời sự tối ngày 19/11/2026",
             "Phóng sự ghi nhận sau hơn một năm áp dụng, việc phát hành tài liệu điện tử giúp "
             "tiết kiệm đáng kể chi phí in ấn, rút ngắn thời gian gửi tài liệu đến đại biểu. Một "
             "số đại biểu lớn tuổi cho biết ban đầu còn lúng túng khi sử dụng máy tính bảng, nhưng "
             "đã quen sau các buổi tập huấn do Văn phòng tổ chức. Đại biểu đề nghị tiếp tục nâng "
             "cấp đường truyền tại hội trường và tính năng tra cứu tài liệu."),
            ("Cử tri kỳ vọng gì ở kỳ họp cuối năm?",
             "Báo Phú An điện tử, ngày 21/11/2026",
             "Bài viết tổng hợp ý kiến cử tri tại các buổi tiếp xúc trước kỳ họp, tập trung vào "
             "tình trạng ngập úng, tiến độ các dự án giao thông, bồi thường giải phóng mặt bằng "
             "và thủ tục hành chính sau sắp xếp đơn vị hành chính. Cử tri mong muốn đại biểu chất "
             "vấn thẳng thắn, làm rõ trách nhiệm và thời hạn giải quyết từng kiến nghị."),
        ]),
        ("II. KINH TẾ, TÀI CHÍNH, NGÂN SÁCH", [
            ("Thu ngân sách năm 2026 ước đạt dự toán",
             "Tạp chí Kinh tế và Đô thị Phú An, số ra ngày 12/11/2026",
             f"Tổng thu ngân sách nhà nước trên địa bàn năm 2026 ước đạt {num(total[1])} triệu "
             f"đồng, bằng {dec(total[1] / total[0] * 100)}% dự toán. Theo Sở Tài chính, thu từ "
             "khu vực kinh tế ngoài quốc doanh và thuế thu nhập cá nhân tăng khá, trong khi thu "
             "tiền sử dụng đất còn gặp khó khăn do thị trường bất động sản phục hồi chậm."),
            ("Giải ngân vốn đầu tư công: nhiều chủ đầu tư vẫn chậm",
             "Báo Phú An điện tử, ngày 14/11/2026",
             "Đến giữa tháng 11, tỷ lệ giải ngân vốn đầu tư công của thành phố mới đạt khoảng 68% "
             "kế hoạch. Nguyên nhân chủ yếu là vướng mắc trong giải phóng mặt bằng, thủ tục điều "
             "chỉnh dự án và năng lực của một số nhà thầu. Ủy ban nhân dân thành phố yêu cầu các "
             "chủ đầu tư cam kết tiến độ giải ngân đến ngày 31 tháng 01 năm 2027."),
            ("Dự toán năm 2027: ưu tiên hạ tầng thoát nước và trường học",
             "Đài Phát thanh và Truyền hình Phú An, ngày 20/11/2026",
             f"Dự toán chi đầu tư phát triển năm 2027 là {num(b['invest_total'])} triệu đồng, tập "
             "trung cho các dự án thoát nước chống ngập, đường giao thông kết nối và trường học. "
             "Chuyên gia kinh tế khuyến nghị cần thận trọng với dự toán thu tiền sử dụng đất và "
             "có phương án điều hành khi nguồn thu không đạt."),
        ]),
        ("III. ĐÔ THỊ, ĐẤT ĐAI VÀ MÔI TRƯỜNG", [
            ("Ngập sâu sau mưa lớn, người dân phường Bình Minh bức xúc",
             "Báo Phú An điện tử, ngày 08/11/2026",
             "Sau trận mưa lớn chiều ngày 07/11, nhiều tuyến đường tại phường Bình Minh ngập sâu "
             "từ 30 đến 50 cm, giao thông ùn tắc kéo dài. Người dân phản ánh tình trạng này lặp "
             "lại nhiều năm; Ủy ban nhân dân phường cho biết dự án cải tạo hệ thống thoát nước "
             "khu vực đã có trong kế hoạch đầu tư công trung hạn."),
            ("Sạt lở bờ sông Tam Giang đe dọa nhiều hộ dân",
             "Đài Phát thanh và Truyền hình Phú An, ngày 10/11/2026",
             "Đoạn bờ sông Tam Giang qua xã Tam Giang bị sạt lở dài khoảng 200 m, ảnh hưởng đến "
             "an toàn của 17 hộ dân. Chính quyền địa phương đã cắm biển cảnh báo, di dời tạm thời "
             "các hộ trong vùng nguy hiểm và đề xuất thành phố bố trí vốn xây dựng kè."),
            ("Đẩy nhanh tiến độ cấp giấy chứng nhận quyền sử dụng đất",
             "Cổng Thông tin điện tử thành phố, ngày 15/11/2026",
             "Sở Nông nghiệp và Môi trường cho biết đã tháo gỡ vướng mắc cho hơn 1.200 hồ sơ tồn "
             "đọng; thời gian giải quyết trung bình giảm còn 15 ngày làm việc. Sở đề nghị các "
             "phường, xã tăng cường phối hợp trong khâu xác minh nguồn gốc đất."),
        ]),
        ("IV. VĂN HÓA - XÃ HỘI VÀ CẢI CÁCH HÀNH CHÍNH", [
            ("Trạm y tế sau sắp xếp: nơi thiếu bác sĩ, nơi thiếu thuốc",
             "Báo Phú An điện tử, ngày 13/11/2026",
             "Một số trạm y tế tại các xã còn thiếu bác sĩ, danh mục thuốc bảo hiểm y tế chưa "
             "đáp ứng nhu cầu khám, chữa bệnh của người dân. Sở Y tế cho biết đang luân phiên "
             "bác sĩ từ tuyến trên về hỗ trợ và đề xuất bổ sung biên chế năm 2027."),
            ("Trung tâm phục vụ hành chính công phường, xã vận hành ổn định",
             "Cổng Thông tin điện tử thành phố, ngày 18/11/2026",
             "Sau sắp xếp, các trung tâm phục vụ hành chính công cấp xã đã tiếp nhận hơn 96.000 "
             "hồ sơ, tỷ lệ giải quyết đúng hạn đạt trên 97%. Người dân đánh giá cao việc tiếp "
             "nhận hồ sơ không phụ thuộc địa giới hành chính; tuy vậy, một số nơi còn quá tải vào "
             "đầu tuần."),
        ]),
    ]


def press_summary(path):
    s = header(OFFICE, "Số: 128/BC-VP", 25, 11)
    s += title("BẢN TỔNG HỢP THÔNG TIN BÁO CHÍ",
               "Trước Kỳ họp thứ mười, Hội đồng nhân dân thành phố khóa XVI")
    s.append(P("(Từ ngày 01 đến ngày 24 tháng 11 năm 2026)", "center_italic"))
    s += paras([
        "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân thành phố tổng hợp các thông "
        "tin báo chí, dư luận đáng chú ý liên quan đến nội dung Kỳ họp thứ mười, phục vụ các "
        "vị đại biểu nghiên cứu, chuẩn bị ý kiến thảo luận và chất vấn."])
    for section, articles in _articles():
        s.append(heading(section))
        for i, (head, source, summary) in enumerate(articles, 1):
            s.append(P(f"{i}. {head}", "press_title"))
            s.append(P(source, "press_src"))
            s.append(P(summary, "body"))
    s.append(heading("V. DƯ LUẬN TRÊN MẠNG XÃ HỘI"))
    s += paras([
        "Trên các trang mạng xã hội, nhiều ý kiến quan tâm đến tình trạng ngập úng, tiến độ "
        "các công trình giao thông và chất lượng phục vụ tại các trung tâm hành chính công "
        "cấp xã. Phần lớn ý kiến mang tính xây dựng; một số thông tin chưa được kiểm chứng về "
        "việc điều chỉnh quy hoạch đã được cơ quan chức năng cung cấp thông tin chính thức để "
        "định hướng dư luận."])
    s.append(heading("VI. NHẬN XÉT VÀ ĐỀ XUẤT"))
    s += paras([
        "Các cơ quan báo chí phản ánh kịp thời, khách quan công tác chuẩn bị kỳ họp và những "
        "vấn đề cử tri quan tâm. Văn phòng đề xuất Thường trực Hội đồng nhân dân thành phố xem "
        "xét đưa các vấn đề về ngập úng, giải ngân vốn đầu tư công và nhân lực y tế cơ sở vào "
        "nội dung chất vấn tại kỳ họp; tiếp tục phối hợp với các cơ quan báo chí thông tin đầy "
        "đủ về kết quả kỳ họp./."])
    s += signature(["CHÁNH VĂN PHÒNG"], OFFICE_HEAD, [
        "Thường trực HĐND thành phố;", "Các Ban của HĐND thành phố;",
        "Đại biểu HĐND thành phố;", "Lưu: VT, TH."])
    return build(path, s, "Tổng hợp thông tin báo chí trước Kỳ họp thứ mười",
                 "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân thành phố Phú An")

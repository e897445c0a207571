"""The confidential personnel submission and the announcement of the session."""

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from blocks import (HDND, UBND, P, Stamp, data_table, heading, header, paras, recipient,
                    signature, title)
from common import build
from texts import HDND_CHAIR, UBND_CHAIR

SESSION_DAY = "ngày 08 tháng 12 năm 2026"

CANDIDATES = [
    ("Phan Minh Tuấn", "1968", "Xã Tây Sơn, thành phố Phú An", "Thạc sĩ Quản lý công",
     "Cao cấp", "Phó Chủ tịch UBND thành phố", "Miễn nhiệm Phó Chủ tịch UBND thành phố"),
    ("Lâm Quốc Việt", "1975", "Phường Đông Hải, thành phố Phú An",
     "Tiến sĩ Kỹ thuật xây dựng", "Cao cấp", "Giám đốc Sở Xây dựng",
     "Bầu giữ chức Phó Chủ tịch UBND thành phố"),
    ("Đinh Thị Thu Trang", "1966", "Phường Hòa Bình, thành phố Phú An", "Cử nhân Luật",
     "Cao cấp", "Giám đốc Sở Nội vụ, Ủy viên UBND thành phố",
     "Miễn nhiệm Ủy viên UBND thành phố"),
    ("Tạ Hữu Nghĩa", "1979", "Xã Lộc Thọ, thành phố Phú An", "Thạc sĩ Hành chính công",
     "Cao cấp", "Phó Giám đốc phụ trách Sở Nội vụ", "Bầu làm Ủy viên UBND thành phố"),
]


def personnel(path):
    """Tờ trình về công tác cán bộ: confidential (MẬT), only for named readers."""
    secret = Stamp("MẬT", size=12, align="centre")
    s = header(UBND, "Số: 318/TTr-UBND", 6, 11, under_number=secret)
    s += title("TỜ TRÌNH", "Về công tác cán bộ")
    s += recipient("Hội đồng nhân dân thành phố Phú An")
    s += paras([
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
        "Căn cứ quy định của Chính phủ về số lượng Phó Chủ tịch Ủy ban nhân dân và quy trình, "
        "thủ tục bầu, từ chức, miễn nhiệm, bãi nhiệm, điều động, cách chức thành viên Ủy ban "
        "nhân dân;",
        "Căn cứ Thông báo của Ban Thường vụ Thành ủy về công tác cán bộ;"], "basis")
    s += paras(["Ủy ban nhân dân thành phố kính trình Hội đồng nhân dân thành phố xem xét các "
                "nội dung về công tác cán bộ như sau:"])
    s.append(heading("I. SỰ CẦN THIẾT"))
    s += paras([
        "Ông Phan Minh Tuấn, Phó Chủ tịch Ủy ban nhân dân thành phố, được Ban Thường vụ Thành "
        "ủy điều động, phân công giữ chức vụ Trưởng Ban Tổ chức Thành ủy; bà Đinh Thị Thu "
        "Trang, Giám đốc Sở Nội vụ, Ủy viên Ủy ban nhân dân thành phố, có quyết định nghỉ hưu "
        "theo chế độ từ ngày 01 tháng 01 năm 2027.",
        "Để bảo đảm số lượng, cơ cấu thành viên Ủy ban nhân dân thành phố và sự lãnh đạo, "
        "điều hành liên tục trên các lĩnh vực được phân công, việc miễn nhiệm và bầu bổ sung "
        "các chức danh nêu trên tại Kỳ họp thứ mười là cần thiết, đúng quy định."])
    s.append(heading("II. NỘI DUNG ĐỀ NGHỊ"))
    s += paras([
        "1. Miễn nhiệm chức vụ Phó Chủ tịch Ủy ban nhân dân thành phố đối với ông Phan Minh "
        "Tuấn, do được điều động nhận nhiệm vụ mới.",
        "2. Bầu bổ sung ông Lâm Quốc Việt, Giám đốc Sở Xây dựng, giữ chức vụ Phó Chủ tịch Ủy "
        "ban nhân dân thành phố nhiệm kỳ 2026 - 2031.",
        "3. Miễn nhiệm chức vụ Ủy viên Ủy ban nhân dân thành phố đối với bà Đinh Thị Thu Trang, "
        "do nghỉ hưu theo chế độ.",
        "4. Bầu bổ sung ông Tạ Hữu Nghĩa, Phó Giám đốc phụ trách Sở Nội vụ, làm Ủy viên Ủy ban "
        "nhân dân thành phố nhiệm kỳ 2026 - 2031.",
        "Các nhân sự được giới thiệu đã được Ban Thường vụ Thành ủy thống nhất chủ trương; có "
        "phẩm chất chính trị, đạo đức, lối sống tốt, đủ tiêu chuẩn, điều kiện theo quy định. "
        "Tóm tắt lý lịch như sau:"])
    rows = [[str(i), *c] for i, c in enumerate(CANDIDATES, 1)]
    s.append(data_table(["STT", "Họ và tên", "Năm sinh", "Quê quán", "Trình độ chuyên môn",
                         "Lý luận chính trị", "Chức vụ hiện nay", "Nội dung đề nghị"], rows,
                        [0.06, 0.13, 0.08, 0.15, 0.15, 0.09, 0.17, 0.17], "clclllll"))
    s.append(heading("III. HỒ SƠ KÈM THEO"))
    s += paras([
        "- Thông báo của Ban Thường vụ Thành ủy về công tác cán bộ;",
        "- Sơ yếu lý lịch, bản kê khai tài sản, thu nhập của người được giới thiệu bầu;",
        "- Dự thảo các Nghị quyết về miễn nhiệm, bầu bổ sung thành viên Ủy ban nhân dân thành "
        "phố.",
        "Ủy ban nhân dân thành phố kính trình Hội đồng nhân dân thành phố xem xét, quyết định./."])
    s += signature(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], UBND_CHAIR, [
        "Như trên;", "Thường trực Thành ủy;", "Ban Tổ chức Thành ủy;",
        "Thường trực HĐND thành phố;", "Lưu: VT, NC (Mật)."])
    s.append(Spacer(1, 6 * mm))
    s.append(P("Tài liệu mật, chỉ phát cho người có tên trong danh sách; không sao chụp, "
               "không chuyển tiếp.", "note"))
    return build(path, s, "Tờ trình về công tác cán bộ", "Ủy ban nhân dân thành phố Phú An",
                 mark="MẬT")


def announcement(path, meeting):
    """Thông báo về việc tổ chức Kỳ họp thứ mười; the agenda comes from council.json."""
    s = header(HDND, "Số: 52/TB-HĐND", 16, 11)
    s += title("THÔNG BÁO", "Về việc tổ chức Kỳ họp thứ mười,",
               "Hội đồng nhân dân thành phố khóa XVI")
    s += paras([
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025 và Nghị quyết của "
        "Hội đồng nhân dân thành phố về chương trình giám sát, chương trình kỳ họp năm 2026, "
        "Thường trực Hội đồng nhân dân thành phố thông báo việc tổ chức Kỳ họp thứ mười, Hội "
        "đồng nhân dân thành phố khóa XVI như sau:",
        f"<b>1. Thời gian:</b> Kỳ họp dự kiến diễn ra trong 01 ngày, khai mạc lúc "
        f"{meeting['local_start'].replace(':', ' giờ ')}, {SESSION_DAY}.",
        f"<b>2. Địa điểm:</b> {meeting['location']}.",
        "<b>3. Nội dung kỳ họp:</b>"])
    for i, item in enumerate(meeting["agenda"], 1):
        s += paras([f"- {item['title']}."], "bullet")
    s += paras([
        "<b>4. Thành phần:</b> Đại biểu Hội đồng nhân dân thành phố; đại diện lãnh đạo Thành "
        "ủy, Ủy ban nhân dân, Ủy ban Mặt trận Tổ quốc Việt Nam thành phố; đại biểu Quốc hội "
        "đơn vị thành phố; lãnh đạo các sở, ban, ngành và Thường trực Hội đồng nhân dân các "
        "phường, xã.",
        "<b>5. Tài liệu kỳ họp:</b> Tài liệu được gửi đến đại biểu qua hệ thống phòng họp không "
        "giấy. Đại biểu đăng nhập bằng tài khoản đã được cấp để nghiên cứu tài liệu, chuẩn bị ý "
        "kiến thảo luận trước kỳ họp; tài liệu bổ sung, nếu có, sẽ được cập nhật trên hệ thống.",
        "Đề nghị các vị đại biểu Hội đồng nhân dân thành phố sắp xếp công việc để tham dự đầy "
        "đủ kỳ họp; trường hợp vắng mặt phải báo cáo bằng văn bản và nêu rõ lý do gửi Thường "
        "trực Hội đồng nhân dân thành phố trước ngày khai mạc kỳ họp./."])
    s += signature(["TM. THƯỜNG TRỰC HĐND", "CHỦ TỊCH"], HDND_CHAIR, [
        "Thường trực Thành ủy;", "UBND thành phố;", "Ủy ban MTTQ Việt Nam thành phố;",
        "Đại biểu HĐND thành phố;", "Các sở, ban, ngành thành phố;",
        "Thường trực HĐND các phường, xã;", "Lưu: VT."])
    return build(path, s, "Thông báo về việc tổ chức Kỳ họp thứ mười",
                 "Thường trực Hội đồng nhân dân thành phố Phú An")

"""Item "Dự toán ngân sách nhà nước năm 2027": the review report (báo cáo thẩm tra) of the
council's Economy and Budget Committee."""

import random

from blocks import (BAN_KTNS, caption, data_table, heading, header, paras, recipient, signature,
                    subheading, title, unit_line)
from budget_papers import REVIEW_NO, SUBMISSION_DATE, SUBMISSION_NO
from budget_tables import spending_rows
from common import build, dec, num
from figures import budget
from texts import KTNS_HEAD, REVIEW_AGREE, REVIEW_CONCERNS, SOLUTIONS, paragraphs


def _indicators(b):
    rows = spending_rows(b)
    land = b["revenue"][10]
    lines = [
        ("1", "Tổng thu ngân sách nhà nước trên địa bàn", b["total"][1], b["total"][2]),
        ("", "- Thu nội địa", b["domestic"][1], b["domestic"][2]),
        ("", "- Trong đó: thu tiền sử dụng đất", land[2], land[3]),
        ("", "- Thu từ hoạt động xuất khẩu, nhập khẩu", b["import_export"][1],
         b["import_export"][2]),
        ("2", "Tổng chi ngân sách địa phương", rows[0][2], rows[0][3]),
        ("", "- Chi đầu tư phát triển", rows[2][2], rows[2][3]),
        ("", "- Chi thường xuyên", rows[3 + len(b["invest"])][2], rows[3 + len(b["invest"])][3]),
        ("", "- Dự phòng ngân sách", rows[-3][2], rows[-3][3]),
        ("3", "Bội chi ngân sách địa phương", 300_000, b["deficit"]),
    ]
    data = [[stt, name, num(old), num(new), dec((new / old - 1) * 100)]
            for stt, name, old, new in lines]
    table = data_table(
        ["STT", "Chỉ tiêu", "Năm 2026 (ước thực hiện/dự toán)", "Dự toán năm 2027",
         "Tăng, giảm (%)"],
        data, [0.07, 0.45, 0.18, 0.15, 0.15], "clrrr", bold_rows={0, 4, 8},
        italic_rows={1, 2, 3, 5, 6, 7})
    return [caption("MỘT SỐ CHỈ TIÊU CHỦ YẾU CỦA DỰ TOÁN NĂM 2027"), unit_line(), table]


def _recurrent(b):
    total = b["recurrent_total"]
    rows = [[str(i), name, num(v), dec(v / total * 100)]
            for i, (name, v) in enumerate(b["recurrent"], 1)]
    rows.insert(0, ["", "TỔNG CHI THƯỜNG XUYÊN", num(total), "100,0"])
    table = data_table(["STT", "Lĩnh vực chi", "Dự toán năm 2027", "Tỷ trọng (%)"], rows,
                       [0.08, 0.58, 0.18, 0.16], "clrr", bold_rows={0}, shade_rows={0})
    return [caption("CƠ CẤU CHI THƯỜNG XUYÊN NĂM 2027 THEO LĨNH VỰC"), unit_line(), table]


def review_report(path, seed=103):
    rng = random.Random(seed)
    b = budget()
    s = header(BAN_KTNS, f"Số: {REVIEW_NO}", 20, 11)
    s += title("BÁO CÁO", "Thẩm tra dự toán ngân sách nhà nước năm 2027")
    s += recipient("Hội đồng nhân dân thành phố Phú An")
    s += paras([
        "Thực hiện Luật Tổ chức chính quyền địa phương, Luật Ngân sách nhà nước và sự phân "
        "công của Thường trực Hội đồng nhân dân thành phố, Ban Kinh tế – Ngân sách đã thẩm tra "
        f"Tờ trình số {SUBMISSION_NO} {SUBMISSION_DATE} của Ủy ban nhân dân thành phố về dự "
        "toán ngân sách nhà nước năm 2027 và dự thảo Nghị quyết kèm theo.",
        "Ngày 18 tháng 11 năm 2026, Ban tổ chức phiên họp thẩm tra với sự tham dự của đại diện "
        "Thường trực Hội đồng nhân dân thành phố, Sở Tài chính, Thuế thành phố, Kho bạc Nhà "
        "nước khu vực và một số cơ quan, đơn vị có liên quan. Trên cơ sở nội dung tờ trình, "
        "báo cáo giải trình của cơ quan soạn thảo và kết quả khảo sát thực tế tại một số "
        "phường, xã, Ban Kinh tế – Ngân sách báo cáo kết quả thẩm tra như sau:"])

    s.append(heading("I. VỀ TÌNH HÌNH THỰC HIỆN DỰ TOÁN NGÂN SÁCH NĂM 2026"))
    total = b["total"]
    s += paras([
        f"Tổng thu ngân sách nhà nước trên địa bàn năm 2026 ước đạt {num(total[1])} triệu "
        f"đồng, bằng {dec(total[1] / total[0] * 100)}% dự toán. " + REVIEW_AGREE[0] + " "
        + REVIEW_AGREE[4]])
    s += paras(paragraphs(rng, REVIEW_CONCERNS[1:4], 1, per=(2, 3)))
    s += paras([
        "Ban đề nghị Ủy ban nhân dân thành phố đánh giá rõ hơn nguyên nhân chủ quan, khách "
        "quan của các khoản thu không đạt dự toán; làm rõ trách nhiệm của các chủ đầu tư có "
        "tỷ lệ giải ngân thấp và có giải pháp cụ thể để hoàn thành kế hoạch vốn năm 2026 "
        "trước ngày 31 tháng 01 năm 2027."])

    s.append(heading("II. VỀ DỰ TOÁN NGÂN SÁCH NHÀ NƯỚC NĂM 2027"))
    s.append(subheading("1. Về căn cứ, nguyên tắc xây dựng dự toán"))
    s += paras([REVIEW_AGREE[1] + " " + REVIEW_AGREE[2]])
    s += _indicators(b)
    s.append(subheading("2. Về dự toán thu ngân sách"))
    land = b["revenue"][10]
    s += paras([
        f"Dự toán thu ngân sách nhà nước trên địa bàn năm 2027 là {num(total[2])} triệu đồng, "
        f"tăng {dec((total[2] / total[1] - 1) * 100)}% so với ước thực hiện năm 2026. Ban "
        "nhận thấy mức dự toán này phù hợp với dự báo tăng trưởng kinh tế và khả năng khai "
        "thác nguồn thu trên địa bàn.",
        f"Riêng thu tiền sử dụng đất dự toán {num(land[3])} triệu đồng. "
        + REVIEW_CONCERNS[0] + " Ban đề nghị Ủy ban nhân dân thành phố rà soát danh mục các "
        "khu đất dự kiến đấu giá năm 2027, chỉ bố trí chi đầu tư từ nguồn này khi bảo đảm "
        "chắc chắn về nguồn thu, đồng thời có phương án điều hành khi nguồn thu không đạt."])
    s.append(subheading("3. Về dự toán chi ngân sách"))
    s += paras([
        f"Tổng chi ngân sách địa phương năm 2027 là {num(b['spending'])} triệu đồng. "
        + REVIEW_AGREE[3] + " " + REVIEW_AGREE[5],
        f"Dự phòng ngân sách {num(b['contingency'])} triệu đồng, bằng "
        f"{dec(b['contingency'] / b['balanced'] * 100)}% tổng chi cân đối, nằm trong giới hạn "
        "quy định của Luật Ngân sách nhà nước."])
    s += paras([
        f"a) Chi đầu tư phát triển {num(b['invest_total'])} triệu đồng, chiếm "
        f"{dec(b['invest_total'] / b['balanced'] * 100)}% tổng chi cân đối. Ban đề nghị ưu "
        "tiên bố trí vốn thanh toán nợ đọng xây dựng cơ bản, vốn đối ứng các dự án ODA và các "
        "dự án chuyển tiếp hoàn thành trong năm 2027; hạn chế khởi công mới các dự án chưa "
        "hoàn thiện thủ tục đầu tư, không bố trí vốn dàn trải, kéo dài.",
        f"b) Chi thường xuyên {num(b['recurrent_total'])} triệu đồng. Cơ cấu chi theo lĩnh vực "
        "như bảng dưới đây. Ban đề nghị tiếp tục thực hiện tiết kiệm 10% chi thường xuyên để "
        "tạo nguồn cải cách tiền lương; rà soát định mức phân bổ cho các phường, xã mới sau "
        "sắp xếp, bảo đảm đủ kinh phí hoạt động của bộ phận một cửa và công tác chuyển đổi số."])
    s += _recurrent(b)
    s += paras(paragraphs(rng, REVIEW_CONCERNS[3:], 2, per=(2, 2)))
    s.append(subheading("4. Về bội chi và vay, trả nợ"))
    s += paras([
        f"Bội chi ngân sách địa phương {num(b['deficit'])} triệu đồng, tổng mức vay "
        f"{num(b['borrowing'])} triệu đồng, trong giới hạn dư nợ vay cho phép. Ban đề nghị "
        "chỉ sử dụng nguồn vay cho các dự án đầu tư phát triển đã có trong kế hoạch đầu tư "
        "công trung hạn và có phương án trả nợ rõ ràng."])

    s.append(heading("III. VỀ DỰ THẢO NGHỊ QUYẾT"))
    s += paras([
        "Ban cơ bản thống nhất với bố cục và nội dung dự thảo Nghị quyết. Đề nghị cơ quan soạn "
        "thảo bổ sung vào Điều 2 giải pháp về quản lý, sử dụng tài sản công sau sắp xếp đơn vị "
        "hành chính; rà soát, thống nhất số liệu giữa tờ trình, dự thảo Nghị quyết và các phụ "
        "lục kèm theo trước khi trình Hội đồng nhân dân thành phố thông qua."])

    s.append(heading("IV. KIẾN NGHỊ"))
    s += paras(["Để thực hiện thắng lợi dự toán ngân sách năm 2027, Ban Kinh tế – Ngân sách "
                "kiến nghị Ủy ban nhân dân thành phố chỉ đạo thực hiện tốt các nội dung sau:"])
    s += paras([f"{i}. {t}" for i, t in enumerate(SOLUTIONS[:5], 1)])
    s += paras([
        "Ban Kinh tế – Ngân sách kính trình Hội đồng nhân dân thành phố xem xét, quyết định./."])
    s += signature(["TM. BAN KINH TẾ – NGÂN SÁCH", "TRƯỞNG BAN"], KTNS_HEAD, [
        "Thường trực HĐND thành phố;", "UBND thành phố;", "Các Ban của HĐND thành phố;",
        "Đại biểu HĐND thành phố;", "Sở Tài chính;", "Lưu: VT, Ban KTNS."])
    return build(path, s, "Báo cáo thẩm tra của Ban Kinh tế – Ngân sách",
                 "Ban Kinh tế – Ngân sách, Hội đồng nhân dân thành phố Phú An")

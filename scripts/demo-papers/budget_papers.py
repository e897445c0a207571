"""Item "Dự toán ngân sách nhà nước năm 2027": the submission (tờ trình) and the draft
resolution (dự thảo nghị quyết). The review report is in review_report.py."""

import random

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from blocks import (HDND, UBND, P, article, heading, header, paras, recipient, signature,
                    subheading, title)
from budget_tables import balance_table, revenue_table, spending_rows, spending_table, ward_table
from common import BLANK, build, dec, num
from figures import budget
from texts import BUDGET_ASSESS, BUDGET_PRINCIPLES, HDND_CHAIR, SOLUTIONS, UBND_CHAIR, paragraphs

SUBMISSION_NO = "312/TTr-UBND"
SUBMISSION_DATE = "ngày 05 tháng 11 năm 2026"
REVIEW_NO = "87/BC-KTNS"
REVIEW_DATE = "ngày 20 tháng 11 năm 2026"

LEGAL_BASIS = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2025;",
    "Căn cứ Luật Đầu tư công ngày 29 tháng 11 năm 2024;",
    "Căn cứ các nghị định của Chính phủ quy định chi tiết thi hành Luật Ngân sách nhà nước;",
    "Căn cứ văn bản của Bộ Tài chính hướng dẫn xây dựng dự toán ngân sách nhà nước năm 2027 "
    "và kế hoạch tài chính - ngân sách nhà nước 03 năm 2027 - 2029;",
]


def _share(part, whole):
    return dec(part / whole * 100)


def submission(path, seed=101):
    rng = random.Random(seed)
    b = budget()
    total, dom = b["total"], b["domestic"]
    s = header(UBND, f"Số: {SUBMISSION_NO}", 5, 11)
    s += title("TỜ TRÌNH", "Về dự toán ngân sách nhà nước năm 2027")
    s += recipient("Hội đồng nhân dân thành phố Phú An")
    s += paras(LEGAL_BASIS)
    s += paras(["Ủy ban nhân dân thành phố kính trình Hội đồng nhân dân thành phố xem xét, "
                "quyết định dự toán ngân sách nhà nước năm 2027 như sau:"])

    s.append(heading("I. TÌNH HÌNH THỰC HIỆN DỰ TOÁN NGÂN SÁCH NHÀ NƯỚC NĂM 2026"))
    s.append(subheading("1. Về thu ngân sách nhà nước"))
    s += paras([
        f"Tổng thu ngân sách nhà nước trên địa bàn năm 2026 ước thực hiện {num(total[1])} "
        f"triệu đồng, đạt {_share(total[1], total[0])}% dự toán Hội đồng nhân dân thành phố "
        f"giao. Trong đó, thu nội địa ước đạt {num(dom[1])} triệu đồng, bằng "
        f"{_share(dom[1], dom[0])}% dự toán; thu từ hoạt động xuất khẩu, nhập khẩu ước đạt "
        f"{num(b['import_export'][1])} triệu đồng, bằng "
        f"{_share(b['import_export'][1], b['import_export'][0])}% dự toán."])
    s += paras(paragraphs(rng, BUDGET_ASSESS[:5], 2, per=(2, 2)))
    s.append(subheading("2. Về chi ngân sách địa phương"))
    rows = spending_rows(b)
    est_2026 = rows[0][2]
    out_2026 = int(round(est_2026 * 0.964, -3))
    s += paras([
        f"Tổng chi ngân sách địa phương năm 2026 ước thực hiện {num(out_2026)} triệu đồng, "
        f"đạt {_share(out_2026, est_2026)}% dự toán. Chi đầu tư phát triển được tập trung cho "
        "các dự án chuyển tiếp, các công trình trọng điểm về giao thông, thoát nước và chống "
        "ngập; chi thường xuyên bảo đảm hoạt động của bộ máy và các chính sách an sinh xã hội."])
    s += paras(paragraphs(rng, BUDGET_ASSESS[5:], 3, per=(2, 3)))
    s.append(subheading("3. Đánh giá chung"))
    s += paras([
        "Nhìn chung, năm 2026 ngân sách thành phố được điều hành chủ động, linh hoạt; thu "
        "ngân sách cơ bản đạt dự toán, bảo đảm nguồn lực cho các nhiệm vụ chi theo kế hoạch, "
        "góp phần giữ vững ổn định kinh tế vĩ mô trên địa bàn và thực hiện tốt các chính sách "
        "an sinh xã hội.",
        "Bên cạnh kết quả đạt được, công tác quản lý, điều hành ngân sách vẫn còn một số hạn "
        "chế: tiến độ thu tiền sử dụng đất và giải ngân vốn đầu tư công chưa đạt yêu cầu; việc "
        "phân bổ, giao dự toán ở một số đơn vị còn chậm; số chuyển nguồn còn lớn. Ủy ban nhân "
        "dân thành phố nghiêm túc rút kinh nghiệm và đề ra giải pháp khắc phục trong năm 2027."])

    s.append(heading("II. DỰ TOÁN NGÂN SÁCH NHÀ NƯỚC NĂM 2027"))
    s.append(subheading("1. Nguyên tắc xây dựng dự toán"))
    s += paras([f"- {t}" for t in BUDGET_PRINCIPLES])
    s.append(subheading("2. Dự toán thu ngân sách nhà nước trên địa bàn"))
    s += paras([
        f"Tổng thu ngân sách nhà nước trên địa bàn năm 2027 là {num(total[2])} triệu đồng, "
        f"bằng {_share(total[2], total[1])}% so với ước thực hiện năm 2026, gồm: thu nội địa "
        f"{num(dom[2])} triệu đồng; thu từ hoạt động xuất khẩu, nhập khẩu "
        f"{num(b['import_export'][2])} triệu đồng. Thu tiền sử dụng đất dự kiến "
        f"{num(b['revenue'][10][3])} triệu đồng, chiếm {_share(b['revenue'][10][3], dom[2])}% "
        "thu nội địa. Chi tiết tại Biểu số 01 kèm theo."])
    s += revenue_table(b)
    s.append(subheading("3. Dự toán chi ngân sách địa phương"))
    s += paras([
        f"Tổng chi ngân sách địa phương năm 2027 là {num(b['spending'])} triệu đồng, trong đó: "
        f"chi đầu tư phát triển {num(b['invest_total'])} triệu đồng, chiếm "
        f"{_share(b['invest_total'], b['balanced'])}% chi cân đối; chi thường xuyên "
        f"{num(b['recurrent_total'])} triệu đồng; chi trả nợ lãi {num(b['interest'])} triệu "
        f"đồng; chi bổ sung quỹ dự trữ tài chính {num(b['reserve_fund'])} triệu đồng; dự phòng "
        f"ngân sách {num(b['contingency'])} triệu đồng; chi tạo nguồn điều chỉnh tiền lương "
        f"{num(b['salary_reform'])} triệu đồng; chi từ nguồn bổ sung có mục tiêu của ngân "
        f"sách trung ương {num(b['targeted'])} triệu đồng. Chi tiết tại Biểu số 02 kèm theo."])
    s += spending_table(b)
    s.append(subheading("4. Bội chi, vay và trả nợ của ngân sách địa phương"))
    s += paras([
        f"Bội chi ngân sách địa phương năm 2027 là {num(b['deficit'])} triệu đồng, được bù đắp "
        "từ nguồn vay lại vốn vay ODA của Chính phủ để thực hiện các dự án thoát nước và "
        f"chống ngập. Chi trả nợ gốc {num(b['principal'])} triệu đồng; tổng mức vay của ngân "
        f"sách địa phương {num(b['borrowing'])} triệu đồng, trong giới hạn dư nợ vay theo quy "
        "định. Cân đối ngân sách địa phương tại Biểu số 03 kèm theo."])
    s += balance_table(b)
    s.append(subheading("5. Bổ sung cân đối cho ngân sách phường, xã"))
    wards, sums = ward_table()
    s += paras([
        f"Tổng số bổ sung cân đối từ ngân sách thành phố cho ngân sách các phường, xã năm 2027 "
        f"là {num(sums[2])} triệu đồng, bảo đảm hoạt động của chính quyền cơ sở sau sắp xếp "
        "đơn vị hành chính. Chi tiết từng phường, xã tại Biểu số 04 kèm theo."])
    s += wards

    s.append(heading("III. GIẢI PHÁP THỰC HIỆN DỰ TOÁN NĂM 2027"))
    s += paras([f"{i}. {t}" for i, t in enumerate(SOLUTIONS, 1)])
    s.append(heading("IV. KIẾN NGHỊ"))
    s += paras(["Ủy ban nhân dân thành phố kính trình Hội đồng nhân dân thành phố xem xét, "
                "thông qua dự thảo Nghị quyết về dự toán ngân sách nhà nước năm 2027 "
                "(kèm theo dự thảo Nghị quyết)./."])
    s += signature(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], UBND_CHAIR, [
        "Như trên;", "Bộ Tài chính;", "Thường trực Thành ủy;", "Thường trực HĐND thành phố;",
        "Chủ tịch, các PCT UBND thành phố;", "Các Ban của HĐND thành phố;",
        "Đại biểu HĐND thành phố;", "Sở Tài chính; Thuế thành phố;", "Lưu: VT, KT."])
    return build(path, s, "Tờ trình về dự toán ngân sách nhà nước năm 2027",
                 "Ủy ban nhân dân thành phố Phú An")


# The amended draft resolution the secretariat publishes as the packet's second version:
# the figures the review report questioned are moved (contingency up, recurrent spending
# down by as much, so the totals hold), a sentence added to Article 3 and one of the
# solutions dropped. The demo's reader shows these as the changes inside the paper.
AMENDED_SHIFT = 12_500
AMENDED_SENTENCE = (
    "3. Giao Ủy ban nhân dân thành phố báo cáo Hội đồng nhân dân thành phố kết quả thực hiện "
    "dự toán sáu tháng đầu năm 2027 tại kỳ họp thường lệ giữa năm.")
DROPPED_SOLUTION = 5  # "Đẩy mạnh chuyển đổi số trong quản lý thuế, kho bạc…"


def draft_resolution(path, amended=False):
    b = budget()
    if amended:
        b = dict(b, contingency=b["contingency"] + AMENDED_SHIFT,
                 recurrent_total=b["recurrent_total"] - AMENDED_SHIFT)
    total = b["total"]
    s = header(HDND, f"Số: {BLANK}/NQ-HĐND", None, 12, draft=True)
    s += title("NGHỊ QUYẾT", "Về dự toán ngân sách nhà nước năm 2027")
    s += [P("HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ PHÚ AN", "center_bold"),
          P("KHÓA XVI, KỲ HỌP THỨ MƯỜI", "center_bold"), Spacer(1, 4 * mm)]
    s += paras(LEGAL_BASIS[:2] + LEGAL_BASIS[3:], "basis")
    s += paras([
        f"Xét Tờ trình số {SUBMISSION_NO} {SUBMISSION_DATE} của Ủy ban nhân dân thành phố về dự "
        f"toán ngân sách nhà nước năm 2027; Báo cáo thẩm tra số {REVIEW_NO} {REVIEW_DATE} của "
        "Ban Kinh tế – Ngân sách Hội đồng nhân dân thành phố; ý kiến thảo luận của đại biểu "
        "Hội đồng nhân dân thành phố tại kỳ họp."], "basis")
    s.append(P("QUYẾT NGHỊ:", "doc_kind"))
    s.append(article(1, "Quyết định dự toán ngân sách nhà nước năm 2027 như sau:"))
    s += paras([
        f"1. Tổng thu ngân sách nhà nước trên địa bàn: {num(total[2])} triệu đồng, gồm: thu nội "
        f"địa {num(b['domestic'][2])} triệu đồng; thu từ hoạt động xuất khẩu, nhập khẩu "
        f"{num(b['import_export'][2])} triệu đồng.",
        f"2. Tổng thu ngân sách địa phương: {num(b['local_revenue'])} triệu đồng, gồm: thu ngân "
        f"sách địa phương được hưởng theo phân cấp {num(b['shared'])} triệu đồng; thu bổ sung "
        f"từ ngân sách trung ương {num(b['balance_transfer'] + b['targeted'])} triệu đồng.",
        f"3. Tổng chi ngân sách địa phương: {num(b['spending'])} triệu đồng, gồm:"])
    items = [("a", "Chi đầu tư phát triển", b["invest_total"]),
             ("b", "Chi thường xuyên", b["recurrent_total"]),
             ("c", "Chi trả nợ lãi các khoản do chính quyền địa phương vay", b["interest"]),
             ("d", "Chi bổ sung quỹ dự trữ tài chính", b["reserve_fund"]),
             ("đ", "Dự phòng ngân sách", b["contingency"]),
             ("e", "Chi tạo nguồn điều chỉnh tiền lương", b["salary_reform"]),
             ("g", "Chi từ nguồn bổ sung có mục tiêu của ngân sách trung ương", b["targeted"])]
    s += paras([f"{k}) {name}: {num(v)} triệu đồng;" for k, name, v in items])
    s += paras([
        f"4. Bội chi ngân sách địa phương: {num(b['deficit'])} triệu đồng.",
        f"5. Chi trả nợ gốc: {num(b['principal'])} triệu đồng; tổng mức vay của ngân sách địa "
        f"phương: {num(b['borrowing'])} triệu đồng.",
        "(Chi tiết tại các Phụ lục I, II, III và IV kèm theo Nghị quyết này)."])
    s.append(article(2, "<b>Giải pháp thực hiện dự toán</b>"))
    solutions = [t for i, t in enumerate(SOLUTIONS[:6]) if not (amended and i == DROPPED_SOLUTION)]
    s += paras([f"{i}. {t}" for i, t in enumerate(solutions, 1)])
    s.append(article(3, "<b>Tổ chức thực hiện</b>"))
    s += paras([
        "1. Giao Ủy ban nhân dân thành phố tổ chức thực hiện Nghị quyết; giao dự toán cho các "
        "cơ quan, đơn vị và các phường, xã trước ngày 31 tháng 12 năm 2026 theo quy định.",
        "2. Giao Thường trực Hội đồng nhân dân thành phố, các Ban của Hội đồng nhân dân thành "
        "phố, các Tổ đại biểu và đại biểu Hội đồng nhân dân thành phố giám sát việc thực hiện "
        "Nghị quyết.",
        *([AMENDED_SENTENCE] if amended else []),
        "Nghị quyết này đã được Hội đồng nhân dân thành phố Phú An khóa XVI, Kỳ họp thứ mười "
        f"thông qua ngày {BLANK} tháng 12 năm 2026 và có hiệu lực kể từ ngày thông qua./."])
    s += signature(["CHỦ TỊCH"], HDND_CHAIR, [
        "Ủy ban Thường vụ Quốc hội; Chính phủ;", "Bộ Tài chính;",
        "Thường trực Thành ủy; TT HĐND, UBND thành phố;",
        "Đại biểu HĐND thành phố;", "Các sở, ngành; HĐND, UBND các phường, xã;",
        "Lưu: VT, HĐND."])
    s.append(PageBreak())
    s += revenue_table(b, "Phụ lục I") + balance_table(b, "Phụ lục II")
    s.append(PageBreak())
    s += spending_table(b, "Phụ lục III") + ward_table("Phụ lục IV")[0]
    return build(path, s, "Dự thảo Nghị quyết về dự toán ngân sách nhà nước năm 2027",
                 "Hội đồng nhân dân thành phố Phú An")

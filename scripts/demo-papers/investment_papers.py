"""Item "Kế hoạch đầu tư công trung hạn giai đoạn 2026–2030 (điều chỉnh)": the appendix of
figures (landscape, over a hundred pages of project tables) and the list of new projects."""

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from blocks import (UBND, P, caption, data_table, header, heading, paras, signature, title,
                    unit_line)
from common import build, num
from figures import budget
from projects import plan
from texts import UBND_CHAIR, roman

PLAN_SUBMISSION = "Tờ trình số 315/TTr-UBND ngày 05 tháng 11 năm 2026"

COLUMNS = ["STT", "Tên dự án", "Địa điểm", "Chủ đầu tư", "Thời gian KC-HT",
           "Tổng mức đầu tư", "Lũy kế vốn đã bố trí đến hết năm 2026",
           "Kế hoạch vốn năm 2027", "Ghi chú"]
WIDTHS = [0.04, 0.28, 0.10, 0.14, 0.07, 0.08, 0.08, 0.08, 0.13]


def _sums(projects):
    return (sum(p.total for p in projects), sum(p.before for p in projects),
            sum(p.y2027 for p in projects))


def _group_row(stt, label, projects):
    t, b, y = _sums(projects)
    return [stt, label, "", "", "", num(t), num(b), num(y), ""]


def _project_row(i, p):
    return [str(i), p.name, p.place, p.investor, p.period, num(p.total),
            num(p.before) if p.before else "-", num(p.y2027), p.note]


def _group_table(stt, label, projects, split_new=True):
    rows, bold, italic = [_group_row(stt, label, projects)], {0}, set()
    parts = ([("a)", "Dự án chuyển tiếp", [p for p in projects if not p.new]),
              ("b)", "Dự án khởi công mới năm 2027", [p for p in projects if p.new])]
             if split_new else [(None, None, projects)])
    n = 0
    for sub, sub_label, items in parts:
        if not items:
            continue
        if sub:
            italic.add(len(rows))
            rows.append(_group_row(sub, sub_label, items))
        for p in items:
            n += 1
            rows.append(_project_row(n, p))
    return data_table(COLUMNS, rows, WIDTHS, "cllllrrrl", bold_rows=bold, italic_rows=italic,
                      shade_rows={0}, numbering=[str(i) for i in range(1, 10)], wide=True)


def _summary(city, wards):
    rows, bold = [], {0, 1}
    every = [p for ps in city.values() for p in ps] + [p for ps in wards.values() for p in ps]
    all_city = [p for ps in city.values() for p in ps]
    all_wards = [p for ps in wards.values() for p in ps]
    for stt, label, items in [("", "TỔNG SỐ", every), ("A", "VỐN NGÂN SÁCH THÀNH PHỐ", all_city)]:
        rows.append([stt, label, num(len(items)), *map(num, _sums(items))])
    for i, (sector, ps) in enumerate(city.items(), 1):
        rows.append([roman(i), sector, num(len(ps)), *map(num, _sums(ps))])
    bold.add(len(rows))
    rows.append(["B", "VỐN NGÂN SÁCH PHƯỜNG, XÃ (VỐN PHÂN CẤP)", num(len(all_wards)),
                 *map(num, _sums(all_wards))])
    table = data_table(["STT", "Nội dung", "Số dự án", "Tổng mức đầu tư",
                        "Lũy kế vốn đã bố trí đến hết năm 2026", "Kế hoạch vốn năm 2027"],
                       rows, [0.06, 0.42, 0.1, 0.14, 0.14, 0.14], "clrrrr", bold_rows=bold,
                       shade_rows={0}, wide=True)
    return [caption("Biểu số 01. TỔNG HỢP KẾ HOẠCH VỐN ĐẦU TƯ CÔNG NĂM 2027"),
            unit_line(), table]


def appendix(path):
    city, wards = plan(budget()["invest_total"])
    s = [P("ỦY BAN NHÂN DÂN THÀNH PHỐ PHÚ AN", "hdr"), Spacer(1, 2 * mm)]
    s += title("PHỤ LỤC SỐ LIỆU ĐẦU TƯ CÔNG",
               "Danh mục dự án và kế hoạch vốn đầu tư công năm 2027 thuộc kế hoạch đầu tư "
               "công trung hạn giai đoạn 2026 - 2030 (điều chỉnh)", rule=False)
    s.append(P(f"(Kèm theo {PLAN_SUBMISSION} của Ủy ban nhân dân thành phố)", "center_italic"))
    s.append(Spacer(1, 4 * mm))
    s += _summary(city, wards)
    s += paras([
        "Ghi chú: Số liệu tổng mức đầu tư theo quyết định phê duyệt dự án hoặc quyết định phê "
        "duyệt chủ trương đầu tư; lũy kế vốn đã bố trí tính đến hết ngày 31 tháng 12 năm 2026; "
        "kế hoạch vốn năm 2027 dự kiến, sẽ được giao chi tiết sau khi Hội đồng nhân dân thành "
        "phố thông qua."], "note")
    s.append(PageBreak())
    s.append(caption("Biểu số 02. CHI TIẾT DANH MỤC DỰ ÁN"))
    s.append(unit_line(keep=False))
    s.append(heading("A. VỐN NGÂN SÁCH THÀNH PHỐ"))
    for i, (sector, ps) in enumerate(city.items(), 1):
        s.append(_group_table(roman(i), sector, ps))
        s.append(Spacer(1, 3 * mm))
    s.append(PageBreak())
    s.append(heading("B. VỐN NGÂN SÁCH PHƯỜNG, XÃ (VỐN PHÂN CẤP)"))
    for i, (unit, ps) in enumerate(wards.items(), 1):
        s.append(_group_table(str(i), unit[0].upper() + unit[1:], ps, split_new=False))
        s.append(Spacer(1, 3 * mm))
    return build(path, s, "Phụ lục số liệu đầu tư công", "Ủy ban nhân dân thành phố Phú An",
                 wide=True)


def new_projects(path):
    city, _ = plan(budget()["invest_total"])
    s = header(UBND, "Số: 317/DM-UBND", 5, 11)
    s += title("DANH MỤC", "Dự án khởi công mới năm 2027", "sử dụng vốn ngân sách thành phố")
    s.append(P(f"(Kèm theo {PLAN_SUBMISSION} của Ủy ban nhân dân thành phố)", "center_italic"))
    s.append(Spacer(1, 3 * mm))
    fresh = {k: [p for p in ps if p.new] for k, ps in city.items()}
    count = sum(len(ps) for ps in fresh.values())
    total = sum(p.total for ps in fresh.values() for p in ps)
    y2027 = sum(p.y2027 for ps in fresh.values() for p in ps)
    s += paras([
        f"Năm 2027, dự kiến khởi công mới {count} dự án sử dụng vốn ngân sách thành phố với "
        f"tổng mức đầu tư dự kiến {num(total)} triệu đồng; kế hoạch vốn năm 2027 bố trí "
        f"{num(y2027)} triệu đồng. Các dự án đã được Hội đồng nhân dân thành phố quyết định "
        "chủ trương đầu tư hoặc đã hoàn thành thủ tục đầu tư theo quy định của Luật Đầu tư "
        "công, bảo đảm đủ điều kiện bố trí vốn.",
        "Việc lựa chọn dự án khởi công mới tuân thủ nguyên tắc: chỉ bố trí vốn sau khi đã bố "
        "trí đủ vốn thanh toán nợ đọng xây dựng cơ bản và các dự án chuyển tiếp; ưu tiên các "
        "dự án giao thông kết nối, thoát nước chống ngập, trường học, trạm y tế và các dự án "
        "phục vụ chính quyền địa phương hai cấp."])
    rows, bold = [], set()
    for i, (sector, ps) in enumerate(fresh.items(), 1):
        if not ps:
            continue
        bold.add(len(rows))
        rows.append([roman(i), sector, "", "", "", num(sum(p.total for p in ps)),
                     num(sum(p.y2027 for p in ps))])
        for j, p in enumerate(ps, 1):
            rows.append([str(j), p.name, p.place, p.scale, p.period, num(p.total), num(p.y2027)])
    rows.insert(0, ["", "TỔNG SỐ", "", "", "", num(total), num(y2027)])
    bold = {0} | {b + 1 for b in bold}
    s.append(unit_line(keep=False))
    s.append(data_table(["STT", "Tên dự án", "Địa điểm", "Quy mô đầu tư", "Thời gian KC-HT",
                         "Tổng mức đầu tư dự kiến", "Kế hoạch vốn năm 2027"], rows,
                        [0.055, 0.25, 0.12, 0.2, 0.115, 0.13, 0.13], "clllcrr", bold_rows=bold,
                        shade_rows={0}))
    s += signature(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], UBND_CHAIR, [
        "Thường trực HĐND thành phố;", "Các Ban của HĐND thành phố;",
        "Đại biểu HĐND thành phố;", "Sở Tài chính;", "Lưu: VT, KT."])
    return build(path, s, "Danh mục dự án khởi công mới năm 2027",
                 "Ủy ban nhân dân thành phố Phú An")

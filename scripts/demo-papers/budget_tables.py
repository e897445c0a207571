"""The budget tables ("Biểu số …") shared by the submission, the draft resolution and
the review report, so that all three show the same figures."""

import random

from blocks import caption, data_table, unit_line
from common import dec, num
from figures import ward_transfers
from texts import UNITS


def _ratio(new, old):
    return dec(new / old * 100) if old else ""


def _past(rng, value):
    return int(round(value / rng.uniform(1.03, 1.12), -3))


def revenue_table(b, label="Biểu số 01"):
    rows, bold = [], set()
    total, dom, imp = b["total"], b["domestic"], b["import_export"]
    rows.append(["", "TỔNG THU NGÂN SÁCH NHÀ NƯỚC TRÊN ĐỊA BÀN (I+II)",
                 *map(num, total), _ratio(total[2], total[1])])
    rows.append(["I", "Thu nội địa", *map(num, dom), _ratio(dom[2], dom[1])])
    bold |= {0, 1}
    for i, (name, est, out, new) in enumerate(b["revenue"], 1):
        rows.append([str(i), name, num(est), num(out), num(new), _ratio(new, out)])
    rows.append(["II", "Thu từ hoạt động xuất khẩu, nhập khẩu", *map(num, imp),
                 _ratio(imp[2], imp[1])])
    bold.add(len(rows) - 1)
    table = data_table(
        ["STT", "Nội dung", "Dự toán năm 2026", "Ước thực hiện năm 2026",
         "Dự toán năm 2027", "So sánh DT 2027/ƯTH 2026 (%)"],
        rows, [0.06, 0.38, 0.14, 0.14, 0.14, 0.14], "clrrrr", bold_rows=bold,
        shade_rows={0}, numbering=["A", "B", "1", "2", "3", "4=3/2"])
    return [caption(f"{label}. DỰ TOÁN THU NGÂN SÁCH NHÀ NƯỚC TRÊN ĐỊA BÀN NĂM 2027"),
            unit_line(), table]


def spending_rows(b, seed=2029):
    """(stt, name, 2026 estimate, 2027 estimate, level) with level 0 = part, 1 = group."""
    rng = random.Random(seed)
    out = []

    def add(stt, name, value, level=2):
        out.append((stt, name, _past(rng, value), value, level))

    add("", "TỔNG CHI NGÂN SÁCH ĐỊA PHƯƠNG (A+B)", b["spending"], 0)
    add("A", "CHI CÂN ĐỐI NGÂN SÁCH ĐỊA PHƯƠNG", b["balanced"], 0)
    add("I", "Chi đầu tư phát triển", b["invest_total"], 1)
    for i, (name, v) in enumerate(b["invest"], 1):
        add(str(i), name, v)
    add("II", "Chi thường xuyên", b["recurrent_total"], 1)
    for i, (name, v) in enumerate(b["recurrent"], 1):
        add(str(i), name, v)
    add("III", "Chi trả nợ lãi các khoản do chính quyền địa phương vay", b["interest"], 1)
    add("IV", "Chi bổ sung quỹ dự trữ tài chính", b["reserve_fund"], 1)
    add("V", "Dự phòng ngân sách", b["contingency"], 1)
    add("VI", "Chi tạo nguồn điều chỉnh tiền lương", b["salary_reform"], 1)
    add("B", "CHI TỪ NGUỒN BỔ SUNG CÓ MỤC TIÊU TỪ NGÂN SÁCH TRUNG ƯƠNG", b["targeted"], 0)
    # Sums of the 2026 column are recomputed so that each total equals its parts.
    rows = [list(r) for r in out]
    groups = {"I": range(3, 3 + len(b["invest"])),
              "II": range(4 + len(b["invest"]), 4 + len(b["invest"]) + len(b["recurrent"]))}
    for r in rows:
        if r[0] in groups:
            r[2] = sum(rows[j][2] for j in groups[r[0]])
    a = rows[1]
    a[2] = sum(r[2] for r in rows if r[4] == 1)
    rows[0][2] = a[2] + rows[-1][2]
    return rows


def spending_table(b, label="Biểu số 02"):
    data, bold = [], set()
    for i, (stt, name, old, new, level) in enumerate(spending_rows(b)):
        data.append([stt, name, num(old), num(new), _ratio(new, old)])
        if level < 2:
            bold.add(i)
    table = data_table(
        ["STT", "Nội dung", "Dự toán năm 2026", "Dự toán năm 2027", "So sánh (%)"],
        data, [0.07, 0.51, 0.14, 0.14, 0.14], "clrrr", bold_rows=bold, shade_rows={0},
        numbering=["A", "B", "1", "2", "3=2/1"])
    return [caption(f"{label}. DỰ TOÁN CHI NGÂN SÁCH ĐỊA PHƯƠNG NĂM 2027"), unit_line(), table]


def balance_table(b, label="Biểu số 03"):
    rows = [
        ["A", "TỔNG NGUỒN THU NGÂN SÁCH ĐỊA PHƯƠNG", num(b["local_revenue"])],
        ["1", "Thu ngân sách địa phương được hưởng theo phân cấp", num(b["shared"])],
        ["2", "Thu bổ sung từ ngân sách trung ương",
         num(b["balance_transfer"] + b["targeted"])],
        ["", "- Bổ sung cân đối ngân sách", num(b["balance_transfer"])],
        ["", "- Bổ sung có mục tiêu", num(b["targeted"])],
        ["B", "TỔNG CHI NGÂN SÁCH ĐỊA PHƯƠNG", num(b["spending"])],
        ["1", "Chi cân đối ngân sách địa phương", num(b["balanced"])],
        ["2", "Chi từ nguồn bổ sung có mục tiêu", num(b["targeted"])],
        ["C", "BỘI CHI NGÂN SÁCH ĐỊA PHƯƠNG", num(b["deficit"])],
        ["D", "CHI TRẢ NỢ GỐC CỦA NGÂN SÁCH ĐỊA PHƯƠNG", num(b["principal"])],
        ["E", "TỔNG MỨC VAY CỦA NGÂN SÁCH ĐỊA PHƯƠNG", num(b["borrowing"])],
    ]
    table = data_table(["STT", "Nội dung", "Dự toán năm 2027"], rows, [0.08, 0.67, 0.25],
                       "clr", bold_rows={0, 5, 8, 9, 10}, italic_rows={3, 4})
    return [caption(f"{label}. CÂN ĐỐI NGÂN SÁCH ĐỊA PHƯƠNG NĂM 2027"), unit_line(), table]


def ward_table(label="Biểu số 04"):
    rows, sums = [], [0, 0, 0]
    for i, (u, kept, spend, transfer) in enumerate(ward_transfers(UNITS), 1):
        rows.append([str(i), u[0].upper() + u[1:], num(kept), num(spend), num(transfer)])
        sums = [s + v for s, v in zip(sums, (kept, spend, transfer))]
    rows.insert(0, ["", "TỔNG SỐ", *map(num, sums)])
    table = data_table(
        ["STT", "Phường, xã", "Thu ngân sách phường, xã được hưởng",
         "Chi cân đối ngân sách phường, xã", "Bổ sung cân đối từ ngân sách thành phố"],
        rows, [0.08, 0.32, 0.2, 0.2, 0.2], "clrrr", bold_rows={0}, shade_rows={0},
        numbering=["A", "B", "1", "2", "3=2-1"])
    return [caption(f"{label}. DỰ TOÁN BỔ SUNG CÂN ĐỐI CHO NGÂN SÁCH PHƯỜNG, XÃ NĂM 2027"),
            unit_line(), table], sums

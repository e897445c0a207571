"""Building blocks of a Vietnamese administrative paper (Decree 30/2020/NĐ-CP layout):
the two-column header, the document title, "Kính gửi", headings, tables and the
signature block with "Nơi nhận"."""

from reportlab.lib.units import mm
from reportlab.platypus import (Flowable, KeepTogether, Paragraph, Spacer,
                                Table, TableStyle)

from common import GRID, RED, SHADE, STYLES, frame_width, place_date, vi

MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"

UBND = [("ỦY BAN NHÂN DÂN", True), ("THÀNH PHỐ PHÚ AN", True)]
HDND = [("HỘI ĐỒNG NHÂN DÂN", True), ("THÀNH PHỐ PHÚ AN", True)]
BAN_KTNS = [("HĐND THÀNH PHỐ PHÚ AN", False), ("BAN KINH TẾ – NGÂN SÁCH", True)]
MTTQ = [("ỦY BAN MTTQ VIỆT NAM", False), ("THÀNH PHỐ PHÚ AN", False),
        ("BAN THƯỜNG TRỰC", True)]
VP_HDND = [("HĐND THÀNH PHỐ PHÚ AN", False), ("VĂN PHÒNG ĐOÀN ĐBQH", True),
           ("VÀ HĐND THÀNH PHỐ", True)]


def P(text, style="body"):
    return Paragraph(vi(text), STYLES[style] if isinstance(style, str) else style)


class Stamp(Flowable):
    """A boxed word ("MẬT", "DỰ THẢO") drawn at the left, centre or right of the frame."""

    def __init__(self, text, color=RED, size=12, align="right", pad=3 * mm):
        super().__init__()
        self.text, self.color, self.size, self.align, self.pad = vi(text), color, size, align, pad

    def wrap(self, avail_width, avail_height):
        self.avail = avail_width
        return avail_width, self.size + 2 * self.pad + 2

    def draw(self):
        c = self.canv
        c.setFont("Sans-Bold", self.size)
        tw = c.stringWidth(self.text, "Sans-Bold", self.size)
        bw, bh = tw + 2 * self.pad, self.size + 2 * self.pad - 2
        x = {"left": 0, "centre": (self.avail - bw) / 2, "right": self.avail - bw}[self.align]
        c.setStrokeColor(self.color)
        c.setFillColor(self.color)
        c.setLineWidth(1.2)
        c.rect(x, 1, bw, bh, stroke=1, fill=0)
        c.drawString(x + self.pad, 1 + self.pad + 0.5, self.text)


class Rule(Flowable):
    """A short centred line, as under the agency name and the motto. It reports its own
    width, so a table cell with ALIGN CENTER centres it too."""

    def __init__(self, width, space_after=3):
        super().__init__()
        self.width, self.space_after = width, space_after
        self.hAlign = "CENTER"

    def wrap(self, avail_width, avail_height):
        return self.width, 4 + self.space_after

    def draw(self):
        self.canv.setStrokeColor(GRID)
        self.canv.setLineWidth(0.6)
        self.canv.line(0, self.space_after, self.width, self.space_after)


def _rule(width, space_after=3):
    return Rule(width, space_after)


def header(agency, number, day, month, wide=False, under_number=None, draft=False):
    """Agency and national motto side by side; "Số:" and the place and date on the row below.

    `under_number` is a flowable (e.g. the MẬT stamp) placed below the number, where
    the security mark goes; `draft` puts a boxed "DỰ THẢO" above the motto."""
    width = frame_width(wide)
    left_w = 0.42 * width if not wide else 0.38 * width
    right_w = width - left_w
    left = [P(t, "hdr" if bold else "hdr_plain") for t, bold in agency]
    left.append(_rule(28 * mm))
    right = [P(MOTTO_1, "hdr_motto"), P(MOTTO_2, "hdr"), _rule(46 * mm)]
    number_cell = [P(number, "hdr_plain")]
    if under_number is not None:
        number_cell += [Spacer(1, 2 * mm), under_number]
    rows = [[left, right], [number_cell, P(place_date(day, month), "hdr_date")]]
    table = Table(rows, colWidths=[left_w, right_w])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    out = []
    if draft:
        out.append(Stamp("DỰ THẢO", color=GRID, size=11))
        out.append(Spacer(1, 2 * mm))
    out.append(table)
    return out


def title(kind, *subject, rule=True):
    """'TỜ TRÌNH' / 'Về dự toán …' with a short rule below, as the body's heading."""
    out = [Spacer(1, 4 * mm), P(kind, "doc_kind")]
    out += [P(line, "doc_title") for line in subject]
    if rule:
        out.append(_rule(35 * mm, space_after=6))
    return out


def recipient(*to):
    """'Kính gửi: …' — one line, or a list of recipients under it."""
    if len(to) == 1:
        return [P(f"Kính gửi: {to[0]}", "recipient")]
    out = [P("Kính gửi:", "recipient")]
    out += [P(f"- {r}", "center") for r in to]
    return out + [Spacer(1, 3 * mm)]


def heading(text):
    return P(text, "heading")


def subheading(text):
    return P(text, "subheading")


def paras(texts, style="body"):
    return [P(t, style) for t in texts]


def article(n, text):
    """'Điều 1. …' with the article number in bold."""
    return P(f"<b>Điều {n}.</b> {text}", "article")


def signature(signer_lines, name, recipients=None, wide=False, note=None):
    """'Nơi nhận' on the left and the signer's block on the right, kept on one page."""
    width = frame_width(wide)
    right = [P(line, "sign") for line in signer_lines]
    if note:
        right.append(P(note, "center_italic"))
    right += [Spacer(1, 20 * mm), P(name, "sign")]
    left = []
    if recipients:
        left.append(P("Nơi nhận:", "recv_head"))
        left += [P(f"- {r}", "recv") for r in recipients]
    table = Table([[left, right]], colWidths=[0.45 * width, 0.55 * width])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return [Spacer(1, 4 * mm), KeepTogether([table])]


def _cell(value, style):
    if isinstance(value, Flowable):
        return value
    return P(str(value), style)


def data_table(head, rows, widths, aligns, bold_rows=(), italic_rows=(), shade_rows=(),
               numbering=None, wide=False):
    """A ruled table; `head` is the column titles, `numbering` an optional row like
    ['A', 'B', '1', '2'] under it. Rows are lists of strings; each column's alignment is
    'l', 'c' or 'r'. The header rows repeat on every page."""
    width = frame_width(wide)
    col_widths = [w * width for w in widths]
    suffix = {"l": "", "c": "_c", "r": "_r"}
    bsuffix = {"l": "_b", "c": "_bc", "r": "_br"}
    data = [[_cell(h, "cell_bc") for h in head]]
    if numbering:
        data.append([_cell(n, "cell_c") for n in numbering])
    top = len(data)
    for i, row in enumerate(rows):
        if i in bold_rows:
            styles = ["cell" + bsuffix[a] for a in aligns]
        elif i in italic_rows:
            styles = ["cell_i" if a == "l" else "cell" + suffix[a] for a in aligns]
        else:
            styles = ["cell" + suffix[a] for a in aligns]
        data.append([_cell(v, s) for v, s in zip(row, styles)])
    table = Table(data, colWidths=col_widths, repeatRows=top)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for i in shade_rows:
        commands.append(("BACKGROUND", (0, top + i), (-1, top + i), SHADE))
    table.setStyle(TableStyle(commands))
    return table


def unit_line(text="Đơn vị tính: triệu đồng", keep=True):
    """The unit above a table; `keep` holds it on the table's page (not for long tables,
    which would then start on a fresh page)."""
    return P(text, "unit" if keep else "unit_free")


def caption(text):
    return P(text, "caption")

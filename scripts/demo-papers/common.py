"""Fonts, page layout, paragraph styles and Vietnamese number/date formatting.

Everything here is deterministic: reportlab runs in invariant mode (fixed
timestamps and document ids), so the same inputs give byte-identical PDFs.
"""

import os
import unicodedata

from reportlab import rl_config

rl_config.invariant = 1  # before any document is made

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT  # noqa: E402
from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate  # noqa: E402

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
CITY = "Phú An"
SESSION = "Kỳ họp thứ mười, Hội đồng nhân dân thành phố khóa XVI"
CREATOR = "eCabinet demo papers (scripts/demo-papers)"
BLANK = "\u00a0" * 8  # a gap left for the number or day of a draft (plain spaces collapse)

_FONTS = {
    "Serif": "DejaVuSerif.ttf",
    "Serif-Bold": "DejaVuSerif-Bold.ttf",
    "Serif-Italic": "DejaVuSerif-Italic.ttf",
    "Serif-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
    "SerifC": "DejaVuSerifCondensed.ttf",
    "SerifC-Bold": "DejaVuSerifCondensed-Bold.ttf",
    "SerifC-Italic": "DejaVuSerifCondensed-Italic.ttf",
    "SerifC-BoldItalic": "DejaVuSerifCondensed-BoldItalic.ttf",
    "Sans": "DejaVuSans.ttf",
    "Sans-Bold": "DejaVuSans-Bold.ttf",
    "Sans-Italic": "DejaVuSans-Oblique.ttf",
    "Sans-BoldItalic": "DejaVuSans-BoldOblique.ttf",
}


def register_fonts():
    for name, file in _FONTS.items():
        path = os.path.join(FONT_DIR, file)
        if not os.path.exists(path):
            raise SystemExit(f"missing font {path}: install fonts-dejavu-core and "
                             "fonts-dejavu-extra")
        pdfmetrics.registerFont(TTFont(name, path))
    for family in ("Serif", "SerifC", "Sans"):
        pdfmetrics.registerFontFamily(
            family, normal=family, bold=family + "-Bold",
            italic=family + "-Italic", boldItalic=family + "-BoldItalic")


register_fonts()

RED = colors.HexColor("#C00000")
GRID = colors.HexColor("#444444")
SHADE = colors.HexColor("#E8E8E8")


def vi(text):
    """Vietnamese text in NFC (precomposed), as every paper uses."""
    return unicodedata.normalize("NFC", text)


def num(n):
    """1234567 -> '1.234.567' (Vietnamese grouping); negatives keep their sign."""
    n = int(round(n))
    s = f"{abs(n):,}".replace(",", ".")
    return "-" + s if n < 0 else s


def pct(x, digits=1):
    """0.1234 -> '12,3%' (decimal comma)."""
    return f"{x * 100:.{digits}f}".replace(".", ",") + "%"


def dec(x, digits=1):
    return f"{x:.{digits}f}".replace(".", ",")


def day_month(day, month, year=2026):
    """'ngày 05 tháng 11 năm 2026': days under 10 and months 1-2 padded, per Decree 30/2020."""
    m = f"{month:02d}" if month < 3 else str(month)
    if day is None:  # a draft: the day is filled in when it is signed
        return f"ngày {BLANK} tháng {m} năm {year}"
    return f"ngày {day:02d} tháng {m} năm {year}"


def place_date(day, month, year=2026):
    return f"{CITY}, {day_month(day, month, year)}"


def _style(name, font="Serif", size=12, leading=None, align=TA_JUSTIFY, **kw):
    return ParagraphStyle(name, fontName=font, fontSize=size,
                          leading=leading or round(size * 1.38, 1), alignment=align, **kw)


STYLES = {
    "body": _style("body", firstLineIndent=10 * mm, spaceAfter=5),
    "body_flat": _style("body_flat", spaceAfter=5),
    "basis": _style("basis", font="Serif-Italic", firstLineIndent=10 * mm, spaceAfter=4),
    "bullet": _style("bullet", leftIndent=10 * mm, firstLineIndent=-4 * mm, spaceAfter=3),
    "heading": _style("heading", font="Serif-Bold", spaceBefore=6, spaceAfter=4, keepWithNext=1),
    "subheading": _style("subheading", font="Serif-BoldItalic", spaceBefore=3,
                         spaceAfter=3, keepWithNext=1),
    "article": _style("article", firstLineIndent=10 * mm, spaceAfter=5),
    "center": _style("center", align=TA_CENTER),
    "center_bold": _style("center_bold", font="Serif-Bold", align=TA_CENTER),
    "center_italic": _style("center_italic", font="Serif-Italic", align=TA_CENTER),
    "doc_kind": _style("doc_kind", font="Serif-Bold", size=14, align=TA_CENTER, spaceBefore=10),
    "doc_title": _style("doc_title", font="Serif-Bold", size=12.5, align=TA_CENTER),
    "recipient": _style("recipient", align=TA_CENTER, spaceBefore=8, spaceAfter=8),
    "caption": _style("caption", font="Serif-Bold", size=11.5, align=TA_CENTER,
                      spaceBefore=6, spaceAfter=2, keepWithNext=1),
    "unit": _style("unit", font="Serif-Italic", size=10, align=TA_RIGHT, spaceAfter=2,
                   keepWithNext=1),
    "unit_free": _style("unit_free", font="Serif-Italic", size=10, align=TA_RIGHT, spaceAfter=2),
    "note": _style("note", font="Serif-Italic", size=10, spaceBefore=2, spaceAfter=4),
    "hdr": _style("hdr", font="Serif-Bold", size=10.5, leading=13.5, align=TA_CENTER),
    "hdr_plain": _style("hdr_plain", size=10.5, leading=13.5, align=TA_CENTER),
    "hdr_motto": _style("hdr_motto", font="Serif-Bold", size=10, leading=13.5, align=TA_CENTER),
    "hdr_date": _style("hdr_date", font="Serif-Italic", size=11, leading=14, align=TA_CENTER),
    "recv_head": _style("recv_head", font="Serif-BoldItalic", size=10, leading=12.5,
                        align=TA_LEFT),
    "recv": _style("recv", size=9, leading=11.5, align=TA_LEFT),
    "sign": _style("sign", font="Serif-Bold", size=11.5, leading=15, align=TA_CENTER),
    "cell": _style("cell", font="SerifC", size=9, leading=11, align=TA_LEFT),
    "cell_c": _style("cell_c", font="SerifC", size=9, leading=11, align=TA_CENTER),
    "cell_r": _style("cell_r", font="SerifC", size=9, leading=11, align=TA_RIGHT),
    "cell_b": _style("cell_b", font="SerifC-Bold", size=9, leading=11, align=TA_LEFT),
    "cell_bc": _style("cell_bc", font="SerifC-Bold", size=9, leading=11, align=TA_CENTER),
    "cell_br": _style("cell_br", font="SerifC-Bold", size=9, leading=11, align=TA_RIGHT),
    "cell_i": _style("cell_i", font="SerifC-Italic", size=9, leading=11, align=TA_LEFT),
    "press_title": _style("press_title", font="Sans-Bold", size=11.5, spaceBefore=8,
                          spaceAfter=2, keepWithNext=1, align=TA_LEFT),
    "press_src": _style("press_src", font="Sans-Italic", size=9.5, spaceAfter=3,
                        keepWithNext=1, align=TA_LEFT, textColor=colors.HexColor("#333333")),
}


def _page_number(canvas, doc):
    """Decree 30/2020 style: page numbers at the top centre, from page 2 on.

    A paper with a `mark` (e.g. "MẬT") also carries it, in red, at the top right of every page.
    """
    page = canvas.getPageNumber()
    w, h = doc.pagesize
    canvas.saveState()
    if page > 1:
        canvas.setFont("Serif", 11)
        canvas.drawCentredString(w / 2, h - 12 * mm, str(page))
    if doc.mark:
        canvas.setFont("Sans-Bold", 10)
        canvas.setFillColor(RED)
        canvas.drawRightString(w - doc.rightMargin, h - 12 * mm, doc.mark)
    canvas.restoreState()


class Paper(BaseDocTemplate):
    """An A4 document with administrative margins; `wide` gives landscape pages."""

    def __init__(self, path, title, author, wide=False, subject=SESSION, mark=None):
        self.mark = mark
        size = landscape(A4) if wide else A4
        left, right, top, bottom = (20 * mm, 15 * mm, 20 * mm, 15 * mm) if wide else \
            (30 * mm, 20 * mm, 20 * mm, 20 * mm)
        super().__init__(path, pagesize=size, leftMargin=left, rightMargin=right,
                         topMargin=top, bottomMargin=bottom, title=title, author=author,
                         subject=subject, creator=CREATOR, invariant=1, lang="vi",
                         pageCompression=1, displayDocTitle=1)
        frame = Frame(left, bottom, size[0] - left - right, size[1] - top - bottom,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=_page_number)])


def build(path, story, title, author, wide=False, mark=None):
    """Builds one paper and returns its page count."""
    doc = Paper(path, vi(title), vi(author), wide=wide, mark=mark)
    doc.build(story)
    return doc.page


def frame_width(wide=False):
    return (landscape(A4)[0] - 35 * mm) if wide else (A4[0] - 50 * mm)

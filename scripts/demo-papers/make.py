#!/usr/bin/env python3
"""Makes the demo session's papers: assets/demo/papers/*.pdf and assets/demo/packet.json.

The output is committed, so nobody needs Python to run the demo (`make run`); run this
only after changing the generator. From the repository root:

    python3 -m venv /tmp/demo-papers-venv
    /tmp/demo-papers-venv/bin/pip install -r scripts/demo-papers/requirements.txt
    /tmp/demo-papers-venv/bin/python scripts/demo-papers/make.py

It needs the DejaVu fonts in /usr/share/fonts/truetype/dejavu (Debian/Ubuntu package
fonts-dejavu-core and fonts-dejavu-extra). The output is deterministic: seeded randomness
and reportlab's invariant mode, so a re-run with the same reportlab version gives
byte-identical files (check with sha256sum).

Every title in a `papers` list of the session's agenda in assets/demo/council.json must
have a paper here, with the same title; the script stops if one is missing.
"""

import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ left in the repository
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import budget_papers  # noqa: E402
import investment_papers  # noqa: E402
import press  # noqa: E402
import review_report  # noqa: E402
import session_papers  # noqa: E402
import voters  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
COUNCIL = os.path.join(ROOT, "assets", "demo", "council.json")
OUT_DIR = os.path.join(ROOT, "assets", "demo", "papers")
PACKET = os.path.join(ROOT, "assets", "demo", "packet.json")
SESSION_PREFIX = "Kỳ họp thứ mười,"

BUDGET = "Dự toán ngân sách nhà nước năm 2027"
INVESTMENT = "Kế hoạch đầu tư công trung hạn giai đoạn 2026–2030 (điều chỉnh)"
VOTERS = "Tổng hợp ý kiến, kiến nghị của cử tri trước kỳ họp"
VOTING = "Biểu quyết thông qua các nghị quyết"
CONFIDENTIAL = {"named": ["chair", "delegate01", "delegate02"], "title_hidden": False}

# In packet order: (file, title, kind, place, visibility, builder, (min pages, max pages)).
PAPERS = [
    ("thong-bao-to-chuc-ky-hop-thu-muoi.pdf", "Thông báo về việc tổ chức Kỳ họp thứ mười",
     "other", {"section": "announcements"}, "all", "announcement", (1, 2)),
    ("tong-hop-thong-tin-bao-chi.pdf", "Tổng hợp thông tin báo chí trước Kỳ họp thứ mười",
     "other", {"section": "press_summary"}, "all", press.press_summary, (3, 5)),
    ("to-trinh-du-toan-ngan-sach-2027.pdf",
     "Tờ trình về dự toán ngân sách nhà nước năm 2027", "submission", {"item": BUDGET},
     "all", budget_papers.submission, (3, 12)),
    ("du-thao-nghi-quyet-du-toan-ngan-sach-2027.pdf",
     "Dự thảo Nghị quyết về dự toán ngân sách nhà nước năm 2027", "draft_resolution",
     {"item": BUDGET}, "all", budget_papers.draft_resolution, (3, 12)),
    ("bao-cao-tham-tra-ban-kinh-te-ngan-sach.pdf",
     "Báo cáo thẩm tra của Ban Kinh tế – Ngân sách", "review_report", {"item": BUDGET},
     "all", review_report.review_report, (3, 12)),
    ("phu-luc-so-lieu-dau-tu-cong.pdf", "Phụ lục số liệu đầu tư công", "appendix",
     {"item": INVESTMENT}, "all", investment_papers.appendix, (100, 140)),
    ("danh-muc-du-an-khoi-cong-moi-2027.pdf", "Danh mục dự án khởi công mới năm 2027",
     "appendix", {"item": INVESTMENT}, "all", investment_papers.new_projects, (3, 12)),
    ("bao-cao-tong-hop-y-kien-cu-tri.pdf", "Báo cáo tổng hợp ý kiến, kiến nghị của cử tri",
     "other", {"item": VOTERS}, "all", voters.voters_report, (3, 12)),
    ("to-trinh-cong-tac-can-bo.pdf", "Tờ trình về công tác cán bộ", "submission",
     {"item": VOTING}, CONFIDENTIAL, session_papers.personnel, (2, 4)),
]

# Amended versions the secretariat publishes as the packet's second version, each
# replacing a paper above: (file, the file it replaces, builder).
AMENDMENTS = [
    ("du-thao-nghi-quyet-du-toan-ngan-sach-2027-sua-doi.pdf",
     "du-thao-nghi-quyet-du-toan-ngan-sach-2027.pdf",
     lambda path: budget_papers.draft_resolution(path, amended=True)),
]


def session():
    with open(COUNCIL, encoding="utf-8") as f:
        council = json.load(f)
    for meeting in council["meetings"]:
        if meeting["title"].startswith(SESSION_PREFIX):
            return council, meeting
    sys.exit(f"no meeting starting with {SESSION_PREFIX!r} in {COUNCIL}")


def items(agenda):
    for item in agenda:
        yield item
        yield from items(item.get("children", []))


def check_against_council(council, meeting):
    """Every listed paper is made, under an item that lists it; every place exists."""
    titles = {i["title"] for i in items(meeting["agenda"])}
    listed = {(p, i["title"]) for i in items(meeting["agenda"]) for p in i.get("papers", [])}
    made = {(p[1], p[3]["item"]) for p in PAPERS if "item" in p[3]}
    missing = listed - made
    if missing:
        sys.exit(f"council.json lists papers that make.py does not make: {sorted(missing)}")
    usernames = {m["username"] for m in council["members"]}
    for file, title, kind, place, visibility, _, _ in PAPERS:
        if "item" in place and place["item"] not in titles:
            sys.exit(f"{file}: no agenda item {place['item']!r}")
        if isinstance(visibility, dict) and not set(visibility["named"]) <= usernames:
            sys.exit(f"{file}: unknown usernames in {visibility['named']}")


def main():
    council, meeting = session()
    check_against_council(council, meeting)
    os.makedirs(OUT_DIR, exist_ok=True)
    packet, problems = [], []
    for file, title, kind, place, visibility, make, (lo, hi) in PAPERS:
        path = os.path.join(OUT_DIR, file)
        if make == "announcement":
            pages = session_papers.announcement(path, meeting)
        else:
            pages = make(path)
        size = os.path.getsize(path)
        print(f"{file:48} {pages:4} pages {size / 1024:8.1f} KiB")
        if not lo <= pages <= hi:
            problems.append(f"{file}: {pages} pages, wanted {lo}-{hi}")
        packet.append({"file": file, "title": title, "kind": kind, "place": place,
                       "visibility": visibility})
    amendments = []
    for file, replaces, make in AMENDMENTS:
        path = os.path.join(OUT_DIR, file)
        pages = make(path)
        print(f"{file:48} {pages:4} pages {os.path.getsize(path) / 1024:8.1f} KiB (amended)")
        amendments.append({"file": file, "replaces": replaces})
    with open(PACKET, encoding="utf-8") as f:
        drafts = json.load(f).get("drafts", [])
    with open(PACKET, "w", encoding="utf-8") as f:
        json.dump({"papers": packet, "amendments": amendments, "drafts": drafts}, f,
                  ensure_ascii=False, indent=2)
        f.write("\n")
    print(f"wrote {os.path.relpath(PACKET, ROOT)} ({len(packet)} papers)")
    if problems:
        sys.exit("\n".join(problems))


if __name__ == "__main__":
    main()

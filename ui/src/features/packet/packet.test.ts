import { describe, expect, it } from "vitest";
import type { DownloadProgress, MeetingPacket, PacketPaperView } from "../../lib/ipc/types";
import { canOpen, formatBytes, hasNews, packetChanges, packetProgress, papersAt } from "./packet";

function paper(id: string, size: number, extra: Partial<PacketPaperView> = {}): PacketPaperView {
  return {
    paper_id: id,
    title: `Tài liệu ${id}`,
    kind: "submission",
    place: { at: "item", item_id: "i1" },
    position: 1,
    revision: 1,
    restricted: false,
    file: { hash: `h${id}`, size, pages: 3, file_name: `${id}.pdf` },
    held: false,
    mark: null,
    ...extra,
  };
}

function packet(papers: PacketPaperView[], extra: Partial<MeetingPacket> = {}): MeetingPacket {
  return {
    meeting_id: "m",
    version: 1,
    published_at: 0,
    baseline: 1,
    papers,
    removed_titles: [],
    total_bytes: 0,
    held_bytes: 0,
    participants: [],
    released: false,
    ...extra,
  };
}

const progress = (files: DownloadProgress["files"]): DownloadProgress => ({
  state: "downloading",
  detail: null,
  received: 0,
  total: 0,
  files,
});

describe("the packet's progress", () => {
  it("counts held files whole, files on their way by what arrived, and confidential papers not at all", () => {
    const p = packet([
      paper("a", 1000, { held: true }),
      paper("b", 3000),
      paper("c", 0, { restricted: true, file: null, title: "Báo cáo mật" }),
    ]);
    const whole = packetProgress(
      p,
      progress([{ hash: "hb", received: 1000, total: 3000, state: "downloading", detail: null }]),
    );
    expect(whole).toEqual({ received: 2000, total: 4000, fraction: 0.5, complete: false, remaining: 1 });
    const done = packetProgress(
      p,
      progress([{ hash: "hb", received: 3000, total: 3000, state: "done", detail: null }]),
    );
    expect(done.complete, "a file the downloader finished counts before the packet reloads").toBe(true);
  });

  it("lets a member open only files that are here and meant for them", () => {
    expect(canOpen(paper("a", 1, { held: true }), null)).toBe(true);
    expect(canOpen(paper("b", 1), null)).toBe(false);
    expect(canOpen(paper("c", 1, { restricted: true, file: null }), null)).toBe(false);
  });
});

describe("what changed", () => {
  it("lists new, replaced and removed papers by title, and is news until acknowledged", () => {
    const p = packet(
      [paper("a", 1, { mark: "added" }), paper("b", 1, { mark: "replaced" }), paper("c", 1)],
      { version: 2, baseline: 1, removed_titles: ["Tài liệu cũ"] },
    );
    expect(packetChanges(p)).toEqual({ added: ["Tài liệu a"], replaced: ["Tài liệu b"], removed: ["Tài liệu cũ"] });
    expect(hasNews(p)).toBe(true);
    expect(hasNews({ ...p, baseline: 2 })).toBe(false);
  });
});

describe("papers by place", () => {
  it("keeps the secretariat's order within one item or section", () => {
    const papers = [
      paper("b", 1, { position: 2 }),
      paper("x", 1, { place: { at: "section", section: "announcements" } }),
      paper("a", 1, { position: 1 }),
    ];
    expect(papersAt(papers, { at: "item", item_id: "i1" }).map((p) => p.paper_id)).toEqual(["a", "b"]);
    expect(papersAt(papers, { at: "section", section: "announcements" }).map((p) => p.paper_id)).toEqual(["x"]);
  });
});

describe("sizes", () => {
  it("read naturally in each language", () => {
    expect(formatBytes(512, "vi")).toBe("512 B");
    expect(formatBytes(87516, "vi")).toBe("85,5 KB");
    expect(formatBytes(87516, "en")).toBe("85.5 KB");
    expect(formatBytes(1587100, "vi")).toBe("1,5 MB");
    expect(formatBytes(150 * 1024 * 1024, "en")).toBe("150 MB");
  });
});

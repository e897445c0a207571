import { describe, expect, it } from "vitest";
import type { ItemOpinions, OpinionView } from "../../lib/ipc/types";
import { bodyProblem, defaultItem, latest, MAX_OPINION_CHARS, MAX_QUOTE_CHARS, opinionCount, refusalKey, selectionQuote } from "./opinions";

function item(id: string, number: string, paperIds: string[] = [], opinions: OpinionView[] = []): ItemOpinions {
  return { item_id: id, number, title: `Mục ${number}`, paper_ids: paperIds, opinions };
}

function opinion(versions: number[]): OpinionView {
  return {
    id: "y1",
    item_id: "i2",
    author_id: "d1",
    author_name: "Nguyễn Văn An",
    own: true,
    versions: versions.map((version) => ({
      version,
      body: `Phiên bản ${version}`,
      paper: null,
      sent_at: 1_797_000_000_000 + version,
      withdrawn: false,
      sync: { state: "synced" },
    })),
  };
}

describe("the opinion form's choices", () => {
  it("starts on the item the paper being read sits under, else on the programme's first item", () => {
    const items = [item("i1", "1"), item("i2", "2", ["to-trinh"]), item("gone", "", ["to-trinh"])];
    expect(defaultItem(items, "to-trinh")).toBe("i2");
    expect(defaultItem(items, "phu-luc"), "a paper in a section, not under an item").toBe("i1");
    expect(defaultItem(items, null)).toBe("i1");
    expect(defaultItem([item("gone", "")], "x"), "an item off the programme is never offered").toBeNull();
  });

  it("refuses empty words and words past the limit, counting characters as the core does", () => {
    expect(bodyProblem(" \n\t")).toBe("empty");
    expect(bodyProblem("Tán thành.")).toBeNull();
    // A Vietnamese letter counts once, whatever its bytes: the limit is the core's, in characters.
    expect(bodyProblem("ệ".repeat(MAX_OPINION_CHARS))).toBeNull();
    expect(bodyProblem("ệ".repeat(MAX_OPINION_CHARS + 1))).toBe("too_long");
  });

  it("says a refusal in the opinion's own words for its rules' codes, and the app's for the rest", () => {
    expect(refusalKey("forbidden")).toBe("opinion.error.forbidden");
    expect(refusalKey("conflict")).toBe("opinion.error.conflict");
    expect(refusalKey("payload_too_large")).toBe("opinion.error.payload_too_large");
    expect(refusalKey("server_unreachable")).toBe("error.server_unreachable");
  });

  it("turns a selected passage into a quote: white space collapsed, nothing for an empty selection, cut at the limit", () => {
    expect(selectionQuote("  dự toán thu\n ngân sách  ")).toBe("dự toán thu ngân sách");
    expect(selectionQuote("   ")).toBeUndefined();
    expect(selectionQuote(null)).toBeUndefined();
    const long = selectionQuote("ữ".repeat(MAX_QUOTE_CHARS + 50)) ?? "";
    expect([...long].length).toBe(MAX_QUOTE_CHARS);
    expect(long.endsWith("…")).toBe(true);
  });

  it("takes the highest version as the one that stands, and counts opinions, not versions", () => {
    expect(latest(opinion([1, 3, 2])).version).toBe(3);
    expect(opinionCount([item("i1", "1"), item("i2", "2", [], [opinion([1, 2])])])).toBe(1);
  });
});

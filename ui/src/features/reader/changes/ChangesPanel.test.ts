// @vitest-environment jsdom
// The reader's list of a replaced paper's changes and the marks waiting for review, against the core's commands.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { AnnotationReviewView, PaperAmendmentView } from "../../../lib/ipc/types";
import ChangesPanel from "./ChangesPanel.svelte";
import { PaperChanges } from "./paperChanges.svelte";

const amendment: PaperAmendmentView = {
  paper_id: "paper-1",
  since_version: 1,
  since_read: true,
  current_version: 2,
  count: 3,
  changes: [
    { kind: "changed", old_text: "9.422.500", new_text: "9.410.000", ranges: [{ page: 1, start: 18, end: 27 }] },
    { kind: "deleted", old_text: "6. Đẩy mạnh chuyển đổi số", new_text: "", ranges: [{ page: 2, start: 40, end: 40 }] },
    { kind: "inserted", old_text: "", new_text: "3. Giao Ủy ban nhân dân", ranges: [{ page: 3, start: 0, end: 22 }] },
  ],
};
const review: AnnotationReviewView = {
  annotation_id: "mark-1",
  paper_id: "paper-1",
  kind: "underline",
  old_quote: "Đẩy mạnh chuyển đổi số trong quản lý thuế",
  old_before: "6. ",
  old_after: ", kho bạc",
  old_page: 2,
  body: "Cần bổ sung lộ trình",
  made_on_version: 1,
  candidates: [
    { start: 900, end: 920, text: "chuyển đổi số", before: "Đẩy mạnh ", after: " trong", ranges: [{ page: 2, start: 5, end: 18 }], score: 0.6 },
  ],
};

let view: ReturnType<typeof mount> | null = null;

afterEach(() => {
  if (view !== null) unmount(view);
  view = null;
  clearMocks();
  document.body.innerHTML = "";
});

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    flushSync();
  }
}

async function panel(
  resolved: unknown[],
  changed: Partial<PaperAmendmentView> = {},
): Promise<{ changes: PaperChanges; pages: number[] }> {
  let reviews = [review];
  mockIPC((command, args) => {
    if (command === "paper_changes") return { ...amendment, ...changed };
    if (command === "annotations_needing_review") return reviews;
    if (command === "resolve_annotation_review") {
      resolved.push(args);
      reviews = [];
      return null;
    }
    throw new Error(`unexpected command ${command}`);
  });
  const pages: number[] = [];
  const changes = new PaperChanges("paper-1", (page) => pages.push(page));
  await changes.load();
  view = mount(ChangesPanel, { target: document.body, props: { changes, ongo: (page: number) => pages.push(page) } });
  flushSync();
  return { changes, pages };
}

function key(target: Element, key: string) {
  target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
  flushSync();
}

describe("the changes of a replaced paper", () => {
  it("says how many passages changed since the version read, and lists them", async () => {
    await panel([]);
    const count = document.querySelector("[data-testid=changes-count]");
    expect(count?.getAttribute("data-count")).toBe("3");
    expect(count?.textContent).toContain("3 chỗ thay đổi so với phiên bản 1");
    const entries = Array.from(document.querySelectorAll("[data-testid=change-entry]"));
    expect(entries.map((e) => e.getAttribute("data-kind"))).toEqual(["changed", "deleted", "inserted"]);
    expect(entries[0]?.querySelector("del")?.textContent).toBe("9.422.500");
    expect(entries[0]?.querySelector("ins")?.textContent).toBe("9.410.000");
  });

  it("says the changes are since the previous version when the member never read an earlier one", async () => {
    await panel([], { since_read: false });
    expect(document.querySelector("[data-testid=changes-count]")?.textContent).toContain(
      "3 chỗ thay đổi so với phiên bản 1 trước đó",
    );
  });

  it("steps with next and previous, going to each change's page", async () => {
    const { changes, pages } = await panel([]);
    (document.querySelector("[data-testid=change-next]") as HTMLButtonElement).click();
    (document.querySelector("[data-testid=change-next]") as HTMLButtonElement).click();
    flushSync();
    expect(changes.current).toBe(1);
    expect(pages).toEqual([1, 2]);
    (document.querySelector("[data-testid=change-previous]") as HTMLButtonElement).click();
    (document.querySelector("[data-testid=change-previous]") as HTMLButtonElement).click();
    flushSync();
    // Previous from the first wraps to the last.
    expect(changes.current).toBe(2);
    expect(document.querySelector("[aria-current=true]")?.getAttribute("data-index")).toBe("2");
  });

  it("moves through the list by keyboard, and the reader does not also turn the page", async () => {
    const { changes, pages } = await panel([]);
    let reachedReader = 0;
    const counting = () => reachedReader++;
    document.addEventListener("keydown", counting);
    const first = document.querySelector("[data-testid=change-entry]") as HTMLElement;
    key(first, "ArrowDown");
    expect(changes.current).toBe(0);
    key(first, "End");
    expect(changes.current).toBe(2);
    key(first, "n");
    expect(changes.current).toBe(0);
    expect(pages).toEqual([1, 3, 1]);
    expect(reachedReader).toBe(0);
    document.removeEventListener("keydown", counting);
  });

  it("lists a mark that needs review with its old quote, and places it on a candidate", async () => {
    const resolved: unknown[] = [];
    await panel(resolved);
    const item = document.querySelector("[data-testid=review-item]");
    expect(item?.querySelector("[data-testid=review-quote] mark")?.textContent).toBe(review.old_quote);
    expect(item?.textContent).toContain("Cần bổ sung lộ trình");
    const place = item?.querySelector("[data-testid=review-place]") as HTMLButtonElement;
    expect(place.getAttribute("aria-label")).toBe("Đặt ghi chú vào vị trí 1, trang 3");
    place.click();
    await settle();
    expect(resolved).toEqual([{ annotationId: "mark-1", choice: { choice: "candidate", start: 900, end: 920 } }]);
    expect(document.querySelector("[data-testid=needs-review]")).toBeNull();
  });
});

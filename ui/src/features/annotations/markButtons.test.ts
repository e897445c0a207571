// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { MarkButtons } from "./markButtons";
import { markView as mark } from "./testMark";

const label = (one: { id: string; body: string }) => `Ghi chú ${one.id}: ${one.body}`;

function page() {
  const list = document.createElement("div");
  document.body.replaceChildren(list);
  return { list, buttons: new MarkButtons(list), ids: () => [...list.children].map((button) => (button as HTMLElement).dataset.id) };
}

describe("a page's marks as buttons", () => {
  it("names each mark, in the order given, with one tab stop and the selected one pressed", () => {
    const { list, buttons, ids } = page();
    const [a, b] = [mark({ id: "a", body: "thu" }), mark({ id: "b", body: "chi", own: false, sync: { state: "pending" } })];
    buttons.show([a, b], label);
    buttons.mark("b", "a");

    expect(ids()).toEqual(["a", "b"]);
    const [first, second] = [buttons.button("a"), buttons.button("b")];
    expect(first?.getAttribute("aria-label")).toBe("Ghi chú a: thu");
    expect(first?.getAttribute("role")).toBe("button");
    expect(second?.dataset).toMatchObject({ testid: "annotation", kind: "note", own: "false", sync: "pending" });
    expect([first?.tabIndex, second?.tabIndex], "one tab stop per page: the rest are reached by the arrows").toEqual([-1, 0]);
    expect([first?.getAttribute("aria-pressed"), second?.getAttribute("aria-pressed")]).toEqual(["true", "false"]);
    expect(list.querySelectorAll("[tabindex='0']")).toHaveLength(1);
  });

  it("keeps the buttons of marks that did not change, and the focus on a mark that moves in the order", () => {
    const { buttons, ids } = page();
    const [a, b, c] = ["a", "b", "c"].map((id) => mark({ id }));
    buttons.show([a!, b!, c!], label);
    buttons.mark("c", null);
    const kept = buttons.button("b");
    buttons.button("c")?.focus();

    const edited = mark({ id: "c", body: "sửa", sync: { state: "pending" } });
    buttons.show([edited, a!, b!], label);

    expect(ids(), "the edited mark moved to the top").toEqual(["c", "a", "b"]);
    expect(buttons.button("b"), "an unchanged mark keeps its button").toBe(kept);
    expect(buttons.button("c")?.dataset.sync).toBe("pending");
    expect(buttons.button("c")?.getAttribute("aria-label")).toBe("Ghi chú c: sửa");
    expect(document.activeElement, "the keyboard stays on the mark it was on").toBe(buttons.button("c"));
  });

  it("drops the buttons of marks gone, and relabels all when the names change (another language)", () => {
    const { buttons, ids } = page();
    const [a, b] = [mark({ id: "a" }), mark({ id: "b" })];
    buttons.show([a, b], label);
    buttons.show([b], (one) => `Note ${one.id}`);

    expect(ids()).toEqual(["b"]);
    expect(buttons.button("a")).toBeNull();
    expect(buttons.button("b")?.getAttribute("aria-label")).toBe("Note b");
  });
});

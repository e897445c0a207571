import { describe, expect, it } from "vitest";
import type { PresentationView } from "../../lib/ipc/types";
import { afterTurn, followBar, followStep, PresenterPages, returnToPresenter, startFollow } from "./follow";

const presenting = (page: number, paper_id = "du-thao"): PresentationView => ({
  presenter_id: "chair",
  presenter_name: "Nguyễn Văn Thành",
  paper_id,
  page,
});

describe("following the presenter", () => {
  it("turns to each page presented in the paper being read, and leaves alone a page already shown", () => {
    const following = startFollow(true);
    expect(followStep(following, presenting(6), "du-thao", [4])).toEqual({ kind: "turn", page: 6 });
    expect(followStep(following, presenting(6), "du-thao", [6])).toEqual({ kind: "stay" });
    expect(followStep(following, presenting(6), "du-thao", [5, 6]), "the page is on the spread already").toEqual({ kind: "stay" });
    expect(followStep(following, undefined, "du-thao", [4]), "nothing is presented").toEqual({ kind: "stay" });
  });

  it("asks for the other paper when the presenter moves to it", () => {
    expect(followStep(startFollow(true), presenting(2, "to-trinh"), "du-thao", [4])).toEqual({ kind: "open", paperId: "to-trinh", page: 2 });
  });

  it("does nothing for a member who is not following", () => {
    expect(followStep(startFollow(false), presenting(6), "du-thao", [4])).toEqual({ kind: "stay" });
    expect(followStep(startFollow(false), presenting(2, "to-trinh"), "du-thao", [4])).toEqual({ kind: "stay" });
  });

  it("ends when the member turns away from the page presented, and not when they were turned to it", () => {
    const following = startFollow(true);
    expect(afterTurn(following, presenting(6), "du-thao", [6]), "a turn made for them").toBe(following);
    expect(afterTurn(following, presenting(6), "du-thao", [7])).toEqual({ following: false, left: true });
    expect(afterTurn(following, undefined, "du-thao", [7]), "with nothing presented there is nothing to leave").toBe(following);
    expect(afterTurn(following, presenting(2, "to-trinh"), "du-thao", [7]), "the reader is about to open the other paper").toBe(following);
  });

  it("comes back to the presenter's page on request", () => {
    const back = returnToPresenter(presenting(6), "du-thao", [9]);
    expect(back.follow).toEqual({ following: true, left: false });
    expect(back.step).toEqual({ kind: "turn", page: 6 });
  });

  it("tells the bar whether the member follows, turned away, or may start, and hides it from the presenter", () => {
    const page = (at: number) => ({ at: "page", page: at });
    expect(followBar(startFollow(true), presenting(6), "du-thao", false)).toEqual({ kind: "following", presented: page(6) });
    expect(followBar(startFollow(true), undefined, "du-thao", false)).toEqual({ kind: "following", presented: { at: "nothing" } });
    expect(followBar(startFollow(true), presenting(3, "to-trinh"), "du-thao", false), "a paper this member cannot open").toEqual({
      kind: "following",
      presented: { at: "other_paper" },
    });
    expect(followBar({ following: false, left: true }, presenting(6), "du-thao", false)).toEqual({ kind: "left", presented: page(6) });
    expect(followBar(startFollow(false), presenting(3, "to-trinh"), "du-thao", false)).toEqual({
      kind: "available",
      presented: { at: "other_paper" },
    });
    expect(followBar(startFollow(false), undefined, "du-thao", false), "nothing to follow").toEqual({ kind: "hidden" });
    expect(followBar(startFollow(true), presenting(6), "du-thao", true), "the presenter follows nobody").toEqual({ kind: "hidden" });
  });
});

describe("presenting from the reader", () => {
  function presenter(accept = true) {
    const sent: number[] = [];
    const answers: (() => void)[] = [];
    const pages = new PresenterPages(
      (page) =>
        new Promise<boolean>((resolve) => {
          sent.push(page);
          answers.push(() => resolve(accept));
        }),
    );
    const answer = async () => {
      answers.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    return { pages, sent, answer };
  }

  it("sends one page at a time, and of the pages turned to meanwhile only the last", async () => {
    const { pages, sent, answer } = presenter();
    void pages.turnedTo(4);
    void pages.turnedTo(5);
    void pages.turnedTo(6);
    void pages.turnedTo(7);
    expect(sent, "the turns during the first send wait for it").toEqual([4]);
    await answer();
    expect(sent, "then the page on screen, not the ones passed on the way").toEqual([4, 7]);
    await answer();
    void pages.turnedTo(7);
    expect(sent, "the page presented already is not sent again").toEqual([4, 7]);
  });

  it("stops at a refusal, and sends the same page again after presenting restarts", async () => {
    const { pages, sent, answer } = presenter(false);
    void pages.turnedTo(4);
    void pages.turnedTo(5);
    await answer();
    expect(sent, "a refused page does not send the next one").toEqual([4]);
    pages.reset();
    void pages.turnedTo(4);
    expect(sent).toEqual([4, 4]);
  });
});

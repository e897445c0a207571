// A poll as the core would send it, for the polls' tests: a secret yes / no / abstain vote on the budget resolution,
// open, with five entitled voters; closed polls carry a result of three for, one against and one abstaining.
import type { PollView } from "../../lib/ipc/types";

export function pollAs(changed: Partial<PollView> = {}): PollView {
  const state = changed.state ?? "open";
  const finished = state === "closed" || state === "published";
  return {
    id: "p1",
    meeting_id: "k10",
    item_id: "a2",
    item_title: "Dự toán ngân sách 2027",
    title: "Dự thảo nghị quyết về dự toán ngân sách năm 2027",
    kind: "yes_no_abstain",
    options: [],
    max_choices: 1,
    secret: true,
    rule: "half_of_members",
    may_change: false,
    state,
    entitled: 5,
    voted: finished ? 5 : 2,
    may_vote: state === "open",
    has_voted: false,
    server_offset_ms: 0,
    may_step: false,
    result: finished
      ? {
          rule: "half_of_members",
          counts: [3, 1, 1],
          ballots: 5,
          abstained: 1,
          not_voted: 0,
          entitled: 5,
          members: 5,
          base: 5,
          needed: 3,
          chosen: [0],
          passed: true,
          tied: false,
        }
      : undefined,
    ...changed,
  };
}

// A mark as the core answers it, for the tests of this folder.
import type { AnnotationView } from "../../lib/ipc/types";

/** The member's own yellow note, synced and placed nowhere yet, with `extra` over it. */
export function markView(extra: Partial<AnnotationView> = {}): AnnotationView {
  return {
    id: "m",
    author_id: "me",
    author_name: "",
    own: true,
    paper_id: "p",
    kind: { type: "note" },
    placement: { at: "elsewhere" },
    page: 0,
    quote: "",
    style: { colour: "#ffd54f", thickness: 2 },
    body: "",
    sharing: { scope: "private" },
    revision: 1,
    updated_at: 0,
    sync: { state: "synced" },
    ...extra,
  };
}

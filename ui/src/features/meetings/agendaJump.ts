// The programme flattened for the jump list: every item, nested ones after their parent, with its depth.
import type { AgendaNodeView } from "../../lib/ipc/types";

export type JumpEntry = { id: string; number: string; title: string; plannedMinutes: number | null; depth: number };

/** From this many items (nested ones included) a programme gets a list to jump to an item. */
export const JUMP_LIST_FROM = 5;

export function jumpEntries(items: readonly AgendaNodeView[], depth = 0): JumpEntry[] {
  return items.flatMap((item) => [
    { id: item.id, number: item.number, title: item.title, plannedMinutes: item.planned_minutes, depth },
    ...jumpEntries(item.children, depth + 1),
  ]);
}

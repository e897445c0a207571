// A live sitting as the core would send it, for the sitting's tests and the reader's: a People's Council of twelve
// voting delegates, the chair among them, a secretary and a guest.
import type { AttendeeView, MeetingRole, SittingPlaceView, SittingView } from "../../lib/ipc/types";

function attendee(member_id: string, name: string, meeting_role: MeetingRole, present?: AttendeeView["present"]): AttendeeView {
  return { member_id, name, meeting_role, votes: meeting_role === "chair" || meeting_role === "delegate", present, late: false, spoken_ms: 0 };
}

export const attendance: AttendeeView[] = [
  attendee("chair", "Nguyễn Văn Thành", "chair", "in_room"),
  attendee("lan", "Hoàng Thị Lan", "delegate", "in_room"),
  attendee("minh", "Trần Quang Minh", "delegate", "remote"),
  attendee("hoa", "Lê Thị Hoa", "delegate"),
  attendee("secretary", "Phạm Thu Hà", "secretary", "in_room"),
  attendee("guest", "Đỗ Văn Khách", "guest"),
];

export const places: Record<"delegate" | "chair" | "secretary", SittingPlaceView> = {
  delegate: { member_id: "lan", meeting_role: "delegate", chairs: false, records: false, may_speak: true, requested: false, speaking: false },
  chair: { member_id: "chair", meeting_role: "chair", present: "in_room", chairs: true, records: true, may_speak: false, requested: false, speaking: false },
  secretary: { member_id: "secretary", meeting_role: "secretary", present: "in_room", chairs: false, records: true, may_speak: false, requested: false, speaking: false },
};

/** The sitting of meeting k10, open on item a2 with two delegates on the list, as `who` sees it. */
export function sittingAs(who: keyof typeof places, changed: Partial<SittingView> = {}): SittingView {
  return {
    meeting_id: "k10",
    seq: 10,
    status: "open",
    remote_allowed: false,
    speech_secs: 300,
    quorum_numerator: 2,
    quorum_denominator: 3,
    quorum: { present: 9, voters: 12, needed: 8, holds: true },
    server_offset_ms: 0,
    opened_at: 1_000,
    clock: { counted_ms: 42 * 60_000 },
    current_item: { item_id: "a2", clock: { counted_ms: 12 * 60_000 + 5_000 } },
    items_done: ["a1"],
    attendance,
    speakers: [
      // A point of order goes before the requests to speak on the item.
      { member_id: "minh", name: "Trần Quang Minh", point_of_order: true, at: 3_000 },
      { member_id: "lan", name: "Hoàng Thị Lan", point_of_order: false, at: 2_000 },
    ],
    me: places[who],
    ...changed,
  };
}

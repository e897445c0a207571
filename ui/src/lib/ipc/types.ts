// Generated from crates/app/src/dto.rs and ipc.rs by `make bindings`.
// Do not edit: change the Rust types and regenerate.

export type Role = "administrator" | "secretary" | "chair" | "delegate" | "guest";
export type MeetingStatus = "draft" | "scheduled" | "in_progress" | "closed" | "archived";
export type ConnectionState = "online" | "connecting" | "offline" | "signed_out";
export type MemberView = { id: string, username: string, display_name: string, role: Role, };
export type SessionInfo = { server_url: string, member: MemberView, council_name: string, may: RolePermissions, };
export type SyncStatus = { connection: ConnectionState, 
/**
 * Milliseconds since the Unix epoch.
 */
last_synced_at: number | null, detail: string | null, };
export type PdfEngineStatus = { available: boolean, 
/**
 * The library in use, or every path tried and how to fix it.
 */
detail: string, };
export type AppSnapshot = { session: SessionInfo | null, sync: SyncStatus, pdf_engine: PdfEngineStatus, };
export type MeetingSummary = { id: string, title: string, starts_at: number, location: string, status: MeetingStatus, item_count: number, 
/**
 * The secretariat may file it away now (`MeetingStatus::archived`).
 */
archivable: boolean, 
/**
 * It is archived and may be brought back.
 */
restorable: boolean, };
export type ItemMark = "added" | "amended";
export type AgendaNodeView = { id: string, 
/**
 * "2.1": the number the papers use for this item.
 */
number: string, title: string, presenter: string | null, planned_minutes: number | null, paper_titles: Array<string>, 
/**
 * What changed in this item since the version the member last acknowledged.
 */
mark: ItemMark | null, children: Array<AgendaNodeView>, };
export type MeetingAgenda = { meeting: MeetingSummary, 
/**
 * The programme as published (see `Store::programme_view`).
 */
items: Array<AgendaNodeView>, 
/**
 * Items the latest version removed, for the member who has not acknowledged it yet.
 */
removed_items: Array<string>, };
export type StoreChanged = { cursor: number, };
export type RolePermissions = { 
/**
 * Edit meetings, programmes, participants and papers (the secretariat).
 */
prepare_meetings: boolean, 
/**
 * Open a meeting's preparation and read its papers in the making (the secretariat,
 * and the chair who reviews them).
 */
read_working_papers: boolean, 
/**
 * Approve, return, or withdraw the approval of papers (the chair).
 */
approve_papers: boolean, publish_packets: boolean, 
/**
 * Add, import, disable and reset members' accounts (the administrator).
 */
manage_accounts: boolean, };
export type AccountView = { member: MemberView, unit: string, disabled: boolean, 
/**
 * The password was set by an administrator and not changed yet.
 */
must_change_password: boolean, active_sessions: number, };
export type NewAccountDetails = { display_name: string, username: string, role: Role, unit: string, };
export type AccountCreatedView = { account: AccountView, generated_password: string | null, };
export type AccountChanges = { role?: Role, disabled?: boolean, };
export type ImportProblemView = { line: number, 
/**
 * The server's reason (English, naming the value).
 */
reason: string, };
export type MemberImportOutcome = { "outcome": "cancelled" } | { "outcome": "imported", file_name: string, accounts: Array<AccountCreatedView>, } | { "outcome": "rejected", file_name: string, problems: Array<ImportProblemView>, };
export type PaperKind = "submission" | "draft_resolution" | "review_report" | "appendix" | "other";
export type SectionKind = "announcements" | "press_summary" | "voter_opinions";
export type PaperPlace = { "at": "item", item_id: string, } | { "at": "section", section: SectionKind, };
export type ChangeMark = "added" | "replaced" | "removed";
export type PaperFileView = { 
/**
 * The content hash: the key of the file's download progress.
 */
hash: string, size: number, pages: number, file_name: string, };
export type PacketPaperView = { paper_id: string, 
/**
 * `None` only if the secretariat hid the title from this reader (such papers are
 * normally left out of their copy entirely).
 */
title: string | null, kind: PaperKind, place: PaperPlace, position: number, revision: number, 
/**
 * Confidential and not for this member: listed, never downloadable or openable.
 */
restricted: boolean, file: PaperFileView | null, 
/**
 * The file is on this device and was verified when it arrived.
 */
held: boolean, mark: ChangeMark | null, };
export type MeetingRole = "chair" | "secretary" | "delegate" | "guest";
export type ParticipantView = { member_id: string, display_name: string, meeting_role: MeetingRole, votes: boolean, };
export type MeetingPacket = { meeting_id: string, 
/**
 * The version number, 1, 2, 3…
 */
version: number, 
/**
 * Milliseconds since the Unix epoch.
 */
published_at: number, 
/**
 * The version the change marks are measured from; below `version` when there is news
 * the member has not acknowledged.
 */
baseline: number, 
/**
 * In programme order within each place.
 */
papers: Array<PacketPaperView>, 
/**
 * Papers of the baseline that this version no longer has.
 */
removed_titles: Array<string>, total_bytes: number, held_bytes: number, participants: Array<ParticipantView>, 
/**
 * The member removed this meeting's papers from the device (storage view).
 */
released: boolean, };
export type DownloadState = "waiting" | "downloading" | "done" | "failed";
export type FileDownload = { hash: string, received: number, total: number, state: DownloadState, 
/**
 * Why the last attempt failed, for people.
 */
detail: string | null, };
export type DownloaderState = "checking" | "downloading" | "paused" | "offline" | "retrying" | "complete" | "incomplete" | "signed_out";
export type DownloadProgress = { state: DownloaderState, 
/**
 * Why the state is what it is, for people.
 */
detail: string | null, received: number, total: number, files: Array<FileDownload>, };
export type PageSizeView = { width_pt: number, height_pt: number, };
export type OutlineEntryView = { title: string, 
/**
 * Zero-based; `None` when the bookmark points nowhere inside the paper.
 */
page: number | null, depth: number, };
export type OpenedPaper = { 
/**
 * Names the open document in `render_page`, `page_text` and `find_in_paper`.
 */
paper_id: string, title: string, page_count: number, pages: Array<PageSizeView>, outline: Array<OutlineEntryView>, 
/**
 * Zero-based page this member last read, 0 the first time.
 */
last_page: number, 
/**
 * `false` for a scan without a text layer: find and search cannot see into it.
 */
searchable: boolean, };
export type PageTextView = { page: number, text: string, boxes: Array<number>, };
export type FindHitView = { page: number, start: number, length: number, };
export type SnippetPart = { text: string, hit: boolean, };
export type SearchHitView = { meeting_id: string, meeting_title: string, paper_id: string, paper_title: string, 
/**
 * Zero-based.
 */
page: number, snippet: Array<SnippetPart>, };
export type UnsearchablePaperView = { meeting_id: string, meeting_title: string, paper_id: string, paper_title: string, };
export type SearchIndexProgress = { indexed: number, total: number, };
export type PageRangeView = { page: number, start: number, end: number, };
export type PlacementView = { "at": "text", ranges: Array<PageRangeView>, } | { "at": "mark", page: number, char_index?: number, dx: number, dy: number, } | { "at": "elsewhere" };
export type PlaceInput = { "at": "text", page: number, start: number, end_page: number, end: number, } | { "at": "point", page: number, x: number, y: number, };
export type FileAnnotationView = { page: number, 
/**
 * The PDF subtype in snake case (`highlight`, `note`, `stamp`, …), or its PDF name.
 */
kind: string, left: number, top: number, right: number, bottom: number, author?: string, contents?: string, };
export type ExportOutcome = { "outcome": "cancelled" } | { "outcome": "saved", file_name: string, 
/**
 * Marks written into the copy.
 */
written: number, 
/**
 * Marks made on an earlier version that could not be placed on this one with
 * confidence: left out rather than put where they may not belong.
 */
left_out: number, };
export type PacketAnnotationView = { annotation: AnnotationView, paper_title: string, 
/**
 * The agenda item the paper is attached to; absent for a paper of a section.
 */
item_id?: string, item_title?: string, };
export type InkPointView = { x: number, y: number, 
/**
 * 0 to 1 from a stylus; absent for a mouse.
 */
pressure?: number, };
export type AnnotationKindView = { "type": "highlight" } | { "type": "underline" } | { "type": "strike_out" } | { "type": "squiggly" } | { "type": "ink", strokes: Array<Array<InkPointView>>, } | { "type": "note" } | { "type": "free_text", width: number, height: number, } | { "type": "rectangle", width: number, height: number, } | { "type": "ellipse", width: number, height: number, } | { "type": "line", dx: number, dy: number, } | { "type": "arrow", dx: number, dy: number, };
export type SharingView = { "scope": "private" } | { "scope": "members", members: Array<string>, } | { "scope": "meeting" };
export type AnnotationStyle = { colour: string, thickness: number, };
export type AnnotationSyncView = { "state": "synced" } | { "state": "pending" } | { "state": "refused", error: IpcError, };
export type AnnotationView = { id: string, author_id: string, 
/**
 * The author's display name, empty when this device has not learnt it.
 */
author_name: string, 
/**
 * The signed-in member's own: they may edit and delete it.
 */
own: boolean, paper_id: string, kind: AnnotationKindView, style: AnnotationStyle, body: string, sharing: SharingView, 
/**
 * Where it sits on the pages open in the reader.
 */
placement: PlacementView, 
/**
 * The anchor's page (from 0) and the text it marks or sits nearest, for lists.
 */
page: number, quote: string, 
/**
 * The server's revision it is, or was edited from (0 before the server first stored it).
 */
revision: number, 
/**
 * Milliseconds since the epoch.
 */
updated_at: number, sync: AnnotationSyncView, };
export type AnnotationChanges = { 
/**
 * Where the next question goes on from.
 */
cursor: number, 
/**
 * `changed` is every annotation the member sees on the paper (the first question, or
 * one from before the changes this device keeps), not only those that changed.
 */
full: boolean, changed: Array<AnnotationView>, 
/**
 * Annotations no longer shown: deleted, or no longer shared with the member.
 */
removed: Array<string>, };
export type AnnotationInput = { id?: string, paper_id: string, kind: AnnotationKindView, 
/**
 * Where it goes; required for a new annotation, absent to keep an edited one's place.
 */
at?: PlaceInput, style: AnnotationStyle, body: string, sharing: SharingView, };
export type PaperLinkView = { paper_id: string, page: number, quote?: string, };
export type OpinionInput = { meeting_id: string, item_id: string, paper?: PaperLinkView, body: string, };
export type OpinionSyncView = { "state": "synced" } | { "state": "pending" } | { "state": "refused", error: IpcError, };
export type OpinionVersionView = { 
/**
 * 1 as first sent, then 2, 3, … for each edit.
 */
version: number, body: string, paper: PaperLinkView | null, 
/**
 * Milliseconds since the epoch: when the server received it (or this device sent it,
 * while pending).
 */
sent_at: number, withdrawn: boolean, sync: OpinionSyncView, };
export type OpinionView = { id: string, item_id: string, author_id: string, author_name: string, 
/**
 * The signed-in member's own: they may edit and withdraw it.
 */
own: boolean, versions: Array<OpinionVersionView>, };
export type ItemOpinions = { item_id: string, 
/**
 * "2.1", as the programme numbers it; empty for an item no longer on the programme.
 */
number: string, title: string, 
/**
 * The papers under this item (the form picks the item of the paper being read).
 */
paper_ids: Array<string>, opinions: Array<OpinionView>, };
export type MeetingOpinions = { meeting_id: string, items: Array<ItemOpinions>, 
/**
 * The member may send opinions in this meeting (a delegate or its chair, and the
 * meeting is not archived).
 */
may_send: boolean, 
/**
 * The member reads every member's opinions (the secretariat and the chair).
 */
reads_all: boolean, };
export type ChangeRangeView = { page: number, start: number, end: number, };
export type TextChangeKind = "inserted" | "deleted" | "changed";
export type TextChangeView = { kind: TextChangeKind, 
/**
 * The earlier version's words (empty for an insertion).
 */
old_text: string, 
/**
 * The current version's words (empty for a deletion).
 */
new_text: string, 
/**
 * Where it is on the current version, a range per page it touches (one empty range
 * for a deletion, where the text was).
 */
ranges: Array<ChangeRangeView>, };
export type ChangesUnavailable = "no_earlier_version" | "not_read_yet" | "earlier_version_missing" | "no_text";
export type PaperAmendmentView = { paper_id: string, 
/**
 * The packet version whose file the changes are measured from (the one the member
 * last read, or the one before the current file when they never read another).
 */
since_version?: number, 
/**
 * The member opened that version (else it is simply the one before the current file).
 */
since_read: boolean, 
/**
 * The packet version of the current file.
 */
current_version: number, 
/**
 * In the current version's order.
 */
changes: Array<TextChangeView>, count: number, unavailable?: ChangesUnavailable, };
export type ReviewCandidateView = { 
/**
 * Whole-text offsets in the current version: what the member sends back to choose it.
 */
start: number, end: number, 
/**
 * The words there, with a little context either side.
 */
text: string, before: string, after: string, 
/**
 * Where it is on the current version's pages.
 */
ranges: Array<ChangeRangeView>, 
/**
 * From 0 to 1: how well quote and context agree.
 */
score: number, };
export type AnnotationReviewView = { annotation_id: string, paper_id: string, 
/**
 * `highlight`, `underline`, `strike_out`, `squiggly`, `ink`, `note`, `free_text`,
 * `rectangle`, `ellipse`, `line` or `arrow`.
 */
kind: string, 
/**
 * The words it marked (or sat nearest) on the earlier version, with their context.
 */
old_quote: string, old_before: string, old_after: string, 
/**
 * Its page (from 0) on the earlier version.
 */
old_page: number, 
/**
 * The note's words or comment, if any.
 */
body: string, 
/**
 * The packet version it was made on.
 */
made_on_version?: number, 
/**
 * The best places found, best first (at most three; possibly none).
 */
candidates: Array<ReviewCandidateView>, };
export type ReviewChoice = { "choice": "candidate", start: number, end: number, } | { "choice": "delete" };
export type SearchResults = { query: string, hits: Array<SearchHitView>, unsearchable: Array<UnsearchablePaperView>, 
/**
 * Papers the PDF engine could not read, however often it tried (it crashed or ran out
 * of time): not scans, but files that need a fresh copy. The reason is in the log.
 */
unreadable: Array<UnsearchablePaperView>, progress: SearchIndexProgress, };
export type MeetingStorageView = { meeting_id: string, title: string, starts_at: number, held_bytes: number, 
/**
 * Removed from this device by the user; not fetched again until kept.
 */
released: boolean, };
export type VisibilityView = { "scope": "all_participants" } | { "scope": "named", readers: Array<string>, 
/**
 * Others do not even learn the title.
 */
title_hidden: boolean, } | { "scope": "secretariat" };
export type ReviewView = { "state": "pending" } | { "state": "approved", 
/**
 * The approver's name, when this device knows the member.
 */
by: string | null, 
/**
 * Milliseconds since the Unix epoch.
 */
at: number, 
/**
 * The approval went out with the last packet version, so it can no longer be
 * withdrawn (a change goes through a new file).
 */
published: boolean, } | { "state": "returned", 
/**
 * The chair's name, when this device knows the member.
 */
by: string | null, 
/**
 * Milliseconds since the Unix epoch.
 */
at: number, 
/**
 * Why, in the chair's words.
 */
reason: string, };
export type DraftPaperView = { paper_id: string, place: PaperPlace, position: number, title: string, kind: PaperKind, visibility: VisibilityView, file: PaperFileView, revision: number, 
/**
 * The path in the watched folder it came from, if it did.
 */
source: string | null, review: ReviewView, withdrawn: boolean, 
/**
 * Milliseconds since the Unix epoch.
 */
updated_at: number, };
export type PublishOutlook = { "state": "ready", papers_added: Array<string>, papers_replaced: Array<string>, papers_withdrawn: Array<string>, papers_amended: Array<string>, items_added: Array<string>, items_amended: Array<string>, items_removed: Array<string>, participants_changed: boolean, } | { "state": "not_approved", titles: Array<string>, } | { "state": "no_papers" } | { "state": "nothing_changed", current: number, };
export type MeetingDraft = { meeting: MeetingSummary, items: Array<AgendaNodeView>, papers: Array<DraftPaperView>, participants: Array<ParticipantView>, 
/**
 * Nobody chose the participants yet: `participants` is what publishing would use
 * (every member but the administrator).
 */
participants_are_default: boolean, 
/**
 * The council's members, to choose participants and confidential readers from.
 */
members: Array<MemberView>, 
/**
 * The last published packet version, if any.
 */
published_version: number | null, 
/**
 * What publishing now would do, or why it cannot.
 */
publish: PublishOutlook, };
export type MeetingDetails = { title: string, 
/**
 * Milliseconds since the Unix epoch.
 */
starts_at: number, location: string, };
export type AgendaItemDetails = { title: string, presenter: string | null, planned_minutes: number | null, };
export type AgendaMove = { "move": "up" } | { "move": "down" } | { "move": "indent" } | { "move": "outdent" } | { "move": "to", parent_id: string | null, index: number, };
export type ParticipantChoice = { member_id: string, meeting_role: MeetingRole, votes: boolean, };
export type PaperChanges = { title?: string, kind?: PaperKind, visibility?: VisibilityView, place?: PaperPlace, withdrawn?: boolean, };
export type ImportOutcome = { file_name: string, 
/**
 * The paper it became (or the paper it is a new revision of).
 */
paper_id: string | null, error: IpcError | null, };
export type UploadStage = "checking" | "uploading" | "attaching" | "done" | "failed";
export type UploadProgress = { 
/**
 * Made by the core per file, so the UI can follow several uploads at once.
 */
upload_id: string, file_name: string, stage: UploadStage, sent: number, total: number, error: IpcError | null, };
export type FilesDropped = { drop_id: number, file_names: Array<string>, 
/**
 * Where they were dropped, in CSS pixels from the window's top left.
 */
x: number, y: number, };
export type DropPoint = { x: number, y: number, };
export type PublishedVersion = { number: number, };
export type FolderImportOutcome = "imported" | "revised" | "no_item" | "failed";
export type FolderImport = { 
/**
 * Its path inside the folder, e.g. `2.1/to-trinh.pdf`.
 */
relative: string, 
/**
 * The programme number its subfolder names, if any.
 */
item_number: string | null, outcome: FolderImportOutcome, paper_id: string | null, error: IpcError | null, 
/**
 * Milliseconds since the Unix epoch.
 */
at: number, };
export type WatchedFolderView = { meeting_id: string, 
/**
 * The folder, as the system names it.
 */
folder: string, 
/**
 * Set when the folder can no longer be watched; the message says why.
 */
failure: string | null, imports: Array<FolderImport>, };
export type SittingStatusView = "not_opened" | "open" | "paused" | "closed";
export type PresenceView = "in_room" | "remote" | "by_hand";
export type ClockView = { counted_ms: number, 
/**
 * The server's time it started running, while it runs.
 */
running_since?: number, };
export type QuorumView = { present: number, voters: number, needed: number, holds: boolean, };
export type AttendeeView = { member_id: string, name: string, meeting_role: MeetingRole, votes: boolean, present?: PresenceView, 
/**
 * When their presence last changed (checked in or out), server time.
 */
since?: number, 
/**
 * Checked in after the sitting was opened.
 */
late: boolean, 
/**
 * Who recorded them present by hand.
 */
recorded_by?: string, 
/**
 * Time on the floor this sitting, speeches ended so far.
 */
spoken_ms: number, };
export type FloorRequestView = { member_id: string, name: string, point_of_order: boolean, at: number, };
export type SpeechView = { member_id: string, name: string, allowed_secs: number, clock: ClockView, 
/**
 * Their time on the floor before this speech.
 */
spoken_before_ms: number, };
export type PresentationView = { presenter_id: string, presenter_name: string, paper_id: string, 
/**
 * From 0.
 */
page: number, };
export type CurrentItemView = { item_id: string, clock: ClockView, };
export type SittingPlaceView = { 
/**
 * The signed-in member.
 */
member_id: string, meeting_role?: MeetingRole, present?: PresenceView, 
/**
 * Runs the sitting (its chair).
 */
chairs: boolean, 
/**
 * Records attendance and sets the rules (the secretariat or the chair).
 */
records: boolean, 
/**
 * Asks for the floor (a delegate).
 */
may_speak: boolean, 
/**
 * Waiting on the list of speakers of the current item.
 */
requested: boolean, speaking: boolean, };
export type SittingView = { meeting_id: string, 
/**
 * The last event shown.
 */
seq: number, status: SittingStatusView, remote_allowed: boolean, speech_secs: number, quorum_numerator: number, quorum_denominator: number, quorum: QuorumView, server_offset_ms: number, opened_at?: number, clock: ClockView, current_item?: CurrentItemView, items_done: Array<string>, attendance: Array<AttendeeView>, 
/**
 * The current item's list, next first.
 */
speakers: Array<FloorRequestView>, speech?: SpeechView, presentation?: PresentationView, me: SittingPlaceView, };
export type SittingActionInput = { "action": "check_in", remote: boolean, } | { "action": "check_out" } | { "action": "record_attendance", member_id: string, present: boolean, } | { "action": "set_rules", quorum_numerator: number, quorum_denominator: number, remote_allowed: boolean, speech_secs: number, } | { "action": "open" } | { "action": "pause" } | { "action": "resume" } | { "action": "close" } | { "action": "move_to", item_id: string, } | { "action": "present", paper_id: string, page: number, } | { "action": "stop_presenting" } | { "action": "request_floor", point_of_order: boolean, } | { "action": "withdraw_request" } | { "action": "order_request", member_id: string, position: number, } | { "action": "grant_floor", member_id: string, allowed_secs?: number, } | { "action": "end_speech" };
export type PollKindView = "yes_no_abstain" | "one_of" | "some_of" | "election";
export type MajorityRuleView = "more_for_than_against" | "half_of_cast" | "half_of_present" | "half_of_members" | "two_thirds_of_members";
export type PollStateView = "draft" | "open" | "closed" | "published" | "cancelled";
export type RollEntryView = { member_id: string, name: string, choice: Array<number>, };
export type PollResultView = { rule: MajorityRuleView, 
/**
 * Ballots per option, by index.
 */
counts: number[], ballots: number, abstained: number, not_voted: number, entitled: number, members: number, 
/**
 * What the rule measures against, and the fewest ballots an option needs.
 */
base: number, needed: number, chosen: Array<number>, passed: boolean, tied: boolean, roll?: Array<RollEntryView>, };
export type BallotStateView = "sending" | "recorded" | "refused";
export type MyBallotView = { version: number, 
/**
 * The last ballot sent.
 */
choice: Array<number>, state: BallotStateView, refused_code?: IpcErrorCode, refused_message?: string, 
/**
 * The choice the server recorded last (what counts), with its receipt (64 hex digits)
 * and its line in the poll's log.
 */
recorded_choice?: Array<number>, receipt?: string, line?: number, };
export type PollView = { id: string, meeting_id: string, item_id: string, 
/**
 * The item's number and title in the programme, when this device knows it.
 */
item_title?: string, title: string, kind: PollKindView, 
/**
 * The drafter's option or candidate names (none for yes / no / abstain).
 */
options: Array<string>, 
/**
 * The most options a ballot may choose.
 */
max_choices: number, secret: boolean, rule: MajorityRuleView, may_change: boolean, countdown_secs?: number, state: PollStateView, opened_at?: number, 
/**
 * When the countdown closes it, server time.
 */
closes_at?: number, closed_at?: number, entitled: number, voted: number, 
/**
 * The member may vote in it now.
 */
may_vote: boolean, 
/**
 * The server has a ballot of theirs (whichever device sent it).
 */
has_voted: boolean, 
/**
 * A named poll's entitled voters who have not voted yet, by name.
 */
not_voted?: Array<string>, result?: PollResultView, my_ballot?: MyBallotView, 
/**
 * How far the server's clock is ahead of this device's, for the countdown.
 */
server_offset_ms: number, 
/**
 * The member may open, close, publish or cancel it (the chair), or edit the draft.
 */
may_step: boolean, };
export type PollTurnoutView = { meeting_id: string, poll_id: string, voted: number, entitled: number, };
export type PollDraftInput = { 
/**
 * The draft to change; a new poll without it.
 */
poll_id?: string, item_id: string, title: string, kind: PollKindView, 
/**
 * Option or candidate names (ignored for yes / no / abstain).
 */
options: Array<string>, 
/**
 * The most options a ballot may choose (several choices, or an election's seats).
 */
max_choices: number, secret: boolean, rule: MajorityRuleView, may_change: boolean, countdown_secs?: number, };
export type PollStepInput = "open" | "close" | "publish" | "cancel";
export type ReceiptCheckView = { 
/**
 * The member's recorded ballot sits in the log at the line its answer gave, unchanged,
 * with the choice this device sent.
 */
found: boolean, line: number, receipt: string, 
/**
 * The whole log's chain and count hold.
 */
log_holds: boolean, 
/**
 * What does not hold, line by line.
 */
problems: Array<string>, lines: number, };
export type ConversationKindView = "private" | "group" | "meeting" | "announcements" | "secretariat";
export type ChatMemberView = { id: string, name: string, };
export type ChatMessageState = "waiting" | "sent" | "delivered" | "read" | "refused";
export type ChatPaperRef = { paper_id: string, 
/**
 * From 0, as the reader counts pages.
 */
page: number, 
/**
 * The paper's title and meeting, when the member reads it on this device (else the
 * window says "a paper" and cannot open it).
 */
title: string | null, meeting_id: string | null, };
export type ChatMessageView = { id: string, conversation_id: string, 
/**
 * Its number in the conversation; 0 while waiting.
 */
seq: number, author_id: string, author_name: string, mine: boolean, 
/**
 * Plain text, shown as text (never as HTML); empty once deleted.
 */
body: string, reply_to: string | null, paper: ChatPaperRef | null, sent_at: number, edited: boolean, deleted: boolean, state: ChatMessageState, refusal: IpcError | null, };
export type ConversationSummary = { id: string, kind: ConversationKindView, 
/**
 * What the list calls it: the other member's name, the group's title, the meeting's
 * title, the member's name (for the secretariat) or empty (the window names
 * announcements and the member's own conversation with the secretariat).
 */
title: string, 
/**
 * Members named in it (a group's, a meeting's, a private pair), by display name.
 */
members: Array<ChatMemberView>, unread: number, muted: boolean, 
/**
 * The member was removed from it: kept to read, nothing more arrives.
 */
left: boolean, 
/**
 * Whether the member may post in it (announcements: the secretariat only).
 */
may_post: boolean, 
/**
 * The member owns the group (adds and removes members).
 */
owned: boolean, last: ChatMessageView | null, };
export type ChatDraft = { conversation_id: string, body: string, reply_to: string | null, paper: ChatPaperRef | null, };
export type ChatSearchHit = { conversation_id: string, conversation_title: string, message: ChatMessageView, };
export type ChatChanged = { 
/**
 * The conversation whose messages changed, if one did.
 */
conversation_id: string | null, 
/**
 * New messages from others, for a notification (none from a muted conversation).
 */
arrived: Array<ChatMessageView>, };
export type IpcErrorCode = "invalid_credentials" | "server_unreachable" | "invalid_server_url" | "session_expired" | "not_signed_in" | "not_found" | "forbidden" | "bad_request" | "conflict" | "pdf_empty" | "not_a_pdf" | "pdf_corrupt" | "pdf_password_protected" | "pdf_wrong_password" | "pdf_unsupported_security" | "pdf_restricted" | "payload_too_large" | "hash_mismatch" | "file_unreadable" | "publish_conflict" | "papers_not_approved" | "nothing_to_publish" | "review_changed" | "approval_published" | "own_upload" | "paper_not_downloaded" | "paper_damaged" | "pdf_engine_unavailable" | "page_too_large" | "folder_unavailable" | "too_many_attempts" | "password_change_required" | "password_too_short" | "password_contains_user_name" | "password_too_common" | "wrong_current_password" | "username_taken" | "import_rejected" | "sitting_closed" | "sitting_not_open" | "remote_not_allowed" | "not_checked_in" | "request_gone" | "poll_not_open" | "poll_closed" | "poll_cancelled" | "not_entitled" | "already_voted" | "ballot_not_current" | "nobody_present" | "too_many_messages" | "message_too_long" | "message_deleted" | "internal";
export type IpcError = { code: IpcErrorCode, message: string, };
/** Every command the window may call (crates/app/src/ipc.rs). */
export type CommandName =
  | "app_snapshot"
  | "login"
  | "logout"
  | "complete_first_login"
  | "change_own_password"
  | "list_accounts"
  | "create_account"
  | "update_account"
  | "reset_account_password"
  | "import_members"
  | "list_meetings"
  | "meeting_agenda"
  | "meeting_packet"
  | "acknowledge_packet"
  | "storage_overview"
  | "release_meeting"
  | "keep_meeting"
  | "download_progress"
  | "pause_downloads"
  | "resume_downloads"
  | "open_paper"
  | "render_page"
  | "close_paper"
  | "open_local_pdf"
  | "open_launch_pdf"
  | "unlock_local_pdf"
  | "page_text"
  | "find_in_paper"
  | "paper_annotation_changes"
  | "meeting_annotations"
  | "file_annotations"
  | "save_annotation"
  | "delete_annotation"
  | "export_annotated_paper"
  | "remember_page"
  | "set_fullscreen"
  | "search_papers"
  | "search_index_progress"
  | "annotations_needing_review"
  | "resolve_annotation_review"
  | "paper_changes"
  | "meeting_draft"
  | "create_meeting"
  | "update_meeting"
  | "archive_meeting"
  | "add_agenda_item"
  | "update_agenda_item"
  | "move_agenda_item"
  | "set_participants"
  | "import_papers"
  | "import_dropped_papers"
  | "update_paper"
  | "replace_paper_file"
  | "approve_paper"
  | "return_paper"
  | "withdraw_paper_approval"
  | "open_draft_paper"
  | "publish_packet"
  | "watch_folder"
  | "stop_watching_folder"
  | "watched_folder"
  | "meeting_opinions"
  | "send_opinion"
  | "edit_opinion"
  | "withdraw_opinion"
  | "sitting"
  | "act_in_sitting"
  | "meeting_polls"
  | "draft_poll"
  | "step_poll"
  | "cast_ballot"
  | "check_ballot_receipt"
  | "chat_conversations"
  | "chat_messages"
  | "chat_members"
  | "open_private_chat"
  | "ask_secretariat"
  | "send_chat_message"
  | "edit_chat_message"
  | "delete_chat_message"
  | "retry_chat_message"
  | "discard_chat_message"
  | "mark_chat_read"
  | "mute_chat"
  | "create_chat_group"
  | "change_chat_group"
  | "search_chat"
  | "open_link";

/** Every event the app sends the window, with what it carries. */
export interface AppEvents {
  "sync-status": SyncStatus;
  "store-changed": StoreChanged;
  "download-progress": DownloadProgress;
  "upload-progress": UploadProgress;
  "watched-folder": WatchedFolderView | null;
  "search-index-progress": SearchIndexProgress;
  "paper-files-hover": DropPoint | null;
  "paper-files-dropped": FilesDropped;
  "sitting-changed": SittingView;
  "poll-changed": PollView;
  "poll-turnout": PollTurnoutView;
  "chat-changed": ChatChanged;
}

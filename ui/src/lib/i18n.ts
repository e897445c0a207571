// Interface text in Vietnamese (the default) and English.
// Messages may contain `{name}` placeholders, filled by `translate`.

export type Lang = "vi" | "en";

export const defaultLang: Lang = "vi";

/** Each language's name in that language, as the switch offers it. */
export const languageNames: Record<Lang, string> = { vi: "Tiếng Việt", en: "English" };

export function isLang(value: unknown): value is Lang {
  return value === "vi" || value === "en";
}

const vi = {
  "app.starting": "Đang khởi động…",
  "app.retry": "Thử lại",

  "login.title": "Đăng nhập",
  "login.intro": "Dùng tài khoản do thư ký hoặc quản trị viên cấp cho bạn.",
  "login.server_url": "Địa chỉ máy chủ",
  "login.username": "Tên đăng nhập",
  "login.password": "Mật khẩu",
  "login.submit": "Đăng nhập",
  "login.submitting": "Đang đăng nhập…",

  "session.logout": "Đăng xuất",
  "session.logging_out": "Đang đăng xuất…",
  "role.administrator": "Quản trị viên",
  "role.secretary": "Thư ký",
  "role.chair": "Chủ tọa",
  "role.delegate": "Đại biểu",
  "role.guest": "Khách mời",

  "meetings.title": "Kỳ họp",
  "meetings.loading": "Đang tải danh sách kỳ họp…",
  "meetings.empty": "Chưa có kỳ họp nào. Danh sách sẽ tự cập nhật khi có kỳ họp mới.",
  "meetings.when": "{date}, lúc {time}",
  "meetings.location": "Địa điểm: {location}",
  "meetings.item_count": "Số nội dung: {count}",
  "meeting_status.draft": "Bản nháp",
  "meeting_status.scheduled": "Đã lên lịch",
  "meeting_status.in_progress": "Đang họp",
  "meeting_status.closed": "Đã kết thúc",

  "agenda.back": "Quay lại danh sách kỳ họp",
  "agenda.title": "Chương trình kỳ họp",
  "agenda.loading": "Đang tải chương trình kỳ họp…",
  "agenda.empty": "Kỳ họp này chưa có chương trình.",
  "agenda.presenter": "Người trình bày: {name}",
  "agenda.minutes": "Thời gian dự kiến: {minutes} phút",
  "agenda.papers": "Tài liệu",

  "connection.online": "Trực tuyến",
  "connection.connecting": "Đang kết nối…",
  "connection.offline_synced": "Ngoại tuyến — đồng bộ lần cuối lúc {time}",
  "connection.offline_never": "Ngoại tuyến — chưa đồng bộ",
  "connection.signed_out": "Đã đăng xuất",
  "pdf.unavailable": "Máy này chưa hiển thị được tài liệu PDF: {detail}",

  "error.invalid_credentials": "Tên đăng nhập hoặc mật khẩu không đúng. Kiểm tra lại rồi thử lần nữa.",
  "error.server_unreachable": "Không kết nối được máy chủ. Kiểm tra địa chỉ và mạng rồi thử lại.",
  "error.invalid_server_url": "Địa chỉ máy chủ không hợp lệ. Nhập theo dạng http://127.0.0.1:8470 rồi thử lại.",
  "error.session_expired": "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.",
  "error.not_signed_in": "Bạn chưa đăng nhập. Vui lòng đăng nhập để tiếp tục.",
  "error.not_found": "Không tìm thấy nội dung này; có thể nó đã bị gỡ. Hãy quay lại danh sách kỳ họp.",
  "error.internal": "Ứng dụng gặp lỗi ngoài dự kiến. Hãy thử lại; nếu vẫn lỗi, liên hệ bộ phận hỗ trợ kỹ thuật.",
} satisfies Record<string, string>;

export type MessageKey = keyof typeof vi;

// Typed against the Vietnamese keys, so a key missing in English fails type checking.
const en: Record<MessageKey, string> = {
  "app.starting": "Starting…",
  "app.retry": "Try again",

  "login.title": "Sign in",
  "login.intro": "Use the account your secretary or administrator gave you.",
  "login.server_url": "Server address",
  "login.username": "User name",
  "login.password": "Password",
  "login.submit": "Sign in",
  "login.submitting": "Signing in…",

  "session.logout": "Sign out",
  "session.logging_out": "Signing out…",
  "role.administrator": "Administrator",
  "role.secretary": "Secretary",
  "role.chair": "Chair",
  "role.delegate": "Delegate",
  "role.guest": "Guest",

  "meetings.title": "Sessions",
  "meetings.loading": "Loading sessions…",
  "meetings.empty": "No sessions yet. The list updates by itself when a session is added.",
  "meetings.when": "{date} at {time}",
  "meetings.location": "Location: {location}",
  "meetings.item_count": "Agenda items: {count}",
  "meeting_status.draft": "Draft",
  "meeting_status.scheduled": "Scheduled",
  "meeting_status.in_progress": "In progress",
  "meeting_status.closed": "Closed",

  "agenda.back": "Back to sessions",
  "agenda.title": "Session programme",
  "agenda.loading": "Loading the programme…",
  "agenda.empty": "This session has no programme yet.",
  "agenda.presenter": "Presenter: {name}",
  "agenda.minutes": "Planned time: {minutes} min",
  "agenda.papers": "Papers",

  "connection.online": "Online",
  "connection.connecting": "Connecting…",
  "connection.offline_synced": "Offline — last synced at {time}",
  "connection.offline_never": "Offline — not synced yet",
  "connection.signed_out": "Signed out",
  "pdf.unavailable": "PDF papers cannot be shown on this computer: {detail}",

  "error.invalid_credentials": "The user name or password is wrong. Check them and try again.",
  "error.server_unreachable": "Cannot reach the server. Check the address and the network, then try again.",
  "error.invalid_server_url": "The server address is not valid. Enter it like http://127.0.0.1:8470 and try again.",
  "error.session_expired": "Your session has expired. Please sign in again.",
  "error.not_signed_in": "You are not signed in. Please sign in to continue.",
  "error.not_found": "This item was not found; it may have been removed. Go back to the list of sessions.",
  "error.internal": "Something unexpected went wrong in the app. Try again; if it keeps happening, contact technical support.",
};

export const messages: Record<Lang, Record<MessageKey, string>> = { vi, en };

export type MessageParams = Record<string, string | number>;

export function translate(lang: Lang, key: MessageKey, params: MessageParams = {}): string {
  return messages[lang][key].replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    name in params ? String(params[name]) : placeholder,
  );
}

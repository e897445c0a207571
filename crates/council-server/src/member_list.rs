//! A council's member list as a CSV file (UTF-8, a header row), read into rows that are
//! either all good or reported with their line numbers. No IO: the handler checks the user
//! names against the server and writes the accounts in one transaction.
//!
//! Columns are found by their header, in English or Vietnamese and in any order:
//! `display_name` (`họ và tên`), `username` (`tên đăng nhập`), `role` (`vai trò`: the
//! role's English name or `quản trị`, `thư ký`, `chủ tọa`, `đại biểu`, `khách mời`),
//! and optionally `unit` (`đơn vị`) and `password` (`mật khẩu`; empty: the server makes
//! one). Commas or semicolons (a spreadsheet set to Vietnamese saves the latter), quotes
//! as in RFC 4180, and a byte-order mark are all accepted.

use ecabinet_domain::{Role, check_password};
use ecabinet_protocol::ImportProblem;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// One member to create, read from the row at `line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub line: u32,
    pub display_name: String,
    pub username: String,
    pub role: Role,
    pub unit: String,
    /// The first password, if the list gives one (already checked against the policy).
    pub password: Option<String>,
}

/// The longest display name or unit accepted.
const MAX_NAME_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    DisplayName,
    UserName,
    Role,
    Unit,
    Password,
}

fn column(header: &str) -> Option<Column> {
    let h = header.trim().to_lowercase().replace(['_', '-'], " ");
    Some(match h.as_str() {
        "display name" | "name" | "full name" | "họ và tên" | "họ tên" => {
            Column::DisplayName
        }
        "username" | "user name" | "login" | "tên đăng nhập" => Column::UserName,
        "role" | "vai trò" => Column::Role,
        "unit" | "đơn vị" => Column::Unit,
        "password" | "initial password" | "mật khẩu" => Column::Password,
        _ => return None,
    })
}

/// A role by its English name or its Vietnamese one.
pub fn role(text: &str) -> Option<Role> {
    let t = text.trim().to_lowercase();
    Role::parse(&t).or(match t.as_str() {
        "quản trị" | "quản trị viên" => Some(Role::Administrator),
        "thư ký" | "thư kí" => Some(Role::Secretary),
        "chủ tọa" | "chủ toạ" => Some(Role::Chair),
        "đại biểu" => Some(Role::Delegate),
        "khách mời" | "khách" => Some(Role::Guest),
        _ => None,
    })
}

/// Why a user name cannot be used, if it cannot: 2 to 64 lowercase ASCII letters, digits,
/// `.`, `_` or `-`, so it is typed the same on every keyboard.
pub fn user_name_problem(username: &str) -> Option<String> {
    let fine = (2..=64).contains(&username.len())
        && username
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    (!fine).then(|| {
        format!(
            "the user name {username:?} must be 2 to 64 lowercase letters (without accents), digits, '.', '_' or '-'"
        )
    })
}

/// Why a display name or unit cannot be used, if it cannot.
pub fn name_problem(what: &str, value: &str, required: bool) -> Option<String> {
    if required && value.trim().is_empty() {
        Some(format!("the {what} is empty"))
    } else if value.chars().count() > MAX_NAME_CHARS {
        Some(format!(
            "the {what} is longer than {MAX_NAME_CHARS} characters"
        ))
    } else {
        None
    }
}

/// Reads a member list; `Err` lists every row that cannot be imported (and nothing is).
/// The text is brought to NFC first: a file saved on a Mac spells "đại biểu" with combining
/// marks, and names are stored the one way every other screen spells them.
pub fn parse(text: &str) -> Result<Vec<MemberRow>, Vec<ImportProblem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text: String = text.nfc().collect();
    let text = text.as_str();
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.contains(';') && !first_line.contains(',') {
        ';'
    } else {
        ','
    };
    let records = records(text, delimiter).map_err(|p| vec![p])?;
    let mut records = records.into_iter().filter(|(_, fields)| {
        // Blank lines (a spreadsheet's trailing rows) are not members.
        !fields.iter().all(|f| f.trim().is_empty())
    });
    let problem = |line, reason: String| ImportProblem { line, reason };
    let Some((header_line, header)) = records.next() else {
        return Err(vec![problem(
            1,
            "the file is empty: it needs a header row and one row per member".into(),
        )]);
    };
    let mut columns = Vec::with_capacity(header.len());
    let mut problems = Vec::new();
    for name in &header {
        match column(name) {
            Some(c) if columns.contains(&Some(c)) => problems.push(problem(
                header_line,
                format!("the column {:?} appears twice", name.trim()),
            )),
            Some(c) => columns.push(Some(c)),
            None => problems.push(problem(
                header_line,
                format!(
                    "the column {:?} is not one of display_name, username, role, unit, password",
                    name.trim()
                ),
            )),
        }
    }
    for (needed, name) in [
        (Column::DisplayName, "display_name (họ và tên)"),
        (Column::UserName, "username (tên đăng nhập)"),
        (Column::Role, "role (vai trò)"),
    ] {
        if !columns.contains(&Some(needed)) {
            problems.push(problem(
                header_line,
                format!("the column {name} is missing"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut rows = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for (line, fields) in records {
        if fields.len() != columns.len() {
            problems.push(problem(
                line,
                format!(
                    "the row has {} fields where the header has {}",
                    fields.len(),
                    columns.len()
                ),
            ));
            continue;
        }
        let get = |c: Column| {
            columns
                .iter()
                .position(|x| *x == Some(c))
                .map(|i| fields[i].trim().to_owned())
                .unwrap_or_default()
        };
        let (display_name, username, role_text, unit, password) = (
            get(Column::DisplayName),
            get(Column::UserName),
            get(Column::Role),
            get(Column::Unit),
            get(Column::Password),
        );
        let mut reasons = Vec::new();
        reasons.extend(name_problem("display name", &display_name, true));
        reasons.extend(user_name_problem(&username));
        reasons.extend(name_problem("unit", &unit, false));
        let role = role(&role_text);
        if role.is_none() {
            reasons.push(format!(
                "the role {role_text:?} is not one of administrator, secretary, chair, delegate, guest (quản trị, thư ký, chủ tọa, đại biểu, khách mời)"
            ));
        }
        if !password.is_empty()
            && let Err(refusal) = check_password(&password, &username)
        {
            reasons.push(refusal.message());
        }
        if let Some(earlier) = seen.get(&username) {
            reasons.push(format!(
                "the user name {username:?} is also on line {earlier}"
            ));
        } else {
            seen.insert(username.clone(), line);
        }
        match (reasons.is_empty(), role) {
            (true, Some(role)) => rows.push(MemberRow {
                line,
                display_name,
                username,
                role,
                unit,
                password: (!password.is_empty()).then_some(password),
            }),
            _ => problems.push(problem(line, reasons.join("; "))),
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(problem(header_line, "the file lists no members".into()));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// The file's records with the line each starts on (RFC 4180: a quoted field may hold the
/// delimiter, a doubled quote or a line break).
fn records(text: &str, delimiter: char) -> Result<Vec<(u32, Vec<String>)>, ImportProblem> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut line = 1u32;
    let mut start = 1u32;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, '\n') => {
                line += 1;
                field.push('\n');
            }
            (true, c) => field.push(c),
            (false, '"') if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            (false, c) if c == delimiter => fields.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                fields.push(std::mem::take(&mut field));
                records.push((start, std::mem::take(&mut fields)));
                line += 1;
                start = line;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(ImportProblem {
            line: start,
            reason: "a quoted field is never closed".into(),
        });
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push((start, fields));
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_headers_and_names_quotes_and_semicolons_are_read() {
        let csv = "\u{feff}Họ và tên;Tên đăng nhập;Vai trò;Đơn vị;Mật khẩu\r\n\
                   \"Nguyễn Văn Ánh; Phó ban\";anh.nv;Đại biểu;Ban Pháp chế;sông Hồng mùa lũ\r\n\
                   Trần Thị Bích;bich.tt;khách mời;\"Sở \"\"Tư pháp\"\"\";\r\n";
        let rows = parse(csv).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].display_name, "Nguyễn Văn Ánh; Phó ban");
        assert_eq!(rows[0].role, Role::Delegate);
        assert_eq!(rows[0].password.as_deref(), Some("sông Hồng mùa lũ"));
        assert_eq!(rows[1].unit, "Sở \"Tư pháp\"");
        assert_eq!(rows[1].role, Role::Guest);
        assert_eq!(rows[1].password, None, "empty: the server makes one");
        assert_eq!((rows[0].line, rows[1].line), (2, 3));
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_even_after_a_multi_line_field() {
        let csv = "display_name,username,role,unit\n\
                   \"Lê Văn\nCường\",cuong.lv,delegate,\n\
                   Phạm Thị Dung,Dung PT,delegate,\n\
                   Võ Văn Em,em.vv,mayor,\n\
                   Đỗ Thị Giang,cuong.lv,guest,\n";
        let problems = parse(csv).unwrap_err();
        let lines: Vec<_> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [4, 5, 6], "{problems:?}");
        assert!(problems[0].reason.contains("lowercase"), "{problems:?}");
        assert!(problems[1].reason.contains("\"mayor\""), "{problems:?}");
        assert!(
            problems[2].reason.contains("also on line 2"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_list_with_decomposed_accents_reads_as_the_composed_one() {
        let composed = "họ và tên,tên đăng nhập,vai trò\nNguyễn Thị Ánh,anh.nt,đại biểu\n";
        let decomposed: String = composed.nfd().collect();
        assert_ne!(decomposed, composed, "the test needs combining marks");
        let rows = parse(&decomposed).unwrap();
        assert_eq!(rows[0].role, Role::Delegate);
        assert_eq!(rows[0].display_name, "Nguyễn Thị Ánh");
    }

    #[test]
    fn a_missing_column_or_a_weak_password_is_refused() {
        let problems = parse("username,role\nlan,delegate\n").unwrap_err();
        assert_eq!(problems[0].line, 1);
        assert!(problems[0].reason.contains("display_name"));
        let problems =
            parse("display_name,username,role,password\nLan,lan.ht,delegate,1234567890\n")
                .unwrap_err();
        assert_eq!(problems[0].line, 2);
        assert!(
            problems[0].reason.contains("everyone tries"),
            "{problems:?}"
        );
    }
}

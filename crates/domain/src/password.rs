//! The password policy: what a member may choose as a password, decided without IO.
//!
//! The server checks every password an administrator sets or a member chooses against
//! [`check_password`]; the app can ask the same question before sending one.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The fewest characters (not bytes: "mật khẩu" counts 8) a password may have.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Why a password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PasswordRefusal {
    /// Fewer than [`MIN_PASSWORD_CHARS`] characters.
    TooShort,
    /// The user name is in it: the first thing anyone tries.
    ContainsUserName,
    /// On the short list of passwords everyone tries first, or one character repeated.
    TooCommon,
}

impl PasswordRefusal {
    /// The reason, written for the person choosing the password.
    pub fn message(self) -> String {
        match self {
            PasswordRefusal::TooShort => {
                format!("the password must have at least {MIN_PASSWORD_CHARS} characters")
            }
            PasswordRefusal::ContainsUserName => {
                "the password must not contain the user name".into()
            }
            PasswordRefusal::TooCommon => {
                "the password is one that everyone tries first: choose another".into()
            }
        }
    }
}

/// Passwords that a guesser tries first (lowercase; compared without case). Only those of
/// at least [`MIN_PASSWORD_CHARS`] characters matter: shorter ones are refused anyway.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "0123456789",
    "12345678910",
    "123456789a",
    "1234567890a",
    "0987654321",
    "1122334455",
    "123123123123",
    "1q2w3e4r5t",
    "qwertyuiop",
    "qwerty1234",
    "qwerty123456",
    "asdfghjkl1",
    "password12",
    "password123",
    "password1234",
    "passw0rd123",
    "abc1234567",
    "abcd123456",
    "abc@123456",
    "admin12345",
    "admin123456",
    "admin@1234",
    "admin@12345",
    "administrator",
    "iloveyou123",
    "matkhau123",
    "matkhau1234",
    "matkhau@123",
    "mật khẩu 123",
    "anhyeuem123",
    "emyeuanh123",
    "vietnam123",
    "vietnam1234",
    "hanoi12345",
    "hdnd123456",
    "hdnd@12345",
    "ecabinet123",
    "ecabinet@123",
];

/// Whether `password` may be the password of `username`.
pub fn check_password(password: &str, username: &str) -> Result<(), PasswordRefusal> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordRefusal::TooShort);
    }
    let lower = password.to_lowercase();
    let user = username.trim().to_lowercase();
    if !user.is_empty() && lower.contains(&user) {
        return Err(PasswordRefusal::ContainsUserName);
    }
    let mut chars = lower.chars();
    let first = chars.next();
    let one_character_repeated = chars.all(|c| Some(c) == first);
    if one_character_repeated || COMMON_PASSWORDS.contains(&lower.as_str()) {
        return Err(PasswordRefusal::TooCommon);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_uncommon_password_is_accepted_and_its_length_counts_characters() {
        assert_eq!(check_password("sông Hồng mùa lũ", "delegate01"), Ok(()));
        // "mật khẩu!" is 9 characters but 13 bytes: characters are what count.
        assert_eq!(
            check_password("mật khẩu!", "delegate01"),
            Err(PasswordRefusal::TooShort)
        );
        assert_eq!(check_password("mật khẩu!!", "delegate01"), Ok(()));
    }

    #[test]
    fn the_user_name_is_refused_in_any_case_and_inside_a_longer_password() {
        assert_eq!(
            check_password("Delegate01", "delegate01"),
            Err(PasswordRefusal::ContainsUserName)
        );
        assert_eq!(
            check_password("delegate01-2026", "delegate01"),
            Err(PasswordRefusal::ContainsUserName)
        );
    }

    #[test]
    fn common_passwords_and_repeated_characters_are_refused_whatever_their_case() {
        for common in ["1234567890", "Password123", "MatKhau@123", "aaaaaaaaaaaa"] {
            assert_eq!(
                check_password(common, "delegate01"),
                Err(PasswordRefusal::TooCommon),
                "{common}"
            );
        }
    }

    #[test]
    fn every_listed_common_password_is_long_enough_to_need_the_list() {
        for common in COMMON_PASSWORDS {
            assert!(common.chars().count() >= MIN_PASSWORD_CHARS, "{common}");
            assert_eq!(
                common.to_lowercase(),
                *common,
                "{common} is compared lowercased"
            );
        }
    }
}

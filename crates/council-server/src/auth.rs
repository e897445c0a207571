//! Passwords, bearer tokens and the [`Caller`] extractor every protected handler takes.
//!
//! Passwords are hashed with argon2id. A token is 32 random bytes shown to the client
//! once; the server keeps only its SHA-256, so the database never holds a usable token.

use crate::ServerState;
use crate::error::ServerError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, SaltString};
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use ecabinet_domain::Member;
use ecabinet_protocol::ErrorCode;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Hashes a password for storage (argon2id with the crate's recommended parameters), on the
/// calling thread: for the demo's seed, once. Logins and account changes go through
/// [`Passwords`](crate::passwords::Passwords), which checks them too.
pub fn hash_password(password: &str, rng: &mut impl RngCore) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    rng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("encoding salt: {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

/// A fresh bearer token: 32 random bytes, hex-encoded.
pub fn new_token(rng: &mut impl RngCore) -> String {
    let mut bytes = [0u8; 32];
    rng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the server stores in place of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The authenticated member making the request, with the hash of the token they used.
/// A session whose password an administrator set is refused here with
/// `password_change_required`; only [`SessionCaller`] routes (changing the password,
/// logging out) take it.
#[derive(Debug, Clone)]
pub struct Caller {
    pub member: Member,
    pub token_hash: String,
}

impl Caller {
    /// Refuses with 403 unless `allowed` holds for the caller's role.
    pub fn require(&self, allowed: bool, what: &str) -> Result<(), ServerError> {
        if allowed {
            Ok(())
        } else {
            Err(ServerError::forbidden(what))
        }
    }
}

/// Any live session, including one that must change its password before anything else.
#[derive(Debug, Clone)]
pub struct SessionCaller {
    pub member: Member,
    pub token_hash: String,
    pub must_change_password: bool,
}

impl FromRequestParts<ServerState> for SessionCaller {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ServerState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or_else(|| {
            ServerError::new(
                ErrorCode::Unauthenticated,
                "this request needs a bearer token: log in first",
            )
        })?;
        let hash = token_hash(token);
        match state
            .storage
            .session_member(&hash, state.clock.now())
            .await?
        {
            Some(holder) => Ok(SessionCaller {
                member: holder.member,
                token_hash: hash,
                must_change_password: holder.must_change_password,
            }),
            None => Err(ServerError::new(
                ErrorCode::SessionExpired,
                "your session has expired or was ended: log in again",
            )),
        }
    }
}

impl FromRequestParts<ServerState> for Caller {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ServerState,
    ) -> Result<Self, Self::Rejection> {
        let session = SessionCaller::from_request_parts(parts, state).await?;
        if session.must_change_password {
            return Err(ServerError::new(
                ErrorCode::PasswordChangeRequired,
                "an administrator set your password: choose your own before going on",
            ));
        }
        Ok(Caller {
            member: session.member,
            token_hash: session.token_hash,
        })
    }
}

/// A password nobody chose: 14 characters from an alphabet without look-alikes (no 0/O,
/// 1/l/I), for an administrator to hand over once; the member changes it at first login.
pub fn generate_password(rng: &mut impl RngCore) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..14)
        .map(|_| ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_stored_only_as_hashes() {
        let a = new_token(&mut rand::rng());
        let b = new_token(&mut rand::rng());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_ne!(
            token_hash(&a),
            a,
            "the stored form must not be the token itself"
        );
    }
}

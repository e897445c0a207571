//! Uploading paper files and downloading them, resumably, by hash.

use crate::ServerState;
use crate::auth::Caller;
use crate::error::{Json, Path, ServerError};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ecabinet_domain::BlobHash;
use ecabinet_protocol::{ApiError, BlobInfo, ErrorCode, MAX_PAPER_BYTES};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use std::ops::Range;
use tokio::io::AsyncWriteExt;

/// A paper's file as the upload's body: the bytes of a PDF, not JSON.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[expect(
    dead_code,
    reason = "only its schema is used: the handler streams the raw body"
)]
struct PdfFile(Vec<u8>);

fn parse_hash(text: &str) -> Result<BlobHash, ServerError> {
    BlobHash::parse(text).ok_or_else(|| {
        ServerError::bad_request("a blob is named by the lowercase hex SHA-256 of its bytes")
    })
}

fn too_large() -> ServerError {
    ServerError::new(
        ErrorCode::PayloadTooLarge,
        format!(
            "the file is larger than {} MB; split it or reduce its images before importing",
            MAX_PAPER_BYTES / (1024 * 1024)
        ),
    )
}

/// Uploads a paper's file under the SHA-256 of its bytes. The server checks the hash and
/// that the file opens as an unprotected PDF before keeping it; a blob the caller's council
/// already uploaded is answered at once. Files belong to the councils that uploaded them:
/// bytes the server holds for another council are received, hashed and checked like any
/// new file (so the answer's timing says nothing of other councils), then recorded as the
/// caller's council's too, sharing the one copy on disk.
#[utoipa::path(
    put, path = "/api/v1/blobs/{hash}", tag = "papers", security(("bearer" = [])),
    params(("hash" = String, Path, pattern = "^[0-9a-f]{64}$", description = "lowercase hex SHA-256 of the body")),
    request_body(content = PdfFile, content_type = "application/pdf"),
    responses(
        (status = 200, body = BlobInfo),
        (status = 400, body = ApiError, description = "a malformed hash, a hash mismatch, or not a usable PDF (see the code)"),
        (status = 401, body = ApiError),
        (status = 403, body = ApiError),
        (status = 413, body = ApiError)
    )
)]
pub async fn upload_blob(
    State(state): State<ServerState>,
    caller: Caller,
    Path(hash): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<BlobInfo>, ServerError> {
    caller.require(caller.member.role.may_prepare_meetings(), "import papers")?;
    let hash = parse_hash(&hash)?;
    let council = caller.member.council_id;
    if let Some(info) = state.storage.council_blob(council, &hash).await? {
        return Ok(Json(info));
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_PAPER_BYTES) {
        return Err(too_large());
    }

    let staged = tempfile::Builder::new()
        .prefix("upload-")
        .tempfile_in(state.blobs.staging_dir())
        .map_err(|e| ServerError::internal(anyhow::Error::new(e).context("creating staging file")))?
        .into_temp_path();
    let mut file = tokio::fs::File::create(&staged).await.map_err(|e| {
        ServerError::internal(anyhow::Error::new(e).context("opening staging file"))
    })?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| {
            ServerError::bad_request("the upload was interrupted; send the file again")
        })?;
        size += chunk.len() as u64;
        if size > MAX_PAPER_BYTES {
            return Err(too_large());
        }
        hasher.update(&chunk);
        file.write_all(&chunk)
            .await
            .map_err(|e| ServerError::internal(anyhow::Error::new(e).context("writing upload")))?;
    }
    file.sync_all()
        .await
        .map_err(|e| ServerError::internal(anyhow::Error::new(e).context("syncing upload")))?;
    drop(file);
    let actual = hex::encode(hasher.finalize());
    if actual != hash.as_str() {
        return Err(ServerError::new(
            ErrorCode::HashMismatch,
            "the file's bytes do not match the hash it was sent under; send it again",
        ));
    }

    let path = staged.to_path_buf();
    let checker = state.papers.clone();
    let pages = tokio::task::spawn_blocking(move || checker.inspect(&path))
        .await
        .map_err(|e| ServerError::internal(anyhow::Error::new(e).context("inspecting upload")))??;
    let held =
        state.blobs.size(&hash).await.map_err(|e| {
            ServerError::internal(anyhow::Error::new(e).context("looking for blob"))
        })?;
    if held.is_none() {
        state
            .blobs
            .put(&hash, &staged)
            .await
            .map_err(|e| ServerError::internal(anyhow::Error::new(e).context("storing blob")))?;
        // The file was moved into the store; the temp path must not delete it any more.
        let _ = staged.keep();
    }
    let info = BlobInfo { hash, size, pages };
    state.storage.put_blob(council, info.clone()).await?;
    Ok(Json(info))
}

/// Whether the caller may download this blob: whoever reads working papers (the
/// secretariat, the reviewing chair) for any paper of their council, everyone else only
/// through a published version that grants them the paper.
async fn may_download(
    state: &ServerState,
    caller: &Caller,
    hash: &BlobHash,
) -> Result<bool, ServerError> {
    let (council, member, role) = (
        caller.member.council_id,
        caller.member.id,
        caller.member.role,
    );
    if role.may_read_working_papers() && state.storage.council_uses_blob(council, hash).await? {
        return Ok(true);
    }
    let versions = state.storage.packets_with_blob(council, hash).await?;
    Ok(versions.iter().any(|v| v.grants_blob(hash, member, role)))
}

/// Downloads a paper's file. Honours a single `Range: bytes=…` so an interrupted download
/// resumes where it stopped. A blob the caller may not read is reported as missing.
#[utoipa::path(
    get, path = "/api/v1/blobs/{hash}", tag = "papers", security(("bearer" = [])),
    params(("hash" = String, Path, pattern = "^[0-9a-f]{64}$", description = "lowercase hex SHA-256 of the file")),
    responses(
        (status = 200, description = "the whole file", content_type = "application/pdf"),
        (status = 206, description = "the requested range", content_type = "application/pdf"),
        (status = 400, body = ApiError, description = "a malformed hash"),
        (status = 401, body = ApiError),
        (status = 404, body = ApiError),
        (status = 416, body = ApiError, description = "the range lies outside the file (range_not_satisfiable; Content-Range gives the file's length)")
    )
)]
pub async fn download_blob(
    State(state): State<ServerState>,
    caller: Caller,
    Path(hash): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let hash = parse_hash(&hash)?;
    let missing = || {
        ServerError::new(
            ErrorCode::NotFound,
            "no such paper file, or not yours to read",
        )
    };
    if !may_download(&state, &caller, &hash).await? {
        return Err(missing());
    }
    let size = state
        .blobs
        .size(&hash)
        .await
        .map_err(|e| ServerError::internal(anyhow::Error::new(e).context("reading blob size")))?
        .ok_or_else(missing)?;
    let requested = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let (status, range) = match requested.map(|r| parse_range(r, size)) {
        None | Some(RangeRequest::Ignored) => (StatusCode::OK, 0..size),
        Some(RangeRequest::Satisfiable(range)) => (StatusCode::PARTIAL_CONTENT, range),
        Some(RangeRequest::Unsatisfiable) => {
            return Ok((
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{size}"))],
            )
                .into_response());
        }
    };
    let stream = state
        .blobs
        .read(&hash, range.clone())
        .await
        .map_err(|e| ServerError::internal(anyhow::Error::new(e).context("reading blob")))?;
    let mut response = Response::new(Body::from_stream(stream));
    *response.status_mut() = status;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::CONTENT_LENGTH,
        HeaderValue::from(range.end - range.start),
    );
    // Content-addressed: the bytes under this name never change.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{hash}\"")) {
        h.insert(header::ETAG, etag);
    }
    if status == StatusCode::PARTIAL_CONTENT
        && let Ok(value) =
            HeaderValue::from_str(&format!("bytes {}-{}/{size}", range.start, range.end - 1))
    {
        h.insert(header::CONTENT_RANGE, value);
    }
    Ok(response)
}

#[derive(Debug, PartialEq, Eq)]
enum RangeRequest {
    Satisfiable(Range<u64>),
    Unsatisfiable,
    /// Not a single byte range we serve (several ranges, other units): send the whole file,
    /// as RFC 9110 allows.
    Ignored,
}

fn parse_range(header: &str, size: u64) -> RangeRequest {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return RangeRequest::Ignored;
    };
    if spec.contains(',') {
        return RangeRequest::Ignored;
    }
    let Some((start, end)) = spec.trim().split_once('-') else {
        return RangeRequest::Ignored;
    };
    let parsed = match (start.trim(), end.trim()) {
        ("", suffix) => suffix
            .parse::<u64>()
            .ok()
            .map(|n| size.saturating_sub(n)..size),
        (start, "") => start.parse::<u64>().ok().map(|s| s..size),
        (start, end) => match (start.parse::<u64>(), end.parse::<u64>()) {
            (Ok(s), Ok(e)) if s <= e => Some(s..(e + 1).min(size)),
            _ => None,
        },
    };
    match parsed {
        None => RangeRequest::Ignored,
        Some(range) if range.start >= size || range.is_empty() => RangeRequest::Unsatisfiable,
        Some(range) => RangeRequest::Satisfiable(range),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_resume_suffix_and_refuse_past_the_end() {
        use RangeRequest::*;
        assert_eq!(parse_range("bytes=100-", 1000), Satisfiable(100..1000));
        assert_eq!(parse_range("bytes=0-99", 1000), Satisfiable(0..100));
        assert_eq!(parse_range("bytes=900-5000", 1000), Satisfiable(900..1000));
        assert_eq!(parse_range("bytes=-10", 1000), Satisfiable(990..1000));
        assert_eq!(parse_range("bytes=1000-", 1000), Unsatisfiable);
        assert_eq!(parse_range("bytes=5-1", 1000), Ignored);
        assert_eq!(parse_range("bytes=0-1,5-6", 1000), Ignored);
        assert_eq!(parse_range("items=0-1", 1000), Ignored);
    }
}

//! Hashing and checking passwords (argon2id) on a few threads of their own, each holding
//! argon2's working memory once for good.
//!
//! Argon2 is slow and memory-hard on purpose: each check fills 19 MiB. Run on tokio's
//! blocking threads, a morning's burst of 2,000 logins had each of a dozen threads allocate
//! and free that much again and again; glibc keeps such freed memory in per-thread arenas
//! rather than give it back, and the server sat at a gigabyte after the logins. Here the
//! work queues for a fixed number of threads (the cores, at most four) that reuse their
//! memory: the server's password memory is that many times 19 MiB, whatever the burst, and
//! a login storm cannot take more cores than these from the sittings and ballots.

use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::RngCore;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, LazyLock, Mutex};
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// The password threads.
pub struct Passwords {
    jobs: SyncSender<Job>,
}

/// Jobs waiting for a thread before a caller waits to queue one.
const QUEUE: usize = 4096;

impl Passwords {
    /// Starts `threads` password threads (they end when this is dropped).
    pub fn start(threads: usize) -> Passwords {
        let (jobs, queue) = sync_channel::<Job>(QUEUE);
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = Arc::clone(&queue);
            std::thread::Builder::new()
                .name(format!("passwords-{n}"))
                .spawn(move || work(&queue))
                .expect("starting a password thread");
        }
        Passwords { jobs }
    }

    /// As many threads as cores, at most four.
    pub fn for_this_machine() -> Passwords {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Passwords::start(cores.min(4))
    }

    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |memory| {
            let _ = reply.send(job(memory));
        });
        let jobs = self.jobs.clone();
        // The queue is bounded: a caller beyond it waits (off the async workers) for room.
        tokio::task::spawn_blocking(move || jobs.send(job))
            .await?
            .map_err(|_| anyhow::anyhow!("the password threads have stopped"))?;
        Ok(answer.await?)
    }

    /// Whether `password` is the one `stored` was made from; `None` (no such user) is
    /// checked against a decoy hash, so it takes as long and answers no.
    pub async fn verify(&self, password: String, stored: Option<String>) -> bool {
        self.run(move |memory| verify(memory, &password, stored.as_deref()))
            .await
            .unwrap_or(false)
    }

    /// A PHC string of `password` for storage (argon2id, the crate's recommended costs).
    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        self.run(move |memory| hash(memory, &password, &salt))
            .await?
    }
}

fn work(queue: &Mutex<Receiver<Job>>) {
    let mut memory = Vec::new();
    loop {
        let job = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(&mut memory),
            Err(_) => return,
        }
    }
}

/// A hash of a password nobody has, for unknown user names.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    hash(&mut Vec::new(), "decoy password nobody has", &salt).expect("hashing the decoy password")
});

fn hash(memory: &mut Vec<Block>, password: &str, salt: &[u8; 16]) -> anyhow::Result<String> {
    let params = Params::default();
    let salt = SaltString::encode_b64(salt).map_err(|e| anyhow::anyhow!("encoding salt: {e}"))?;
    let mut salt_bytes = [0u8; 64];
    let raw_salt = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| anyhow::anyhow!("decoding salt: {e}"))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    memory.resize(params.block_count(), Block::new());
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(password.as_bytes(), raw_salt, &mut out, &mut memory[..])
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: (&params)
            .try_into()
            .map_err(|e| anyhow::anyhow!("writing the parameters: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| anyhow::anyhow!("the output: {e}"))?),
    };
    Ok(phc.to_string())
}

fn verify(memory: &mut Vec<Block>, password: &str, stored: Option<&str>) -> bool {
    let hash = stored.unwrap_or(DECOY_HASH.as_str());
    let checked = (|| {
        let parsed = PasswordHash::new(hash).ok()?;
        let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
        let version = parsed
            .version
            .map(Version::try_from)
            .transpose()
            .ok()?
            .unwrap_or_default();
        let params = Params::try_from(&parsed).ok()?;
        let expected = parsed.hash?;
        let mut salt_bytes = [0u8; 64];
        let salt = parsed.salt?.decode_b64(&mut salt_bytes).ok()?;
        let mut out = vec![0u8; expected.len()];
        memory.resize(params.block_count(), Block::new());
        Argon2::new(algorithm, version, params)
            .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..])
            .ok()?;
        // `Output`'s equality is constant-time.
        Some(Output::new(&out).ok()? == expected)
    })();
    match checked {
        Some(ok) => ok && stored.is_some(),
        None => {
            tracing::error!("a stored password hash is not a valid argon2 PHC string");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_password_checks_against_its_hash_and_nothing_else() {
        let passwords = Passwords::start(2);
        let hash = passwords.hash("mật khẩu đúng".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$"), "argon2id: {hash}");
        assert!(
            passwords
                .verify("mật khẩu đúng".into(), Some(hash.clone()))
                .await
        );
        assert!(
            !passwords
                .verify("mat khau dung".into(), Some(hash.clone()))
                .await
        );
        assert!(
            !passwords.verify("mật khẩu đúng".into(), None).await,
            "an unknown user never logs in"
        );
        use argon2::PasswordVerifier;
        assert!(
            Argon2::default()
                .verify_password(
                    "mật khẩu đúng".as_bytes(),
                    &PasswordHash::new(&hash).unwrap()
                )
                .is_ok(),
            "the hash is the argon2 crate's own format"
        );
        let theirs = crate::auth::hash_password("cũ", &mut rand::rng()).unwrap();
        assert!(
            passwords.verify("cũ".into(), Some(theirs)).await,
            "hashes stored before read the same"
        );
    }
}

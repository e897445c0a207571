//! The fixture packet (`../shared/fixtures/packet`), published through the API the way a
//! council's secretariat does it: the secretary uploads every file and attaches it to the
//! programme, the chair approves, the secretary publishes.

use crate::{DEMO_PASSWORD, repo_root};
use ecabinet_domain::{
    AgendaItem, MeetingId, PacketVersion, Paper, PaperId, PaperKind, PaperPlace, SectionKind,
    Visibility,
};
use ecabinet_protocol::{NewPaper, PaperPatch, SyncRecord};
use ecabinet_sync::CouncilClient;
use std::path::PathBuf;

/// The demo session's budget item, which the main papers belong to.
pub const BUDGET_ITEM: &str = "Dự toán ngân sách nhà nước năm 2027";
const INVESTMENT_ITEM: &str = "Kế hoạch đầu tư công trung hạn giai đoạn 2026–2030 (điều chỉnh)";

/// Where each fixture file goes: (file, title, kind, agenda item title or a section).
const PAPERS: [(&str, &str, PaperKind, Place); 7] = [
    (
        "01-to-trinh-du-toan-ngan-sach-2027.pdf",
        "Tờ trình về dự toán ngân sách nhà nước năm 2027",
        PaperKind::Submission,
        Place::Item(BUDGET_ITEM),
    ),
    (
        "02-du-thao-nghi-quyet-ngan-sach-2027.pdf",
        "Dự thảo Nghị quyết về dự toán ngân sách nhà nước năm 2027",
        PaperKind::DraftResolution,
        Place::Item(BUDGET_ITEM),
    ),
    (
        "03-bao-cao-tham-tra-ban-kinh-te.pdf",
        "Báo cáo thẩm tra của Ban Kinh tế – Ngân sách",
        PaperKind::ReviewReport,
        Place::Item(BUDGET_ITEM),
    ),
    (
        "04-phu-luc-so-lieu.pdf",
        "Phụ lục số liệu đầu tư công",
        PaperKind::Appendix,
        Place::Item(INVESTMENT_ITEM),
    ),
    (
        "05-tong-hop-y-kien-cu-tri.pdf",
        "Báo cáo tổng hợp ý kiến, kiến nghị của cử tri",
        PaperKind::Other,
        Place::Section(SectionKind::VoterOpinions),
    ),
    (
        "06-van-ban-da-ky-ban-chup.pdf",
        "Văn bản đã ký (bản chụp)",
        PaperKind::Other,
        Place::Item(BUDGET_ITEM),
    ),
    (
        "90-tai-lieu-tong-hop-lon.pdf",
        "Tài liệu tổng hợp phục vụ kỳ họp",
        PaperKind::Appendix,
        Place::Item(INVESTMENT_ITEM),
    ),
];

#[derive(Clone, Copy)]
enum Place {
    Item(&'static str),
    Section(SectionKind),
}

/// The fixture packet's directory.
pub fn fixture_packet_dir() -> PathBuf {
    repo_root().join("../shared/fixtures/packet")
}

/// A published packet as the secretariat sees it.
#[derive(Debug, Clone)]
pub struct PublishedPacket {
    pub meeting_id: MeetingId,
    pub papers: Vec<Paper>,
    pub version: PacketVersion,
}

impl PublishedPacket {
    /// The sum of the papers' file sizes.
    pub fn total_bytes(&self) -> u64 {
        self.version.total_bytes()
    }

    pub fn paper(&self, file_name: &str) -> &Paper {
        self.papers
            .iter()
            .find(|p| p.file.file_name == file_name)
            .unwrap_or_else(|| panic!("no paper from {file_name}"))
    }
}

/// The secretary and the chair of the demo council, signed in.
pub struct Secretariat {
    client: CouncilClient,
    secretary: String,
    chair: String,
}

impl Secretariat {
    pub async fn login(server_url: &str) -> anyhow::Result<Secretariat> {
        let client = CouncilClient::new(server_url)?;
        let secretary = client.login("secretary", DEMO_PASSWORD).await?.token;
        let chair = client.login("chair", DEMO_PASSWORD).await?.token;
        Ok(Secretariat {
            client,
            secretary,
            chair,
        })
    }

    /// Uploads the seven fixture files, attaches them to the upcoming session, has the
    /// chair approve them and publishes the next packet version.
    pub async fn publish_fixture_packet(&self) -> anyhow::Result<PublishedPacket> {
        let items = self.agenda_items().await?;
        let item = |title: &str| {
            items
                .iter()
                .find(|i| i.title == title)
                .ok_or_else(|| anyhow::anyhow!("the demo session has no item {title:?}"))
        };
        let meeting_id = item(BUDGET_ITEM)?.meeting_id;
        // The demo session comes with its own packet: withdraw it, so the next version
        // holds exactly the fixture papers.
        let mut demo_papers = std::collections::HashMap::new();
        for record in self.records().await? {
            if let SyncRecord::Paper(p) = record
                && p.meeting_id == meeting_id
            {
                demo_papers.insert(p.id, p);
            }
        }
        for paper in demo_papers.values().filter(|p| !p.withdrawn) {
            let withdraw = PaperPatch {
                withdrawn: Some(true),
                ..Default::default()
            };
            self.client
                .patch_paper(&self.secretary, paper.id, &withdraw)
                .await?;
        }
        let mut papers = Vec::new();
        for (position, (file, title, kind, place)) in PAPERS.iter().enumerate() {
            let path = fixture_packet_dir().join(file);
            let blob = self
                .client
                .upload_blob_file(&self.secretary, &path)
                .await
                .map_err(|e| anyhow::anyhow!("uploading {file}: {e}"))?;
            let place = match place {
                Place::Item(title) => PaperPlace::Item(item(title)?.id),
                Place::Section(section) => PaperPlace::Section(*section),
            };
            let paper = NewPaper {
                id: PaperId(uuid::Uuid::new_v4()),
                place,
                position: position as i32,
                title: (*title).to_owned(),
                kind: *kind,
                visibility: Visibility::AllParticipants,
                hash: blob.hash,
                file_name: (*file).to_owned(),
                source: None,
            };
            let paper = self
                .client
                .add_paper(&self.secretary, meeting_id, &paper)
                .await?;
            papers.push(self.client.approve_paper(&self.chair, paper.id).await?);
        }
        let version = self.publish_next(meeting_id).await?;
        Ok(PublishedPacket {
            meeting_id,
            papers,
            version,
        })
    }

    /// Replaces a paper's file with `bytes` (a new revision), has it approved and publishes
    /// the next version.
    pub async fn replace_and_publish(
        &self,
        paper: &Paper,
        bytes: Vec<u8>,
    ) -> anyhow::Result<PacketVersion> {
        let blob = self.client.upload_blob(&self.secretary, bytes).await?;
        let patch = PaperPatch {
            hash: Some(blob.hash),
            ..Default::default()
        };
        let replaced = self
            .client
            .patch_paper(&self.secretary, paper.id, &patch)
            .await?;
        self.client.approve_paper(&self.chair, replaced.id).await?;
        self.publish_next(paper.meeting_id).await
    }

    async fn publish_next(&self, meeting: MeetingId) -> anyhow::Result<PacketVersion> {
        let latest = self
            .records()
            .await?
            .into_iter()
            .filter_map(|r| match r {
                SyncRecord::PacketVersion(v) if v.meeting_id == meeting => Some(v.number),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        Ok(self
            .client
            .publish_packet(&self.secretary, meeting, latest + 1)
            .await?)
    }

    async fn agenda_items(&self) -> anyhow::Result<Vec<AgendaItem>> {
        Ok(self
            .records()
            .await?
            .into_iter()
            .filter_map(|r| match r {
                SyncRecord::AgendaItem(i) => Some(i),
                _ => None,
            })
            .collect())
    }

    /// Every record of the council's change log, as the secretary receives it.
    async fn records(&self) -> anyhow::Result<Vec<SyncRecord>> {
        let mut records = Vec::new();
        let mut after = 0;
        loop {
            let page = self.client.changes(&self.secretary, after).await?;
            records.extend(page.changes.into_iter().map(|c| c.record));
            after = page.next_cursor;
            if !page.has_more {
                return Ok(records);
            }
        }
    }
}

//! The session programme: ordered, nestable items, numbered the way the papers number them.

use crate::{AgendaItemId, MeetingId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// One item of a meeting's programme, as stored and synced: a flat row with a parent link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AgendaItem {
    pub id: AgendaItemId,
    pub meeting_id: MeetingId,
    /// `None` for a top-level item.
    pub parent_id: Option<AgendaItemId>,
    /// Order among siblings; gaps are allowed so an item can be slotted in between.
    pub position: i32,
    pub title: String,
    pub presenter: Option<String>,
    pub planned_minutes: Option<i32>,
    /// Titles of the papers attached to this item (the papers themselves come with the packet).
    pub paper_titles: Vec<String>,
}

impl AgendaItem {
    /// The longest planned time an item may have: a whole day.
    pub const MAX_PLANNED_MINUTES: i32 = 24 * 60;

    /// Whether `minutes` is a planned time an item may have (0 to a day).
    pub fn planned_minutes_allowed(minutes: i32) -> bool {
        (0..=Self::MAX_PLANNED_MINUTES).contains(&minutes)
    }
}

/// An item placed in the tree, with its display number ("2", "2.1") and its children in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaNode {
    pub number: String,
    pub item: AgendaItem,
    pub children: Vec<AgendaNode>,
}

/// The programme as a tree, built from the flat rows any store keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaTree {
    pub roots: Vec<AgendaNode>,
}

impl AgendaTree {
    /// Builds the tree from one meeting's items in any order.
    ///
    /// Siblings are ordered by `position`, then by title so equal positions still give a
    /// stable order. An item whose parent is missing (not yet synced, or deleted) is shown
    /// at the top level rather than hidden: a delegate must never lose sight of an item.
    /// A cycle in parent links (only possible through corrupt data) is broken the same way.
    pub fn build(items: Vec<AgendaItem>) -> AgendaTree {
        let known: HashMap<AgendaItemId, Option<AgendaItemId>> =
            items.iter().map(|i| (i.id, i.parent_id)).collect();
        let reaches_root = |mut id: AgendaItemId| {
            for _ in 0..=known.len() {
                match known.get(&id) {
                    Some(Some(parent)) if known.contains_key(parent) => id = *parent,
                    _ => return true,
                }
            }
            false
        };
        let mut by_parent: HashMap<Option<AgendaItemId>, Vec<AgendaItem>> = HashMap::new();
        for item in items {
            let parent = match item.parent_id {
                Some(p) if known.contains_key(&p) && reaches_root(item.id) => Some(p),
                _ => None,
            };
            by_parent.entry(parent).or_default().push(item);
        }
        for siblings in by_parent.values_mut() {
            siblings.sort_by(|a, b| {
                a.position
                    .cmp(&b.position)
                    .then_with(|| a.title.cmp(&b.title))
            });
        }
        AgendaTree {
            roots: place(None, "", &mut by_parent),
        }
    }

    /// Every node depth-first, in reading order.
    pub fn walk(&self) -> Vec<&AgendaNode> {
        fn go<'a>(nodes: &'a [AgendaNode], out: &mut Vec<&'a AgendaNode>) {
            for n in nodes {
                out.push(n);
                go(&n.children, out);
            }
        }
        let mut out = Vec::new();
        go(&self.roots, &mut out);
        out
    }

    /// The item numbered `number` as the programme shows it ("2", "2.1"): how a watched
    /// folder's subfolder names the item its papers belong to.
    pub fn item_numbered(&self, number: &str) -> Option<AgendaItemId> {
        self.walk()
            .into_iter()
            .find(|node| node.number == number)
            .map(|node| node.item.id)
    }
}

fn place(
    parent: Option<AgendaItemId>,
    prefix: &str,
    by_parent: &mut HashMap<Option<AgendaItemId>, Vec<AgendaItem>>,
) -> Vec<AgendaNode> {
    let siblings = by_parent.remove(&parent).unwrap_or_default();
    siblings
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let number = format!("{prefix}{}", i + 1);
            let children = place(Some(item.id), &format!("{number}."), by_parent);
            AgendaNode {
                number,
                item,
                children,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn item(n: u128, parent: Option<u128>, position: i32, title: &str) -> AgendaItem {
        AgendaItem {
            id: AgendaItemId(Uuid::from_u128(n)),
            meeting_id: MeetingId(Uuid::from_u128(999)),
            parent_id: parent.map(|p| AgendaItemId(Uuid::from_u128(p))),
            position,
            title: title.into(),
            presenter: None,
            planned_minutes: None,
            paper_titles: vec![],
        }
    }

    fn numbered(tree: &AgendaTree) -> Vec<(String, String)> {
        tree.walk()
            .into_iter()
            .map(|n| (n.number.clone(), n.item.title.clone()))
            .collect()
    }

    #[test]
    fn numbers_nested_items_in_position_order() {
        let tree = AgendaTree::build(vec![
            item(3, None, 20, "Ngân sách"),
            item(1, None, 10, "Khai mạc"),
            item(5, Some(3), 2, "Thảo luận"),
            item(4, Some(3), 1, "Tờ trình"),
        ]);
        assert_eq!(
            numbered(&tree),
            vec![
                ("1".into(), "Khai mạc".into()),
                ("2".into(), "Ngân sách".into()),
                ("2.1".into(), "Tờ trình".into()),
                ("2.2".into(), "Thảo luận".into()),
            ]
        );
    }

    #[test]
    fn an_orphan_is_shown_at_the_top_level_not_hidden() {
        let tree = AgendaTree::build(vec![item(1, None, 1, "A"), item(2, Some(77), 2, "B")]);
        assert_eq!(
            tree.roots.len(),
            2,
            "an item whose parent has not synced yet must still be visible"
        );
    }

    #[test]
    fn a_parent_cycle_does_not_hide_or_loop() {
        let tree = AgendaTree::build(vec![item(1, Some(2), 1, "A"), item(2, Some(1), 2, "B")]);
        assert_eq!(
            tree.walk().len(),
            2,
            "corrupt parent links must neither loop forever nor drop items"
        );
    }
}

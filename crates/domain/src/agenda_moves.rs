//! Moving a programme item (up, down, in, out, or dropped somewhere) as the few changes of
//! place it takes: the moved item's new parent and position, and new positions for the
//! siblings whose order changes.
//!
//! Siblings are ordered as [`AgendaTree::build`](crate::AgendaTree) orders them (position,
//! then title), so the planned order is the order every device will show.

use crate::{AgendaItem, AgendaItemId};
use std::fmt;

/// Where an item goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    Up,
    Down,
    /// Under the previous sibling, as its last sub-item.
    Indent,
    /// Out of its parent, right after it.
    Outdent,
    /// Under `parent` at `index` among its children, counted without the moved item.
    To {
        parent: Option<AgendaItemId>,
        index: usize,
    },
}

/// Why a move cannot be made; the UI disables these, so they mean stale data or a bug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveRefusal {
    UnknownItem,
    UnknownParent,
    NoRoom,
    UnderItself,
}

impl fmt::Display for MoveRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MoveRefusal::UnknownItem => "the item is not in this programme",
            MoveRefusal::UnknownParent => "the new parent item is not in this programme",
            MoveRefusal::NoRoom => {
                "the item is already first, last or at the top level, so it cannot move that way"
            }
            MoveRefusal::UnderItself => {
                "an item cannot be moved under itself or one of its sub-items"
            }
        })
    }
}

impl std::error::Error for MoveRefusal {}

/// One item's new place: its position among its siblings and, when it changes parent, the
/// new parent (`Some(None)` for the top level).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub item: AgendaItemId,
    pub position: i32,
    pub parent: Option<Option<AgendaItemId>>,
}

/// Gap between planned positions, so a later insert can often slot in without renumbering.
const STEP: i32 = 10;

/// The placements that carry out `movement` of `item` in a programme of `items`, in the
/// order to make them. Empty when the item is already where it would go.
pub fn plan(
    items: &[AgendaItem],
    item: AgendaItemId,
    movement: Movement,
) -> Result<Vec<Placement>, MoveRefusal> {
    let moved = items
        .iter()
        .find(|i| i.id == item)
        .ok_or(MoveRefusal::UnknownItem)?;
    let siblings = children(items, moved.parent_id);
    let index = siblings
        .iter()
        .position(|i| i.id == item)
        .expect("an item is among its parent's children");
    let (parent, at) = match movement {
        Movement::Up if index > 0 => (moved.parent_id, index - 1),
        Movement::Down if index + 1 < siblings.len() => (moved.parent_id, index + 1),
        Movement::Indent if index > 0 => {
            let new_parent = siblings[index - 1].id;
            (Some(new_parent), children(items, Some(new_parent)).len())
        }
        Movement::Outdent => {
            let parent_id = moved.parent_id.ok_or(MoveRefusal::NoRoom)?;
            let parent = items
                .iter()
                .find(|i| i.id == parent_id)
                .ok_or(MoveRefusal::UnknownParent)?;
            let after = children(items, parent.parent_id)
                .iter()
                .position(|i| i.id == parent_id)
                .expect("an item is among its parent's children");
            (parent.parent_id, after + 1)
        }
        Movement::To { parent, index } => {
            if let Some(parent) = parent {
                if !items.iter().any(|i| i.id == parent) {
                    return Err(MoveRefusal::UnknownParent);
                }
                if is_within(items, parent, item) {
                    return Err(MoveRefusal::UnderItself);
                }
            }
            (parent, index)
        }
        Movement::Up | Movement::Down | Movement::Indent => return Err(MoveRefusal::NoRoom),
    };

    let mut order: Vec<&AgendaItem> = children(items, parent)
        .into_iter()
        .filter(|i| i.id != item)
        .collect();
    order.insert(at.min(order.len()), moved);
    let mut patches = Vec::new();
    for (i, sibling) in order.iter().enumerate() {
        let position = (i as i32 + 1) * STEP;
        let reparent = sibling.id == item && sibling.parent_id != parent;
        if sibling.position == position && !reparent {
            continue;
        }
        patches.push(Placement {
            item: sibling.id,
            position,
            parent: reparent.then_some(parent),
        });
    }
    // Already in place (same parent, same rank): nothing to send, even if the positions
    // are not on the planned grid.
    let same_rank = moved.parent_id == parent && index == at.min(order.len() - 1);
    if same_rank {
        return Ok(Vec::new());
    }
    Ok(patches)
}

/// The children of `parent` (the top level for `None`) in display order.
fn children(items: &[AgendaItem], parent: Option<AgendaItemId>) -> Vec<&AgendaItem> {
    let mut found: Vec<&AgendaItem> = items.iter().filter(|i| i.parent_id == parent).collect();
    found.sort_by(|a, b| {
        a.position
            .cmp(&b.position)
            .then_with(|| a.title.cmp(&b.title))
    });
    found
}

/// Whether `candidate` is `root` or lies somewhere under it.
fn is_within(items: &[AgendaItem], candidate: AgendaItemId, root: AgendaItemId) -> bool {
    let mut current = Some(candidate);
    for _ in 0..=items.len() {
        match current {
            Some(id) if id == root => return true,
            Some(id) => current = items.iter().find(|i| i.id == id).and_then(|i| i.parent_id),
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AgendaTree, MeetingId};
    use uuid::Uuid;

    fn id(n: u128) -> AgendaItemId {
        AgendaItemId(Uuid::from_u128(n))
    }

    fn item(n: u128, parent: Option<u128>, position: i32) -> AgendaItem {
        AgendaItem {
            id: id(n),
            meeting_id: MeetingId(Uuid::from_u128(99)),
            parent_id: parent.map(id),
            position,
            title: format!("Mục {n}"),
            presenter: None,
            planned_minutes: None,
            paper_titles: vec![],
        }
    }

    /// Makes the placements as the server would and numbers the result as every device does.
    fn after(items: &[AgendaItem], placements: &[Placement]) -> Vec<String> {
        let mut items = items.to_vec();
        for placement in placements {
            let i = items.iter_mut().find(|i| i.id == placement.item).unwrap();
            i.position = placement.position;
            if let Some(parent) = placement.parent {
                i.parent_id = parent;
            }
        }
        AgendaTree::build(items)
            .walk()
            .iter()
            .map(|n| format!("{} {}", n.number, n.item.title))
            .collect()
    }

    /// 1 Mục 1, 2 Mục 2 (2.1 Mục 21, 2.2 Mục 22), 3 Mục 3, positioned 1, 2, 3 as imported.
    fn programme() -> Vec<AgendaItem> {
        vec![
            item(1, None, 1),
            item(2, None, 2),
            item(21, Some(2), 1),
            item(22, Some(2), 2),
            item(3, None, 3),
        ]
    }

    #[test]
    fn up_and_down_swap_with_the_neighbour_and_keep_the_sub_items() {
        let items = programme();
        let up = plan(&items, id(3), Movement::Up).unwrap();
        assert_eq!(
            after(&items, &up),
            ["1 Mục 1", "2 Mục 3", "3 Mục 2", "3.1 Mục 21", "3.2 Mục 22"]
        );
        let down = plan(&items, id(21), Movement::Down).unwrap();
        assert_eq!(
            after(&items, &down),
            ["1 Mục 1", "2 Mục 2", "2.1 Mục 22", "2.2 Mục 21", "3 Mục 3"]
        );
        assert_eq!(
            plan(&items, id(1), Movement::Up).unwrap_err(),
            MoveRefusal::NoRoom,
            "the first item has nowhere to go up"
        );
    }

    #[test]
    fn indent_makes_the_last_sub_item_of_the_previous_item_and_outdent_undoes_it() {
        let items = programme();
        let indent = plan(&items, id(3), Movement::Indent).unwrap();
        assert_eq!(
            after(&items, &indent),
            [
                "1 Mục 1",
                "2 Mục 2",
                "2.1 Mục 21",
                "2.2 Mục 22",
                "2.3 Mục 3"
            ]
        );
        let outdent = plan(&items, id(21), Movement::Outdent).unwrap();
        assert_eq!(
            after(&items, &outdent),
            ["1 Mục 1", "2 Mục 2", "2.1 Mục 22", "3 Mục 21", "4 Mục 3"],
            "an item moved out lands right after its old parent"
        );
        assert_eq!(
            plan(&items, id(1), Movement::Outdent).unwrap_err(),
            MoveRefusal::NoRoom
        );
        assert_eq!(
            plan(&items, id(21), Movement::Indent).unwrap_err(),
            MoveRefusal::NoRoom,
            "the first sub-item has no previous sibling to go under"
        );
    }

    #[test]
    fn a_drop_places_the_item_at_the_index_counted_without_it() {
        let items = programme();
        let to_end = plan(
            &items,
            id(1),
            Movement::To {
                parent: None,
                index: 2,
            },
        )
        .unwrap();
        assert_eq!(
            after(&items, &to_end),
            ["1 Mục 2", "1.1 Mục 21", "1.2 Mục 22", "2 Mục 3", "3 Mục 1"]
        );
        let into = plan(
            &items,
            id(3),
            Movement::To {
                parent: Some(id(2)),
                index: 0,
            },
        )
        .unwrap();
        assert_eq!(
            after(&items, &into),
            [
                "1 Mục 1",
                "2 Mục 2",
                "2.1 Mục 3",
                "2.2 Mục 21",
                "2.3 Mục 22"
            ]
        );
        assert_eq!(
            plan(
                &items,
                id(2),
                Movement::To {
                    parent: Some(id(21)),
                    index: 0
                }
            )
            .unwrap_err(),
            MoveRefusal::UnderItself
        );
    }

    #[test]
    fn a_move_sends_only_what_changes() {
        let items = vec![
            item(1, None, 10),
            item(2, None, 20),
            item(3, None, 30),
            item(4, None, 40),
        ];
        let patches = plan(&items, id(3), Movement::Up).unwrap();
        assert_eq!(
            patches.iter().map(|p| p.item).collect::<Vec<_>>(),
            [id(3), id(2)],
            "on a spaced grid, swapping two items patches those two only"
        );
        let nothing = plan(
            &items,
            id(2),
            Movement::To {
                parent: None,
                index: 1,
            },
        )
        .unwrap();
        assert!(nothing.is_empty(), "dropped where it already was");
    }
}

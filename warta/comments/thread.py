"""A post's comments as a tree, built in Python from one query."""

from dataclasses import dataclass, field


@dataclass
class Node:
    comment: object
    depth: int = 0
    children: list["Node"] = field(default_factory=list)
    up: "Node | None" = field(default=None, repr=False)

    @property
    def shown(self):
        """A deleted comment is kept only as the place its replies hang from."""
        return not self.comment.is_deleted or any(child.shown for child in self.children)


def build_thread(comments, *, max_depth: int) -> list[Node]:
    """Replies nest up to ``max_depth`` levels; deeper replies join the deepest level, in
    order, so long conversations stay readable on a phone. A reply whose parent is not shown
    (held for moderation, spam) moves to the top level."""
    nodes = {}
    roots = []
    for comment in comments:  # oldest first, so a parent is always seen before its replies
        parent = nodes.get(comment.parent_id)
        if parent is None:
            node = Node(comment)
            roots.append(node)
        else:
            while parent.depth >= max_depth - 1 and parent.depth > 0:
                parent = parent.up
            node = Node(comment, depth=parent.depth + 1, up=parent)
            parent.children.append(node)
        nodes[comment.pk] = node
    return prune(roots)


def prune(nodes: list[Node]) -> list[Node]:
    kept = []
    for node in nodes:
        node.children = prune(node.children)
        if node.shown:
            kept.append(node)
    return kept

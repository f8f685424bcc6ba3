"""Global ids: the opaque `Type:id` handles every Node is known by, outside GraphQL too."""

from __future__ import annotations

import base64


def to_global_id(type_name: str, node_id: str | int) -> str:
    """The opaque global id of a node (base64 of `Type:id`, as Relay clients expect)."""
    return base64.b64encode(f"{type_name}:{node_id}".encode()).decode()

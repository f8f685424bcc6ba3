"""API keys in GraphQL: the viewer's keys, creating and revoking them."""

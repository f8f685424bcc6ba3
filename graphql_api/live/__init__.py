"""Live audit events: who is waiting for a team's new events, and how they are woken."""

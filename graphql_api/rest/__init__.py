"""REST endpoints for integrations built against Postman's API."""

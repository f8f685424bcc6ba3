"""Billing in GraphQL: plan, seats, invoices, usage against allowances, billing activity."""

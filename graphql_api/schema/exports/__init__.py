"""Exports in GraphQL: the job type and the mutations that start one."""

"""Monthly allowances of metered resources per plan: configuration, not code.

The defaults below can be replaced whole or in part with the JSON in
GRAPHQL_API_PLAN_ALLOWANCES, e.g. {"ENTERPRISE": {"MONITOR_REQUESTS": 100000}}.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from graphql_api.domain.enums import Plan, UsageResource

DEFAULT_ALLOWANCES: dict[str, dict[str, int]] = {
    Plan.FREE: {
        "MONITOR_REQUESTS": 1_000,
        "MOCK_REQUESTS": 1_000,
        "POSTMAN_API_CALLS": 1_000,
        "FLOWS_REQUESTS": 1_000,
        "CUSTOM_DOMAINS": 0,
    },
    Plan.BASIC: {
        "MONITOR_REQUESTS": 10_000,
        "MOCK_REQUESTS": 10_000,
        "POSTMAN_API_CALLS": 100_000,
        "FLOWS_REQUESTS": 10_000,
        "CUSTOM_DOMAINS": 0,
    },
    Plan.PROFESSIONAL: {
        "MONITOR_REQUESTS": 10_000,
        "MOCK_REQUESTS": 100_000,
        "POSTMAN_API_CALLS": 100_000,
        "FLOWS_REQUESTS": 100_000,
        "CUSTOM_DOMAINS": 1,
    },
    Plan.ENTERPRISE: {
        "MONITOR_REQUESTS": 50_000,
        "MOCK_REQUESTS": 1_000_000,
        "POSTMAN_API_CALLS": 1_000_000,
        "FLOWS_REQUESTS": 1_000_000,
        "CUSTOM_DOMAINS": 5,
    },
}


def parse_allowances(raw: str | None) -> dict[str, dict[str, int]]:
    """The defaults, overridden per plan and resource by `raw` (JSON); ValueError if bad."""
    allowances = {plan: dict(resources) for plan, resources in DEFAULT_ALLOWANCES.items()}
    if not raw:
        return allowances
    try:
        overrides = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"GRAPHQL_API_PLAN_ALLOWANCES is not JSON: {exc}") from exc
    if not isinstance(overrides, dict):
        raise ValueError("GRAPHQL_API_PLAN_ALLOWANCES must be an object of plans")
    for plan, resources in overrides.items():
        if plan not in Plan.__members__ or not isinstance(resources, dict):
            raise ValueError(f"GRAPHQL_API_PLAN_ALLOWANCES: unknown plan {plan!r}")
        for resource, amount in resources.items():
            if resource not in UsageResource.__members__ or not isinstance(amount, int):
                raise ValueError(
                    f"GRAPHQL_API_PLAN_ALLOWANCES: {plan}.{resource} must be a known "
                    "resource with a whole number"
                )
            allowances[plan][resource] = amount
    return allowances


@lru_cache(maxsize=8)
def frozen_allowances(raw: str | None) -> Mapping[str, Mapping[str, int]]:
    """`parse_allowances(raw)` made read-only; cached, as settings parse the same text twice."""
    return MappingProxyType(
        {plan: MappingProxyType(resources) for plan, resources in parse_allowances(raw).items()}
    )

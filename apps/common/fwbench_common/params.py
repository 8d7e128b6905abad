"""Request-parameter rules and random row choice shared by the TechEmpower routes."""

import random

WORLD_ROWS = 10000
MAX_QUERIES = 500


def clamp_queries(raw) -> int:
    """TechEmpower's rule: missing, empty or non-integer gives 1; otherwise clamped to 1..500."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(value, 1), MAX_QUERIES)


def random_world_id() -> int:
    return random.randint(1, WORLD_ROWS)


def random_world_ids(count: int) -> list:
    """`count` distinct ids, so every id is read by its own query and updated exactly once."""
    return random.sample(range(1, WORLD_ROWS + 1), count)


def random_number() -> int:
    return random.randint(1, WORLD_ROWS)

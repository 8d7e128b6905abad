"""The filler routes registered before /r/<int:group>/items/<slug>, so that route is resolved
the way a real app with many routes resolves it. Paths: /api/v1/resourceNN/<int:pk>."""

FILLER_COUNT = 100


def filler_names() -> list:
    """resource00 .. resource99, in registration order."""
    return [f"resource{n:02d}" for n in range(FILLER_COUNT)]


def filler_payload(resource: int, pk: int) -> dict:
    return {"resource": resource, "pk": pk}


def route_table_payload(group: int, slug: str) -> dict:
    return {"group": group, "slug": slug}

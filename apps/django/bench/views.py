"""TechEmpower's test types, the CMS page, the orders API and the route-table views."""

from django.apps import apps
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from fwbench_common import fillers, orders, params

from .models import Fortune, World

ADDED_FORTUNE = "Additional fortune added at request time."


@require_GET
def plaintext(request):
    return HttpResponse("Hello, World!", content_type="text/plain")


@require_GET
def json(request):
    return JsonResponse({"message": "Hello, World!"})


@require_GET
def single_query(request):
    return JsonResponse(World.objects.get(id=params.random_world_id()).to_dict())


@require_GET
def multiple_queries(request):
    count = params.clamp_queries(request.GET.get("queries"))
    worlds = [World.objects.get(id=wid) for wid in params.random_world_ids(count)]
    return JsonResponse([world.to_dict() for world in worlds], safe=False)


@require_GET
def fortunes(request):
    rows = list(Fortune.objects.all())
    rows.append(Fortune(id=0, message=ADDED_FORTUNE))
    rows.sort(key=lambda fortune: fortune.message)
    return render(request, "bench/fortunes.html", {"fortunes": rows})


@require_GET
def updates(request):
    count = params.clamp_queries(request.GET.get("queries"))
    worlds = [World.objects.get(id=wid) for wid in params.random_world_ids(count)]
    for world in worlds:
        world.randomnumber = params.random_number()
    with transaction.atomic():
        World.objects.bulk_update(worlds, ["randomnumber"])
    return JsonResponse([world.to_dict() for world in worlds], safe=False)


@require_GET
def cms(request):
    return render(request, "bench/cms/page.html", apps.get_app_config("bench").cms_page)


@csrf_exempt
@require_POST
def create_order(request):
    try:
        order = orders.parse_order(
            request.content_type, _content_length(request), lambda: request.body
        )
    except orders.OrderError as err:
        return JsonResponse(err.as_dict(), status=err.status)
    return JsonResponse(order, status=201)


def _content_length(request):
    """The declared body size, checked before Django reads the body (Django's own limit,
    DATA_UPLOAD_MAX_MEMORY_SIZE, answers 400 rather than 413)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


@require_GET
def resource_detail(request, resource, pk):
    return JsonResponse(fillers.filler_payload(resource, pk))


@require_GET
def group_item(request, group, slug):
    return JsonResponse(fillers.route_table_payload(group, slug))

"""The TechEmpower routes, the CMS page, the orders API, 100 filler routes, and
/r/<int:group>/items/<slug> last, so resolving it walks every pattern before it."""

from django.urls import path
from fwbench_common import fillers

from . import views

urlpatterns = [
    path("plaintext", views.plaintext, name="plaintext"),
    path("json", views.json, name="json"),
    path("db", views.single_query, name="db"),
    path("queries", views.multiple_queries, name="queries"),
    path("fortunes", views.fortunes, name="fortunes"),
    path("updates", views.updates, name="updates"),
    path("cms", views.cms, name="cms"),
    path("api/orders", views.create_order, name="create-order"),
]

urlpatterns += [
    path(f"api/v1/{name}/<int:pk>", views.resource_detail, {"resource": number}, name=name)
    for number, name in enumerate(fillers.filler_names())
]

# <str:slug> (any text without "/") matches Flask's default <slug> converter.
urlpatterns.append(path("r/<int:group>/items/<str:slug>", views.group_item, name="group-item"))

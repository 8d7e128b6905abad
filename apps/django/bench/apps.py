from django.apps import AppConfig
from fwbench_common import cms_page


class BenchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bench"

    def ready(self):
        # Read once, at startup: the /cms view renders the same data on every request.
        self.cms_page = cms_page.load()

"""The smallest Django app that answers GET / with "Hello, World!" (counted by appsize.py)."""
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["localhost"], SECRET_KEY="hello")


def hello(request):
    return HttpResponse("Hello, World!")


urlpatterns = [path("", hello)]
app = get_wsgi_application()

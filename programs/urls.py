from django.urls import path

from programs.views import home

app_name = "programs"

urlpatterns = [
    path("", home.home, name="home"),
]

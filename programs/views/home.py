from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from programs import selectors


@login_required
def home(request):
    return render(request, "programs/home.html", selectors.home_summary(request.user))

"""A party cell's page and a village's page: their assignments and history of sessions."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from programs import permissions, selectors


@login_required
def cell_detail(request, pk):
    cell = permissions.get_cell_or_404(request.user, pk)
    history = selectors.cell_history(cell, page=request.GET.get("page"), today=timezone.localdate())
    return render(request, "places/cell_detail.html", {"cell": cell, **history})


@login_required
def village_detail(request, pk):
    village = permissions.get_village_or_404(request.user, pk)
    history = selectors.village_history(
        request.user, village, page=request.GET.get("page"), today=timezone.localdate()
    )
    return render(request, "places/village_detail.html", {"village": village, **history})

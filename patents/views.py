"""Patent pages: the list every role may browse (scoped) and a patent's page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from patents.filters import PatentFilterSet
from patents.selectors import patent_get, patent_list


@login_required
def patent_list_page(request: HttpRequest) -> HttpResponse:
    """Filterable, paginated list of the patents the user may see."""
    filterset = PatentFilterSet(request.GET, queryset=patent_list(user=request.user))
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "patents/patent_list.html", {"filter": filterset, "page": page, "query": query.urlencode()})


@login_required
def patent_detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A patent's page; 404 when the user may not see it."""
    patent = patent_get(user=request.user, pk=pk)
    if patent is None:
        raise Http404
    can_see_internal = request.user.is_officer and patent.institution_id == request.user.institution_id
    return render(request, "patents/patent_detail.html", {"patent": patent, "can_see_internal": can_see_internal})

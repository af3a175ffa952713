from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from ..concurrency import EditConflict


class AlliancePermissionMixin:
    """A view inside `/a/<alliance>/`: the middleware has already resolved the alliance and
    404'd non-members. The view names the permission it needs; a member whose roles do not
    grant it gets 403."""

    permission_required: str = ""
    # An offer that runs in one kind of alliance only (Alliance.Kind): 404 in the others,
    # before the view looks anything up.
    alliance_kind: str = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.alliance_kind and request.alliance.kind != self.alliance_kind:
            raise Http404(f"Not a page of a {request.alliance.get_kind_display()}.")

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_required:
            raise AssertionError(f"{type(self).__name__} must name its permission_required.")
        self.alliance = request.alliance
        if not request.user.has_perm(self.permission_required, self.alliance):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["alliance"] = self.alliance
        return context


class AllianceObjectMixin(AlliancePermissionMixin):
    """A page about one object of the alliance, named in the URL (a challenge, a review, an
    event): the one way every offer looks it up. The object is read inside the request's
    alliance only; one in another alliance, or one the person may not see
    (`object_view_permission` on it), is 404 — never "forbidden", which would say it exists.
    Then the view's own `object_permission` on it, if it names one, gives 403 if missing.
    `check_object()` may answer instead of the view (e.g. a withdrawn challenge refusing a
    POST). The object is `self.<object_name>` and in the template's context."""

    object_model = None
    object_kwarg = ""  # the URL keyword holding its id
    object_name = ""  # the attribute and context name
    object_related: tuple[str, ...] = ()  # select_related
    object_view_permission = ""
    object_permission = ""
    not_found = "Not found."

    def dispatch(self, request, *args, **kwargs):
        found = (
            self.object_queryset()
            .filter(alliance=request.alliance, pk=kwargs[self.object_kwarg])
            .first()
        )
        if found is None or (
            self.object_view_permission
            and not request.user.has_perm(self.object_view_permission, found)
        ):
            raise Http404(self.not_found)
        if self.object_permission and not request.user.has_perm(self.object_permission, found):
            raise PermissionDenied
        setattr(self, self.object_name, found)
        answer = self.check_object(request, found)
        if answer is not None:
            return answer
        return super().dispatch(request, *args, **kwargs)

    def object_queryset(self):
        """Where the object is looked up (then only in the request's alliance): its model's,
        `object_related` joined. A page that shows much of its object reads it here with
        what it shows (a selector's queryset), so the permission checks above read that too."""
        return self.object_model.objects.select_related(*self.object_related)

    def check_object(self, request, found):
        """A response to give instead of the view's, or None."""
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context[self.object_name] = getattr(self, self.object_name)
        return context


class ConfirmMixin:
    """A destructive step (removing a person, an activity, a case...): the GET shows a page
    saying what it means, and only that page's button, which sends `confirm=yes` with the
    form token, does it. Any other POST (an old one-click form, a script) shows the page
    again and changes nothing. The view's `confirmed_post()` does the work and redirects;
    its template includes "includes/confirm_form.html"."""

    def post(self, request, *args, **kwargs):
        if request.POST.get("confirm") != "yes":
            return self.render_to_response(self.get_context_data())
        return self.confirmed_post(request, *args, **kwargs)

    def confirmed_post(self, request, *args, **kwargs):
        raise NotImplementedError


def safe_next(request) -> str:
    """The `next` the page was asked to return to (query string or form), if it is a path
    on this site; "" otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def form_errors_from(form, error) -> None:
    """Put a service's ValidationError on the form, next to its field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@contextmanager
def refusals_on(form):
    """Run a valid form's service inside this block: an edit conflict
    (peerchallenge.concurrency) or the service's ValidationError goes on the form instead of
    up, so the view goes on with `if form.errors:` and shows the form again."""
    try:
        yield
    except EditConflict as conflict:
        form.conflict_show(conflict)
    except ValidationError as error:
        form_errors_from(form, error)

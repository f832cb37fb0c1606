"""Supervisor accounts made by operators: a role and the regions or employers it is bound to (ADR 0156).

The role is one of core's groups (``xueshi_core.roles``: province, city or county supervisor,
employer contact); the binding is core's ``AccountScope``, read by ``permissions.scope_of`` and
so by every app's scope check. Region codes are checked against the identity app's dated
GB/T 2260 data: a new binding takes only codes in force today, at the level the role names (a
county supervisor gets county codes). An operator bound to regions may only bind inside them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xueshi_core import permissions, roles
from xueshi_core.masking import mask_email, mask_name
from xueshi_core.models import AccountScope
from xueshi_core.scopes import parse_employers, parse_region_codes, region_prefix
from xueshi_identity import api as identity_api

#: The roles an operator gives here, and the level of region each is bound to ("" = any level).
ROLES = {
    roles.SUPERVISOR_PROVINCE: ("province", gettext_lazy("Provincial supervisor")),
    roles.SUPERVISOR_CITY: ("city", gettext_lazy("City supervisor")),
    roles.SUPERVISOR_COUNTY: ("county", gettext_lazy("County supervisor")),
    roles.EMPLOYER_CONTACT: ("", gettext_lazy("Employer training contact")),
}


def level_of(code: str) -> str:
    """``province``, ``city`` or ``county`` by the code's shape (GB/T 2260)."""
    if code[2:] == "0000":
        return "province"
    return "city" if code[4:] == "00" else "county"


class SupervisorForm(forms.Form):
    """Create (with ``username``) or edit a supervisor account."""

    username = forms.RegexField(
        label=gettext_lazy("Username"), regex=r"^[A-Za-z0-9_.-]{3,30}$", max_length=30, required=False
    )
    email = forms.EmailField(label=gettext_lazy("Email"), max_length=254)
    full_name = forms.CharField(label=gettext_lazy("Name"), max_length=64)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=[(k, v[1]) for k, v in ROLES.items()])
    region_codes = forms.CharField(
        label=gettext_lazy("Region codes"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Six-digit GB/T 2260 codes separated by commas, e.g. 350102."),
    )
    employers = forms.CharField(
        label=gettext_lazy("Employers"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Exact employer names, one a line."),
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=200)

    def __init__(self, *args: Any, operator: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.operator, self.creating = operator, creating
        self.fields["username"].required = creating

    def clean_username(self) -> str:
        """A new account's username must be free (any case)."""
        name = self.cleaned_data.get("username", "")
        if self.creating and get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(_("This username is taken."))
        return name

    def clean_region_codes(self) -> tuple[str, ...]:
        """Well-formed, in force today, and inside the operator's own scope."""
        try:
            codes = parse_region_codes(self.cleaned_data.get("region_codes", ""))
        except ValueError as exc:
            raise forms.ValidationError(_("Region codes: %(error)s") % {"error": exc}) from exc
        unknown = [c for c in codes if not identity_api.division_is_current(c)]
        if unknown:
            raise forms.ValidationError(
                _("Not a GB/T 2260 division in force: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        scope = permissions.scope_of(self.operator)
        if scope.everything:
            return codes
        bound = tuple(region_prefix(b) for b in scope.regions)
        outside = [c for c in codes if not any(region_prefix(c).startswith(b) for b in bound)]
        if outside:
            message = _("Outside your own scope: %(codes)s") % {"codes": ", ".join(outside)}
            raise forms.ValidationError(message)
        return codes

    def clean(self) -> dict[str, Any]:
        """The binding fits the role: a supervisor's regions at its level, a contact's employers."""
        data = super().clean()
        role, codes = data.get("role"), data.get("region_codes") or ()
        employers = parse_employers(data.get("employers", ""))
        data["employers"] = employers
        if role is None:
            return data
        level = ROLES[role][0]
        if level and not codes:
            self.add_error("region_codes", _("A supervisor is bound to at least one region."))
        wrong = [c for c in codes if level and level_of(c) != level]
        if wrong:
            message = _("A %(role)s is bound to %(level)s codes: %(codes)s")
            params = {"role": ROLES[role][1], "level": level, "codes": ", ".join(wrong)}
            self.add_error("region_codes", message % params)
        if role == roles.EMPLOYER_CONTACT and not employers:
            self.add_error("employers", _("An employer contact is bound to at least one employer."))
        return data


def role_of(user: Any) -> str:
    """The account's supervisor role (the first of ``ROLES`` it holds), or ``""``."""
    names = set(user.groups.values_list("name", flat=True))
    return next((r for r in ROLES if r in names), "")


@transaction.atomic
def save(form: SupervisorForm, user: Any = None) -> Any:
    """Create the account (if ``user`` is None) or update it; set its one role and its binding."""
    data = form.cleaned_data
    if user is None:
        user_id = identity_api.create_staff_account(data["username"], data["email"], data["full_name"])
        user = get_user_model().objects.get(pk=user_id)
    else:
        user.email, user.first_name = data["email"], data["full_name"][:150]
        user.save(update_fields=["email", "first_name"])
    user.groups.remove(*Group.objects.filter(name__in=list(ROLES)))
    user.groups.add(Group.objects.get_or_create(name=data["role"])[0])
    AccountScope.objects.update_or_create(
        user=user,
        defaults={
            "region_codes": ",".join(data["region_codes"]),
            "employers": "\n".join(data["employers"]),
            "note": data["note"],
        },
    )
    return user


def listing() -> list[dict[str, Any]]:
    """Every account holding a supervisor role, masked, with its binding and region names."""
    users = get_user_model().objects.filter(groups__name__in=list(ROLES)).distinct().order_by("username")
    scopes = {s.user_id: s for s in AccountScope.objects.filter(user__in=users)}
    codes = {c for s in scopes.values() for c in parse_region_codes(s.region_codes)}
    names = identity_api.division_names(codes)
    rows = []
    for user in users.prefetch_related("groups"):
        scope = scopes.get(user.pk)
        regions = parse_region_codes(scope.region_codes) if scope else ()
        role = next((g.name for g in user.groups.all() if g.name in ROLES), "")
        rows.append(
            {
                "id": user.pk,
                "username": user.username,
                "name": mask_name(user.first_name),
                "email": mask_email(user.email),
                "role": ROLES[role][1] if role else "",
                "regions": [f"{c} {names.get(c, '')}".strip() for c in regions],
                "employers": parse_employers(scope.employers) if scope else (),
            }
        )
    return rows


def initial_of(user: Any) -> dict[str, Any]:
    """The edit form's values for an existing account."""
    scope = AccountScope.objects.filter(user=user).first()
    return {
        "email": user.email,
        "full_name": user.first_name,
        "role": role_of(user),
        "region_codes": scope.region_codes if scope else "",
        "employers": scope.employers if scope else "",
        "note": scope.note if scope else "",
    }

"""Training projects (培训项目): the form operators fill, who may see a project, its figures (ADR 0157).

A project's figures are the roll-ups read through the project's lens: its courses, its days, its
target regions, categories and employers, **intersected with the reader's scope** (a county
supervisor following a provincial project sees their county's part). The lens is one ``Scope``
(``lens``) and one query (``cohort``), so figures, learner lists and exports count the same rows.

- enrolled: learners enrolled in at least one of its courses by its last day (or today), not
  unenrolled or refunded by then, who were in a target region, category and employer that day;
- studying: of those, learners with credited study in its courses during the project;
- completed: learners who completed every course of the project by the end;
- hours: credited study hours in its courses during the project (one decimal); met_hours:
  learners whose credited hours reach ``required_hours``;
- certified: valid course certificates for its courses held by those learners (certificates api).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xueshi_certificates import api as certificates_api
from xueshi_core import params
from xueshi_core.days import china_day
from xueshi_core.jsonbody import BadInput
from xueshi_core.scopes import Scope, parse_employers, parse_region_codes, region_prefix
from xueshi_identity import api as identity_api

from . import signals
from .models import CourseStatus, DailyStudy, RegionSpell, TrainingProject
from .query import FigureQuery
from .regions import spells_on

MAX_COURSES = 200


def _narrower(a: str, b: str) -> str:
    """The smaller of two regions when one holds the other; '' when they do not meet."""
    pa, pb = region_prefix(a), region_prefix(b)
    if pa.startswith(pb):
        return a
    return b if pb.startswith(pa) else ""


def lens(scope: Scope, project: TrainingProject) -> Scope:
    """The reader's scope narrowed to the project's target regions and employers (may be empty)."""
    if scope.everything:
        if not project.regions and not project.employers:
            return scope
        return Scope(regions=tuple(project.regions), employers=tuple(project.employers))
    regions: tuple[str, ...] = scope.regions
    if project.regions and scope.regions:
        regions = tuple(sorted({m for a in scope.regions for b in project.regions if (m := _narrower(a, b))}))
        if not regions:
            return Scope()
    elif project.regions:
        regions = tuple(project.regions)
    employers = scope.employers
    if project.employers:
        employers = tuple(e for e in project.employers if not scope.employers or e in scope.employers)
        if not employers:
            return Scope()
    return Scope(regions=regions, employers=employers)


def by_code(code: str) -> TrainingProject:
    """The project with this code; a clear 404 when there is none."""
    project = TrainingProject.objects.filter(code=str(code)[:40]).first()
    if project is None:
        raise BadInput("unknown_project", "no training project has this code", status=404)
    return project


def visible(scope: Scope) -> list[TrainingProject]:
    """The projects whose targets meet the reader's scope (newest first)."""
    return [p for p in TrainingProject.objects.all() if not lens(scope, p).is_empty]


def as_of(project: TrainingProject) -> date:
    """The day the figures are counted at: the last day, or today while the project runs."""
    return min(project.end, china_day(timezone.now()))


def phase(project: TrainingProject) -> str:
    """``draft`` (not approved), ``approved`` (not started), ``running`` or ``ended``."""
    today = china_day(timezone.now())
    if project.approved_at is None:
        return "draft"
    if today < project.start:
        return "approved"
    return "running" if today <= project.end else "ended"


def as_query(project: TrainingProject) -> FigureQuery:
    """The project's days as a figures query (how learner lists and exports describe rows)."""
    end = max(as_of(project), project.start)
    return FigureQuery(start=project.start, end=end, period="range")


def cohort(scope: Scope, project: TrainingProject) -> QuerySet[CourseStatus]:
    """Learner × course enrolments of the project within the reader's scope (see the module)."""
    seen, end = lens(scope, project), as_query(project).end
    spells = seen.filter_profiles(RegionSpell.objects.filter(spells_on(end)))
    if project.categories:
        spells = spells.filter(category_code__in=project.categories)
    return CourseStatus.objects.filter(
        user_id__in=spells.values("user_id"), course_key__in=project.courses, enrolled_on__lte=end
    ).exclude(unenrolled_on__lte=end)


def compute(scope: Scope, project: TrainingProject) -> dict[str, Any]:
    """The project's figures for this reader (plain dict, JSON-ready), counted in the database."""
    rows, q = cohort(scope, project), as_query(project)
    users = rows.values("user_id")
    study = DailyStudy.objects.filter(
        user_id__in=users, course_key__in=project.courses, day__range=(q.start, q.end)
    )
    per_user = study.values("user_id").annotate(ms=Sum("credited_ms")).order_by()
    need = len(set(project.courses))
    done = rows.filter(completed_on__lte=q.end).values("user_id").annotate(n=Count("course_key")).order_by()
    required_ms = int(Decimal(project.required_hours) * 3_600_000)
    total_ms = study.aggregate(ms=Sum("credited_ms"))["ms"] or 0
    return {
        "enrolled": users.order_by().distinct().count(),
        "studying": per_user.count(),
        "completed": done.filter(n__gte=need).count(),
        "hours": round(int(total_ms) / 3_600_000, 1),
        "met_hours": per_user.filter(ms__gte=required_ms).count() if required_ms else 0,
        "certified": certificates_api.valid_course_certificates(users, project.courses),
    }


def approve(code: str, username: str) -> bool:
    """Approve a draft project (once; approving again changes nothing); its learners hear of it."""
    with transaction.atomic():
        done = TrainingProject.objects.filter(code=str(code)[:40], approved_at__isnull=True).update(
            approved_at=timezone.now(), approved_by=username
        )
        if done:
            signals.announce_on_commit(str(code)[:40], "approved")
    return bool(done)


def save_plan(project: TrainingProject) -> None:
    """Store a recorded or edited plan; moving an approved project's days tells its learners again."""
    stored = TrainingProject.objects.filter(pk=project.pk) if project.pk else TrainingProject.objects.none()
    before = stored.values("start", "end").first()
    with transaction.atomic():
        project.save()
        moved = before is not None and (before["start"], before["end"]) != (project.start, project.end)
        if moved and project.approved_at is not None:
            revision = f"dates:{project.start.isoformat()}:{project.end.isoformat()}"
            signals.announce_on_commit(project.code, revision)


def audience(project: TrainingProject) -> QuerySet[RegionSpell]:
    """The learners a project is meant for today: current regions, categories and employers it targets.

    Unlike ``cohort`` (who enrolled), this is who should hear of the project: every learner whose
    current dated region lies in its targets (none: every learner with a real-name profile).
    """
    seen = lens(Scope(everything=True), project)
    spells = seen.filter_profiles(RegionSpell.objects.filter(valid_to__isnull=True))
    if project.categories:
        spells = spells.filter(category_code__in=project.categories)
    return spells


def describe(project: TrainingProject) -> dict[str, Any]:
    """The project's plan as shown on its page (region and category names resolved)."""
    names = identity_api.division_names(project.regions)
    categories = identity_api.category_names()
    return {
        "code": project.code,
        "name": project.name,
        "organiser": project.organiser,
        "start": project.start.isoformat(),
        "end": project.end.isoformat(),
        "phase": phase(project),
        "courses": list(project.courses),
        "regions": [names.get(c, c) for c in project.regions],
        "categories": [str(categories.get(c, c)) for c in project.categories],
        "employers": list(project.employers),
        "required_hours": str(project.required_hours),
        "exam_required": project.exam_required,
    }


class ProjectForm(forms.ModelForm):
    """An operator records or edits a project; every list is checked (bad input: the form's 400)."""

    course_keys = forms.CharField(
        label=gettext_lazy("Courses"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Course keys, one a line, e.g. course-v1:Org+Code+2026."),
    )
    region_codes = forms.CharField(label=gettext_lazy("Target regions"), required=False, max_length=2000)
    category_codes = forms.MultipleChoiceField(
        label=gettext_lazy("Target personnel categories"), required=False, choices=()
    )
    employer_names = forms.CharField(
        label=gettext_lazy("Target employers"), required=False, max_length=4000, widget=forms.Textarea
    )

    class Meta:
        model = TrainingProject
        fields = ("code", "name", "organiser", "start", "end", "required_hours", "exam_required")
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category_codes"].choices = list(identity_api.category_names().items())
        if self.instance.pk:
            self.initial.update(
                course_keys="\n".join(self.instance.courses),
                region_codes=", ".join(self.instance.regions),
                category_codes=list(self.instance.categories),
                employer_names="\n".join(self.instance.employers),
            )

    def clean_code(self) -> str:
        """``new`` names the page that records a project, so no project may take it."""
        code = str(self.cleaned_data["code"])
        if code == "new":
            raise forms.ValidationError(_("This project code is reserved."))
        return code

    def clean_course_keys(self) -> list[str]:
        """Well-formed course keys, at most ``MAX_COURSES``, duplicates dropped."""
        keys: list[str] = []
        for line in self.cleaned_data["course_keys"].split():
            try:
                key = str(params.course_key(line, "course"))
            except BadInput as exc:
                raise forms.ValidationError(exc.reason) from exc
            if key not in keys:
                keys.append(key)
        if not keys or len(keys) > MAX_COURSES:
            raise forms.ValidationError(_("Name between 1 and %(n)s courses.") % {"n": MAX_COURSES})
        return keys

    def clean_region_codes(self) -> list[str]:
        """GB/T 2260 codes in the identity app's data."""
        try:
            codes = list(parse_region_codes(self.cleaned_data.get("region_codes", "")))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        unknown = [c for c in codes if not identity_api.division_exists(c)]
        if unknown:
            raise forms.ValidationError(_("Unknown region codes: %(codes)s") % {"codes": ", ".join(unknown)})
        return codes

    def clean_employer_names(self) -> list[str]:
        """Exact employer names, one a line."""
        return list(parse_employers(self.cleaned_data.get("employer_names", "")))

    def clean(self) -> dict[str, Any]:
        """The last day is not before the first."""
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The project ends before it starts."))
        return data

    def save(self, commit: bool = True) -> TrainingProject:
        """Store the lists with the plan."""
        project = super().save(commit=False)
        project.courses = self.cleaned_data["course_keys"]
        project.regions = self.cleaned_data["region_codes"]
        project.categories = list(self.cleaned_data["category_codes"])
        project.employers = self.cleaned_data["employer_names"]
        if commit:
            project.save()
        return project

"""A real XBlock runtime for the sandbox, with opaque keys and URLs shaped like the LMS's.

Blocks are addressed by ``block-v1:Org+Course+Run+type@T+block@ID`` usage keys; handlers live at
``/courses/<course>/xblock/<usage>/handler/<name>``; resources at ``/xblock/resource/<type>/<path>``;
``publish`` feeds completion (edx-completion), grades (``StudentModule``) and the tracking log.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from completion.models import BlockCompletion
from django.db import transaction
from django.urls import reverse
from opaque_keys.edx.keys import CourseKey, UsageKey
from opaque_keys.edx.locator import BlockUsageLocator
from waffle import switch_is_active
from xblock.core import XBlock
from xblock.exceptions import NoSuchDefinition
from xblock.runtime import IdGenerator, IdReader, KvsFieldData, Runtime

from .kvs import SandboxKeyValueStore
from .models import StudentModule, TrackingEvent
from .services import SandboxI18nService, SandboxSettingsService, SandboxUserService

log = logging.getLogger(__name__)
COMPLETION_SWITCH = "completion.enable_completion_tracking"


class CourseIds(IdReader, IdGenerator):
    """Usage keys double as definition ids, as in the LMS for blocks that share no definitions."""

    def __init__(self, course_key: CourseKey) -> None:
        self.course_key = course_key

    def get_definition_id(self, usage_id: Any) -> Any:
        """Return the usage key itself."""
        return usage_id

    def get_block_type(self, def_id: Any) -> str:
        """Read the block type out of the key."""
        try:
            return str(UsageKey.from_string(str(def_id)).block_type)
        except Exception as exc:
            raise NoSuchDefinition(repr(def_id)) from exc

    def create_definition(self, block_type: str, slug: str | None = None) -> BlockUsageLocator:
        """Make a key in this course (``url_name`` when the OLX gives one)."""
        return self.course_key.make_usage_key(block_type, slug or uuid.uuid4().hex[:12])

    def create_usage(self, def_id: Any) -> Any:
        """Same key."""
        return def_id

    # Asides are not used by Xueshi; refuse clearly rather than invent ids.
    def get_usage_id_from_aside(self, aside_id: Any) -> Any:
        raise NoSuchDefinition("asides are not supported in the sandbox")

    get_definition_id_from_aside = get_aside_type_from_usage = get_aside_type_from_definition = (
        get_usage_id_from_aside
    )

    def create_aside(self, definition_id: Any, usage_id: Any, aside_type: str) -> Any:
        raise NoSuchDefinition("asides are not supported in the sandbox")


class SandboxRuntime(Runtime):
    """One learner's runtime for one course, built per request like the LMS's."""

    def __init__(self, user: Any, course_key: CourseKey) -> None:
        self.user = user
        self.course_key = course_key
        self.kvs = SandboxKeyValueStore()
        ids = CourseIds(course_key)
        super().__init__(
            id_reader=ids,
            id_generator=ids,
            services={
                "field-data": KvsFieldData(self.kvs),
                "user": SandboxUserService(user, course_key),
                "settings": SandboxSettingsService(),
            },
        )
        self.learner_id = user.id if user is not None and user.is_authenticated else None
        # get_block() builds ScopeIds from this; setting the attribute directly skips the
        # deprecation warning of the setter (the "user" service is the supported way to read it).
        self._deprecated_per_instance_user_id = self.learner_id

    def service(self, block: Any, service_name: str) -> Any:
        """Give each block an i18n service bound to its own catalog (as ``XBlockI18nService``)."""
        if service_name == "i18n":
            declared = block.service_declaration(service_name)
            if declared is None:
                return super().service(block, service_name)
            # The unmixed class's module locates the catalog (``XBlockI18nService`` does the same).
            return SandboxI18nService(getattr(block, "unmixed_class", type(block)))
        return super().service(block, service_name)

    # -- URLs -------------------------------------------------------------------------------
    def handler_url(
        self, block: Any, handler_name: str, suffix: str = "", query: str = "", thirdparty: bool = False
    ) -> str:
        """Return the LMS-shaped handler URL (``handler_noauth`` for third parties)."""
        kind = "handler_noauth" if thirdparty else "handler"
        url = f"/courses/{self.course_key}/xblock/{block.scope_ids.usage_id}/{kind}/{handler_name}"
        if suffix:
            url = f"{url}/{suffix}"
        return f"{url}?{query}" if query else url

    def resource_url(self, resource: str) -> str:
        """Static files of the site itself."""
        return f"/static/{resource}"

    def local_resource_url(self, block: Any, uri: str) -> str:
        """A file from the block's ``public/`` directory, as the LMS serves it."""
        return reverse(
            "sandbox_lms:xblock_resource", kwargs={"block_type": block.scope_ids.block_type, "uri": uri}
        )

    # -- events -----------------------------------------------------------------------------
    def publish(self, block: Any, event_type: str, event_data: dict[str, Any]) -> None:
        """Route an event the way the LMS's ``EventPublishingService`` does, then log it."""
        usage_key = block.scope_ids.usage_id
        if event_type == "completion" and self.learner_id is not None and switch_is_active(COMPLETION_SWITCH):
            BlockCompletion.objects.submit_completion(self.user, usage_key, float(event_data["completion"]))
        elif event_type == "grade" and self.learner_id is not None:
            self._set_grade(usage_key, event_data)
        TrackingEvent.objects.create(
            user_id=self.learner_id,
            event_type=event_type,
            course_key=str(self.course_key),
            usage_key=str(usage_key),
            data=event_data,
        )

    @transaction.atomic
    def _set_grade(self, usage_key: Any, event_data: dict[str, Any]) -> None:
        module, _ = StudentModule.objects.select_for_update().get_or_create(
            student_id=self.learner_id,
            usage_key=usage_key,
            defaults={"course_key": self.course_key, "block_type": usage_key.block_type},
        )
        value, max_value = float(event_data["value"]), float(event_data["max_value"])
        if event_data.get("only_if_higher") and module.grade is not None and module.grade >= value:
            return
        module.grade, module.max_grade = value, max_value
        module.save(update_fields=["grade", "max_grade", "modified"])

    # -- asides ----------------------------------------------------------------------------
    def applicable_aside_types(self, block: Any) -> list[str]:
        """None: the LMS renders asides only when ``XBlockAsidesConfig`` is enabled (off by default).

        XBlock's own answer reads every installed distribution's entry points on each render
        (``XBlockAside.load_classes``): about half of a unit page's CPU before this (ADR 0720).
        """
        return []

    # -- wrapping ---------------------------------------------------------------------------
    def wrap_xblock(self, block: Any, view: str, frag: Any, context: Any) -> Any:
        """Add what the JS runtime needs (usage id, course id, handler prefix), as the LMS wrapper does."""
        prefix = self.handler_url(block, "__handler__").split("__handler__")[0]
        extra = {
            "usage-id": str(block.scope_ids.usage_id),
            "course-id": str(self.course_key),
            "handler-prefix": prefix,
        }
        return self._wrap_ele(block, view, frag, extra)


def load_block(user: Any, usage_key: UsageKey) -> XBlock:
    """Load ``usage_key`` for ``user`` in a fresh runtime (raises ``ContentBlock.DoesNotExist``)."""
    from .models import ContentBlock

    ContentBlock.objects.get(usage_key=usage_key)
    runtime = SandboxRuntime(user, usage_key.course_key)
    return runtime.get_block(usage_key)

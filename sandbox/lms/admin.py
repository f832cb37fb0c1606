"""Admin pages for the sandbox LMS tables (read them while trying things)."""

from django.contrib import admin

from .models import ContentBlock, CourseMode, CourseRun, StudentModule, TrackingEvent

admin.site.register(CourseRun)
admin.site.register(ContentBlock)
admin.site.register(StudentModule)
admin.site.register(CourseMode)


@admin.register(TrackingEvent)
class TrackingEventAdmin(admin.ModelAdmin):
    """The tracking log, newest first."""

    list_display = ("time", "event_type", "user_id", "usage_key")
    list_filter = ("event_type",)

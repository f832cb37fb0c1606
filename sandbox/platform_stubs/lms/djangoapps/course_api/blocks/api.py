"""Stand-in for ``lms.djangoapps.course_api.blocks.api.get_blocks`` over the sandbox content store."""


def get_blocks(
    request, usage_key, user=None, depth=None, requested_fields=None, block_types_filter=None, **kwargs
):
    """Return ``{"root": key, "blocks": {key: {"id", "type", "children"}}}`` for a course's blocks."""
    from sandbox.lms.models import ContentBlock

    rows = ContentBlock.objects.filter(course__course_key=usage_key.course_key)
    blocks = {}
    for row in rows:
        if block_types_filter and row.block_type not in block_types_filter:
            continue
        blocks[str(row.usage_key)] = {"id": str(row.usage_key), "type": row.block_type, "children": []}
    return {"root": str(usage_key), "blocks": blocks}

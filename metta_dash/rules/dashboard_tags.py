"""R301: dashboard tags are `team:` or `ai:` keyed, five at most."""

from metta_dash.findings import Severity
from metta_dash.rules.base import rule

TAG_KEYS = ("team", "ai")
MAX_TAGS = 5


@rule("R301", "dashboard-tags", Severity.ERROR)
def dashboard_tags(dashboard):
    """Dashboard `tags` must look like `team:<name>` or `ai:<name>`, and there may be five at most.

    The API answers "Invalid tag format. Valid tag keys are: team, ai." for any other tag.
    """
    tags = dashboard.get("tags")
    if not isinstance(tags, list):
        return
    if len(tags) > MAX_TAGS:
        yield ("tags",), f"{len(tags)} dashboard tags; the API allows {MAX_TAGS}", "keep five team:/ai: tags at most"
    for index, tag in enumerate(tags):
        if not isinstance(tag, str):
            continue
        key, colon, value = tag.partition(":")
        if key not in TAG_KEYS or not colon or not value:
            yield (
                ("tags", index),
                f"dashboard tag {tag!r} is not team:<name> or ai:<name> (the API answers \"Invalid tag format. "
                "Valid tag keys are: team, ai.\")",
                "use team:<your-team>; other labels belong in the title or description",
            )

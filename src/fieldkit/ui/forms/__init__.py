"""XLSForm fillings as native Qt forms: ``FormWidget`` renders a ``fieldkit.forms.FormState``
(sections, repeats, one editor per question type) and updates only what each answer changes."""

from fieldkit.ui.forms.editors import AttachmentInfo, Attachments, Editor
from fieldkit.ui.forms.widget import FormWidget, GroupItem, QuestionItem, RepeatItem, RowFrame

__all__ = [
    "AttachmentInfo",
    "Attachments",
    "Editor",
    "FormWidget",
    "GroupItem",
    "QuestionItem",
    "RepeatItem",
    "RowFrame",
]

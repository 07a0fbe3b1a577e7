"""XLSForm forms (DESIGN §7): the ODK expression language now; loading and validation build on it.

Pure Python: no Qt, no SQL. ``fieldkit.forms.expressions`` parses and evaluates the expressions
of ``relevant``, ``constraint``, ``calculation``, ``choice_filter`` and ``default`` columns.
"""

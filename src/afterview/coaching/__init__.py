"""The coaching: prompts and pick-lists, letter templates, letters, their checks and the calendar.

Built on :mod:`afterview.record` only; no widgets, kernels or servers here.
"""

"""The workbook: forms that save as you type, each step's results as HTML, and JupyterLab.

Notebooks call ``from afterview.workbook import forms, notebook, views``.
"""

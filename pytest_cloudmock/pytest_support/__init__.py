"""The pytest plugin's parts: settings (options, ini, marker), the session handle, reports.

Everything here imports only the standard library at module level, so that a
test suite that never asks for a cloudmock fixture pays nothing for it.
"""

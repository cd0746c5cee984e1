"""The error a plugin that cannot be added raises (unreachable, unhealthy, bad config)."""


class PluginError(Exception):
    """A plugin could not be loaded, started or registered; the message says why."""

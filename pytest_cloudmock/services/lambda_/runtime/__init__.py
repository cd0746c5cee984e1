"""The runtime clients cloudmock runs in execution environments (Python and Node.js)."""

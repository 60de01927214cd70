"""The leaders' dashboard (领导驾驶舱): the one place that reads every workflow app, only through
their selectors. The core ``office`` package outside this sub-package imports no workflow app."""

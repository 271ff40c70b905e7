"""The hostile-input corpus: one test per way a file, a path or a signal has been seen to break
``ttx`` (issue 4), each failing on the code before the fix."""

"""scripts/bench: Sinter and onnxruntime timed side by side (see __main__.py)."""

"""drafter: an offline assistant for drafting Chinese official speeches (讲话稿)."""

__version__ = "0.1.0"

"""Report views: one module per report, each with ``build(ds, cfg, period, lang)`` returning
everything its notebook shows (frames, headline figures, chart inputs) and ``write_exports``."""

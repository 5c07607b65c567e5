"""Report views: ``views.<report>.build(ds, cfg, period, lang)`` returns all a report shows.

Why: a report notebook is then parameters, one ``build`` call and one short cell per section; the
frames, figures' inputs and words are built (and unit-tested) here, and ``write_exports`` writes
the report's files.
"""

"""Large exports as jobs: a person asks, a job builds the file, a page shows its state and,
once ready, the download; no request waits on a ZIP or a CSV of thousands of rows.

The machinery is about no area in particular. An area describes what it exports as an
:class:`~eduapp.exports.kinds.ExportKind` and registers it under a name (the clinics'
compliance and completions CSVs and audit pack in ``eduapp.clinics.export_jobs``, the studio's
gradebook learners CSV in ``eduapp.studio.gradebook_export``); its view checks who may ask and
records the request (``services.record_request``); ``jobs.build_export`` builds any kind;
``views`` serves ``/exports/<id>`` to the person who asked, and to nobody else.
"""

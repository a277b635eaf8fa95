"""Sample data for trying and measuring the application: the demo world of the Lâm Bình article
(``demo``, ``manage.py load_demo``) and a synthetic province at scale for load tests (``scale``,
``manage.py generate_scale_data``). It owns no models: the rows it writes are the domain's
(``programs.models``), and the domain never imports from here.
"""

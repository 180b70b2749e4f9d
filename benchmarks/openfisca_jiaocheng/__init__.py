"""paycalc side by side with OpenFisca-Core on the Jiaocheng 2020 scheme.

- :mod:`.roster`: a synthetic Jiaocheng roster in paycalc's CSV format (fixed seed);
- :mod:`.model`: the Jiaocheng rules as an OpenFisca tax-benefit system (``parameters/``);
- :mod:`.openfisca_run`: the roster read with pandas and paid by OpenFisca, vectorised;
- :mod:`.limit`: the floor — the roster read by pyarrow or polars, paid by hand-written numpy;
- :mod:`.parity`: every line of every slip, paycalc against the OpenFisca model, on a
  sample (:mod:`.sample`) that favours part months;
- :mod:`.measure`: one system timed in its own process; :mod:`.compare`: the whole run.

See docs/performance.md.
"""

"""Reading given gravity coefficients (``econsec gravity simulate --coef/--coef-file``): names
of an intercept, the layouts of gegravity's, pyfixest's and econsec's own coefficient tables, and
the errors that name the file, row and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from econsec.analytics.models.gravity import CONSTANT
from econsec.errors import InputError, OptionError
from econsec.services.gravity import normalise_coefficients, read_coefficients


def test_intercept_names_and_bad_values() -> None:
    assert normalise_coefficients({" _cons ": 1.5, "rta": "0.4"}) == {CONSTANT: 1.5, "rta": 0.4}
    for name in ("const", "Intercept", "(Intercept)", "constant", "CONS"):
        assert normalise_coefficients({name: 1.0}) == {CONSTANT: 1.0}
    with pytest.raises(OptionError, match="'rta' must be a number"):
        normalise_coefficients({"rta": "x"})
    with pytest.raises(OptionError, match="finite"):
        normalise_coefficients({"rta": float("nan")})
    with pytest.raises(OptionError, match="twice"):
        normalise_coefficients({"_cons": 1.0, "const": 2.0})
    with pytest.raises(OptionError, match="no coefficients"):
        normalise_coefficients({})


def test_read_coefficients_csv_and_json(tmp_path: Path) -> None:
    csv = tmp_path / "c.csv"
    csv.write_text("var,coeff,se\nlndist,-0.39,0.07\npta,0.47,0.11\n_cons,3.5,1\n")
    assert read_coefficients(csv) == {"lndist": -0.39, "pta": 0.47, CONSTANT: 3.5}
    rows = tmp_path / "rows.json"   # the layout of `econsec --json gravity estimate`
    rows.write_text(json.dumps([{"index": "rta", "coef": 0.4, "se": 0.1},
                                {"index": "lndist", "coef": -0.8, "se": 0.1}]))
    assert read_coefficients(rows) == {"rta": 0.4, "lndist": -0.8}
    obj = tmp_path / "obj.json"
    obj.write_text(json.dumps({"rta": 0.4, "Intercept": 1.0}))
    assert read_coefficients(obj) == {"rta": 0.4, CONSTANT: 1.0}
    bad = tmp_path / "bad.csv"
    bad.write_text("var,coeff\nlndist,-0.39\npta,oops\n")
    with pytest.raises(InputError, match=r"bad\.csv, row 3, field 'coeff': expected a number"):
        read_coefficients(bad)
    cols = tmp_path / "cols.csv"
    cols.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="a name column"):
        read_coefficients(cols)
    with pytest.raises(InputError, match="existing CSV or JSON"):
        read_coefficients(tmp_path / "missing.csv")

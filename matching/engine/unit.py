"""L2 unit rows without scikit-learn's argument checks: `sklearn.preprocessing.normalize(x, norm="l2")` runs the
same kernels after validating its arguments, and the validation cost more than the work on one query row (a search
normalised three times, ~0.1 ms each). For float CSR matrices and 2-D float arrays of finite values (what the query
path makes); anything else goes to normalize itself. tests/matching/engine/test_engine_unit_rows.py holds the two to the
same bits."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize
from sklearn.preprocessing._data import _handle_zeros_in_scale
from sklearn.utils.extmath import row_norms
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def l2_rows(matrix: Any, *, copy: bool = True) -> Any:
    """`normalize(matrix, norm="l2", copy=copy)`: each row divided by its L2 norm (zero rows stay zero); in place
    when `copy` is False."""
    if sp.issparse(matrix) and matrix.format == "csr" and matrix.dtype in _FLOATS:
        out = matrix.copy() if copy else matrix
        inplace_csr_row_normalize_l2(out)
        return out
    if isinstance(matrix, np.ndarray) and matrix.ndim == 2 and matrix.dtype in _FLOATS and matrix.flags.writeable:
        out = matrix.copy() if copy else matrix
        out /= _handle_zeros_in_scale(row_norms(out), copy=False)[:, None]
        return out
    return normalize(matrix, norm="l2", copy=copy)

"""Effect *indication* for a place-based action: target, buffer ring and control area.

Counts before (``0``) and after (``1``) the start, in the same months of the year, for the
target area ``T``, the buffer ring ``B`` around it (where crime may be displaced to) and a
control area ``C`` (the rest of the gemeente). Following Bowers & Johnson (2003), the control
sets what would have happened without the action: the expected count after is the count
before times the control's change ``k = C1 / C0``.

- success measure (Bowers & Johnson): ``T1/C1 − T0/C0`` (negative: the target improved
  relative to the control);
- buffer measure: ``B1/C1 − B0/C0``;
- weighted displacement quotient ``WDQ = buffer measure / success measure``: > 0 diffusion
  of benefits, < 0 displacement, near 0 neither (only meaningful when the success measure
  is negative);
- weighted displacement difference ``WDD = (T1 − k·T0) + (B1 − k·B0)``: the net change in
  target and buffer together, in crimes, against the control's trend. Negative is a net
  reduction. This is the count form of Bowers & Johnson's total net effect (with the sign
  turned), as Wheeler & Ratcliffe (2018) test it.
- variance: the counts are taken as independent Poisson, and the delta method gives
  ``Var(WDD) = T1 + B1 + k²·(T0 + B0) + (T0 + B0)²·k²·(1/C1 + 1/C0)``; the 95% interval is
  ``WDD ± 1.96·sd``. Overdispersed counts make the true interval wider, so this is an
  indication, never proof of an effect.

>>> r = displacement(target=(40, 20), buffer=(30, 25), control=(1000, 1000))
>>> r.wdd, round(r.wdq, 3), r.conclusion
(-25.0, 0.25, 'indicatie van een netto daling ten opzichte van de controlegroep')
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True)
class DisplacementResult:
    """All measures; ``None`` where a denominator is zero."""

    target: tuple[float, float]
    buffer: tuple[float, float]
    control: tuple[float, float]
    control_change: float | None  # k = C1 / C0
    success_measure: float | None  # T1/C1 − T0/C0
    buffer_measure: float | None  # B1/C1 − B0/C0
    wdq: float | None
    wdd: float | None
    wdd_se: float | None
    wdd_lower: float | None
    wdd_upper: float | None
    z: float | None

    @property
    def conclusion(self) -> str:
        """Dutch, and never "effect": the interval decides the wording."""
        if self.wdd is None or self.wdd_lower is None or self.wdd_upper is None:
            return "geen indicatie te geven: de controlegroep heeft geen misdrijven"
        if self.wdd_upper < 0:
            return "indicatie van een netto daling ten opzichte van de controlegroep"
        if self.wdd_lower > 0:
            return "indicatie van een netto stijging ten opzichte van de controlegroep"
        return "binnen de marge van toeval"


def displacement(target: tuple[float, float], buffer: tuple[float, float],
                 control: tuple[float, float]) -> DisplacementResult:  # fmt: skip
    """The measures above for (before, after) counts of target, buffer and control."""
    t0, t1 = (float(x) for x in target)
    b0, b1 = (float(x) for x in buffer)
    c0, c1 = (float(x) for x in control)
    if c0 <= 0 or c1 <= 0:
        return DisplacementResult((t0, t1), (b0, b1), (c0, c1), *([None] * 9))
    k = c1 / c0
    success = t1 / c1 - t0 / c0
    buffer_measure = b1 / c1 - b0 / c0
    wdq = buffer_measure / success if success != 0 else None
    wdd = (t1 - k * t0) + (b1 - k * b0)
    variance = t1 + b1 + k**2 * (t0 + b0) + (t0 + b0) ** 2 * k**2 * (1 / c1 + 1 / c0)
    se = math.sqrt(variance)
    z = wdd / se if se > 0 else None
    return DisplacementResult(
        (t0, t1), (b0, b1), (c0, c1), k, success, buffer_measure, wdq, wdd, se,
        wdd - Z95 * se, wdd + Z95 * se, z,
    )  # fmt: skip

"""Electrical losses that depend on loading: the UPS partial-load curve and transformers.

The UPS and transformer plant is read from the design (UPS systems, modules, capacities and
full-load efficiencies; transformer capacities); where the design has none, a stated default is
used and the result carries a warning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .model import Design, Kind

FloatArray = NDArray[np.float64]

# Double-conversion UPS loss per kW of module rating at loading x: k0 + k1·x + k2·x². Fitted to
# a typical modern curve of 94 % at 25 % load, 96 % at 50 % and 96.5 % at 100 % (engineering
# assumption: the shape, a no-load loss of about 1.3 % of rating, is what makes lightly loaded
# 2N systems inefficient). A UPS `efficiency` in the design rescales the whole curve.
UPS_LOSS = (0.0130, 0.0080, 0.0153)
UPS_FULL_LOAD_LOSS = sum(UPS_LOSS)
DEFAULT_UPS_OVERSIZE = 4 / 3  # no UPS in the design: assume N+1 of 3+1 modules
# Transformer: core loss 0.25 % of rating, copper loss 1.0 % at rated load, square law
# (engineering assumption in line with efficient MV/LV units, ~98.75 % at full load).
TRANSFORMER_NO_LOAD = 0.0025
TRANSFORMER_LOAD_LOSS = 0.010
DEFAULT_TRANSFORMER_CAPACITY_PER_IT_KW = 2.0  # none in the design: assume 1.25 × a 1.6 PUE peak


@dataclass(frozen=True)
class ElectricalPlant:
    """UPS and transformer capacity derived from the design, and how redundant the UPS is."""

    ups_installed_kw: float
    ups_modules: int
    ups_systems: int
    ups_redundancy: str
    ups_loss_scale: float  # 1.0 = the default curve; rescaled from a design efficiency
    transformer_installed_kw: float
    transformer_load_loss: float
    is_ups_assumed: bool
    is_transformer_assumed: bool

    def ups_loss_kw(self, it_kw: FloatArray) -> FloatArray:
        # Parallel modules and both sides of a 2N system share the load equally, so every module
        # runs at the same loading x; the losses scale with the installed rating.
        loading = it_kw / self.ups_installed_kw
        k0, k1, k2 = UPS_LOSS
        losses: FloatArray = self.ups_installed_kw * self.ups_loss_scale * (k0 + k1 * loading + k2 * loading**2)
        return losses

    def transformer_loss_kw(self, load_kw: FloatArray) -> FloatArray:
        loading = load_kw / self.transformer_installed_kw
        losses: FloatArray = self.transformer_installed_kw * (
            TRANSFORMER_NO_LOAD + self.transformer_load_loss * loading**2
        )
        return losses


def _ups_redundancy(design: Design, installed_kw: float, modules: int, systems: int) -> str:
    it_kw = design.it_load_kw
    ups = [component for component in design.of_kind(Kind.UPS) if component.capacity_kw]
    if systems >= 2 and all((component.capacity_kw or 0) >= it_kw for component in ups):
        return "2N" if systems == 2 else f"{systems}N"
    module_kw = max((component.capacity_kw or 0) / max(component.modules, 1) for component in ups)
    needed = math.ceil(it_kw / module_kw - 1e-9)
    spare = modules - needed
    if spare < 0:
        return f"under-sized ({installed_kw:g} kW for {it_kw:g} kW)"
    return "N" if spare == 0 else f"N+{spare}"


def electrical_plant(design: Design) -> ElectricalPlant:
    """UPS and transformer plant from the design's components, with stated defaults when absent."""
    ups = [component for component in design.of_kind(Kind.UPS) if component.capacity_kw]
    if ups:
        installed = sum(component.capacity_kw or 0.0 for component in ups)
        modules = sum(max(component.modules, 1) for component in ups)
        efficiencies = [component.efficiency for component in ups if component.efficiency]
        scale = 1.0
        if efficiencies:
            efficiency = sum(efficiencies) / len(efficiencies)
            scale = (1 / efficiency - 1) / UPS_FULL_LOAD_LOSS
        redundancy = _ups_redundancy(design, installed, modules, len(ups))
    else:
        installed, modules, scale, redundancy = design.it_load_kw * DEFAULT_UPS_OVERSIZE, 4, 1.0, "N+1 (assumed)"
    transformers = [component for component in design.of_kind(Kind.TRANSFORMER) if component.capacity_kw]
    transformer_kw = sum(component.capacity_kw or 0.0 for component in transformers)
    load_loss = TRANSFORMER_LOAD_LOSS
    transformer_efficiencies = [component.efficiency for component in transformers if component.efficiency]
    if transformer_efficiencies:
        efficiency = sum(transformer_efficiencies) / len(transformer_efficiencies)
        load_loss = max((1 - efficiency) - TRANSFORMER_NO_LOAD, 0.0)
    return ElectricalPlant(
        ups_installed_kw=installed,
        ups_modules=modules,
        ups_systems=len(ups),
        ups_redundancy=redundancy,
        ups_loss_scale=scale,
        transformer_installed_kw=transformer_kw or design.it_load_kw * DEFAULT_TRANSFORMER_CAPACITY_PER_IT_KW,
        transformer_load_loss=load_loss,
        is_ups_assumed=not ups,
        is_transformer_assumed=not transformers,
    )

"""Running claimx on many processes or machines.

* :mod:`claimx.scale.batch_function` — a pure batch function for any executor;
* :mod:`claimx.scale.ray` — Ray Data (``pip install 'claimx[ray]'``).
"""

"""Packaging glue: the repository's ``kernels/`` folder installs as ``tritongrad.kernels``."""
from setuptools import find_packages, setup

packages = find_packages(include=["tritongrad", "tritongrad.*", "compat", "compat.*"])
packages += ["tritongrad.kernels"] + ["tritongrad.kernels." + p for p in find_packages("kernels")]

setup(packages=packages, package_dir={"tritongrad.kernels": "kernels"})

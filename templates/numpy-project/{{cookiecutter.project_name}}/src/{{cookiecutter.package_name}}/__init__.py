{%- set plan = cookiecutter | npinit_plan -%}
{{ plan.description | py }}
{%- if plan.threads and plan.manager in ("pip", "poetry", "uv") %}

import os

# BLAS thread count chosen with `npinit new --threads {{ plan.threads }}`. These variables
# only take effect if they are set before NumPy is first imported, so import this package
# first (the tests' conftest.py sets them too). conda sets them on activation instead.
{%- for name, value in plan.thread_variables.items() %}
os.environ.setdefault({{ name | py }}, {{ value | py }})
{%- endfor %}
{%- endif %}

__version__ = "0.1.0"

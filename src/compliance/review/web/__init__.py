"""The review page: a local web app over the findings store (Starlette + Jinja2, no script)."""

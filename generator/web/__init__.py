"""The web page for reps and its API: drop the workbook, see what to fix, download the outputs.

`app.create_app(Config(...))` builds the Starlette application (nothing is configured at import);
`worker.Pool` runs every check and build in worker processes with a time limit; `accountplan serve`
is a thin shell over both and uvicorn. Needs the `web` extra: `pip install "accountplan[web]"`.
"""

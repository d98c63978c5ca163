"""The eval suite (`evals/briefs/*.yaml`), its graders, runner and reports; `ecu eval` drives them.

Import-light on purpose: submodules load on use (`evals.cases`, `evals.graders`,
`evals.runner`, `evals.report`, `evals.judge`).
"""

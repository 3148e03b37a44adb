"""axe-core checks for browser tests: fail on serious or critical violations, list them clearly."""

import pytest
from axe_playwright_python.sync_playwright import Axe

FAILING_IMPACTS = ("serious", "critical")
_axe = Axe()


def axe_violations(page, context=None, options=None) -> list[dict]:
    """Every axe violation on the page as it is now (all impacts)."""
    results = _axe.run(page, context=context, options=options or {"resultTypes": ["violations"]})
    return results.response["violations"]


def describe(violation: dict, max_nodes: int = 5) -> str:
    lines = [f"- {violation['id']} ({violation['impact']}): {violation['help']}  <{violation['helpUrl']}>"]
    for node in violation["nodes"][:max_nodes]:
        lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
        summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
        if summary:
            lines.append(f"      {summary[:400]}")
    if len(violation["nodes"]) > max_nodes:
        lines.append(f"    … and {len(violation['nodes']) - max_nodes} more elements")
    return "\n".join(lines)


def assert_accessible(page, context=None, impacts=FAILING_IMPACTS) -> list[dict]:
    """Fail listing every violation whose impact is in `impacts`; return the milder ones."""
    violations = axe_violations(page, context=context)
    failing = [v for v in violations if v.get("impact") in impacts]
    if failing:
        scheme = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'")
        report = "\n".join(describe(v) for v in failing)
        pytest.fail(f"axe found {len(failing)} serious or critical problem(s) on {page.url} ({scheme} mode):\n{report}", pytrace=False)
    return [v for v in violations if v.get("impact") not in impacts]

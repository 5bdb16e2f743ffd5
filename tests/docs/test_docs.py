"""The documentation's promises, checked.

* Every ```python block of docs/user-guide.md runs under ``python -m tritongrad run`` without an exception,
  and when a ```text block follows it, prints exactly that text.
* Blocks that ``import torch`` (and never name tritongrad) print the same text under the real PyTorch
  (skipped without it), so the guide shows PyTorch's behaviour, not just ours.
* The API coverage generator lists names and presence correctly; the docs' relative links resolve.

All tritongrad blocks run in one runner process (a fresh ``__main__`` namespace each; a block whose first
line is ``# continues ...`` reuses the namespace of the block before it), which keeps this file fast on a
loaded machine: one interpreter start instead of one per block.
"""
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
GUIDE = DOCS / "user-guide.md"

FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[A-Za-z]*)[ \t]*$")

# Runs a list of code blocks, each in a fresh __main__-like namespace (or the previous one for a
# "# continues" block), capturing what it prints. Used in the runner subprocess and in-process for PyTorch.
RUNNER_SOURCE = r'''
import contextlib, io, json, sys, traceback

def run_blocks(blocks):
    results = []
    namespace = None
    for code in blocks:
        if namespace is None or not code.lstrip().startswith("# continues"):
            namespace = {"__name__": "__main__", "__builtins__": __builtins__}
        out = io.StringIO()
        error = None
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(code, "<user-guide block>", "exec"), namespace)
        except SystemExit as exc:
            if exc.code not in (None, 0):
                error = "SystemExit(%r)" % (exc.code,)
        except BaseException:
            error = traceback.format_exc()
        results.append({"stdout": out.getvalue(), "error": error})
    return results

if __name__ == "__main__" and len(sys.argv) == 3:
    with open(sys.argv[1], encoding="utf-8") as f:
        blocks = json.load(f)
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(run_blocks(blocks), f)
'''


def extract_blocks(text):
    """[(python_code, expected_text_or_None, line_number)] from a markdown page."""
    lines = text.splitlines()
    fenced = []  # (lang, body, start line)
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, lang = m.group("indent"), m.group("lang")
        body = []
        j = i + 1
        while j < len(lines) and lines[j].strip() != "```":
            line = lines[j]
            body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
            j += 1
        fenced.append((lang, "\n".join(body) + "\n", i + 1, j))
        i = j + 1
    blocks = []
    for k, (lang, body, start, end) in enumerate(fenced):
        if lang != "python":
            continue
        expected = None
        if k + 1 < len(fenced) and fenced[k + 1][0] == "text":
            between = lines[end + 1:fenced[k + 1][2] - 1]
            if all(not s.strip() for s in between):
                expected = fenced[k + 1][1]
        blocks.append((body, expected, start))
    return blocks


BLOCKS = extract_blocks(GUIDE.read_text(encoding="utf-8"))
IDS = [f"line{line}" for _, _, line in BLOCKS]


def normalise(output):
    output = re.sub(r"0x[0-9a-fA-F]+", "0x...", output)
    return "\n".join(line.rstrip() for line in output.rstrip().splitlines())


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return env


@pytest.fixture(scope="module")
def tritongrad_process(tmp_path_factory):
    """The runner subprocess, started early so that it runs while PyTorch runs the same blocks in-process."""
    work = tmp_path_factory.mktemp("guide_tritongrad")
    (work / "blocks.json").write_text(json.dumps([code for code, _, _ in BLOCKS]), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tritongrad", "run", "-c", RUNNER_SOURCE, "blocks.json", "results.json"],
        cwd=work, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    yield proc, work
    if proc.poll() is None:
        proc.kill()
        proc.communicate()


@pytest.fixture(scope="module")
def tritongrad_results(tritongrad_process):
    proc, work = tritongrad_process
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    return json.loads((work / "results.json").read_text(encoding="utf-8"))


def _is_oracle_block(code):
    if "tritongrad" in code:
        return False
    return code.lstrip().startswith("# continues") or re.search(r"^\s*import torch\b", code, re.M) is not None


@pytest.fixture(scope="module")
def pytorch_results(tmp_path_factory, tritongrad_process):
    torch = pytest.importorskip("torch")
    if getattr(torch, "__name__", "") != "torch" or not torch.__version__.startswith("2.13"):
        pytest.skip("the real PyTorch 2.13 is not what `import torch` gives in this process")
    work = tmp_path_factory.mktemp("guide_pytorch")
    namespace = {"__name__": "guide_runner"}
    exec(RUNNER_SOURCE, namespace)
    # a continuation block needs the block before it, so runs stay in chains
    selected = [code if _is_oracle_block(code) else None for code, _, _ in BLOCKS]
    old = os.getcwd()
    os.chdir(work)
    try:
        ran = namespace["run_blocks"]([c for c in selected if c is not None])
    finally:
        os.chdir(old)
    results = iter(ran)
    return [next(results) if c is not None else None for c in selected]


def test_guide_has_checked_blocks():
    assert len(BLOCKS) >= 8
    assert sum(1 for _, expected, _ in BLOCKS if expected is not None) >= 7


@pytest.mark.parametrize("index", [i for i, (code, _, _) in enumerate(BLOCKS) if _is_oracle_block(code)],
                         ids=[IDS[i] for i, (code, _, _) in enumerate(BLOCKS) if _is_oracle_block(code)])
def test_block_matches_pytorch(pytorch_results, index):
    code, expected, line = BLOCKS[index]
    result = pytorch_results[index]
    assert result["error"] is None, f"block at docs/user-guide.md:{line} fails under PyTorch:\n{result['error']}"
    if expected is not None:
        assert normalise(result["stdout"]) == normalise(expected)


@pytest.mark.parametrize("index", range(len(BLOCKS)), ids=IDS)
def test_block_runs_on_tritongrad(tritongrad_results, index):
    code, expected, line = BLOCKS[index]
    result = tritongrad_results[index]
    assert result["error"] is None, f"block at docs/user-guide.md:{line} failed:\n{result['error']}"
    if expected is not None:
        assert normalise(result["stdout"]) == normalise(expected)


def test_block_extraction():
    page = "\n".join([
        "intro", "```python", "print(1)", "```", "", "```text", "1", "```",
        "1. item", "   ```python", "   x = 2", "   ```", "   more", "   ```text", "   2", "   ```",
        "```", "not python", "```"])
    assert extract_blocks(page) == [("print(1)\n", "1\n", 2), ("x = 2\n", None, 10)]


# ------------------------------------------------------------------ the API coverage generator
def _load_coverage_tool():
    spec = importlib.util.spec_from_file_location("api_coverage_tool", DOCS / "tools" / "api_coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_coverage_tool_lists_and_checks_names():
    torch = pytest.importorskip("torch")
    import tritongrad as tg
    tool = _load_coverage_tool()
    names = tool.public_names("torch.random", "module", torch.random)
    assert {"manual_seed", "fork_rng", "get_rng_state"} <= set(names)
    assert not {"warnings", "contextlib", "TYPE_CHECKING"} & set(names)  # imports, not PyTorch's names
    for name in names:
        assert tool.has_name(tg.random, "tritongrad.random", name) == hasattr(tg.random, name)
    tensor_names = tool.public_names("torch.Tensor", "class", torch.Tensor)
    assert tensor_names["add_"] == "method" and tensor_names["shape"] == "attribute"
    assert tool.resolve("tritongrad.nn.functional.relu") is tg.nn.functional.relu
    assert tool.resolve("tritongrad.no_such_module.x") is None


def test_coverage_page_is_generated():
    page = (DOCS / "api-coverage.md").read_text(encoding="utf-8")
    assert "docs/tools/api_coverage.py" in page
    for namespace in ("torch", "torch.Tensor", "torch.nn.functional", "torch.optim.lr_scheduler",
                      "torch.utils.data", "torch.linalg", "torch.special"):
        assert f"\n## {namespace}\n" in page


def test_tritongrad_never_imports_the_docs_tools():
    for path in list((REPO / "tritongrad").rglob("*.py")) + list((REPO / "compat").rglob("*.py")):
        assert "api_coverage" not in path.read_text(encoding="utf-8"), path


# ------------------------------------------------------------------ links
OWN_PAGES = ["index.md", "user-guide.md", "benchmarks.md", "design/overview.md"]
ALL_PAGES = sorted(set(OWN_PAGES) | {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")})


@pytest.mark.parametrize("page", ALL_PAGES)
def test_relative_links_resolve(page):
    path = DOCS / page
    if not path.exists():
        pytest.fail(f"docs/{page} is missing")
    text = path.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#:\s]+)(?:#[^)]*)?\)", text):
        assert (path.parent / target).exists(), f"docs/{page} links to {target}, which does not exist"

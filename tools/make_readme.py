"""Regenerate README.md from nbs/index.ipynb without Quarto.

`nbdev_readme` needs Quarto, which is not installable everywhere. This does the same job with nbconvert:
it drops `#| hide` cells, strips nbdev's `#|` directive lines, points links at nbs/, and writes markdown.
Run from the repository root: `python tools/make_readme.py`.
"""
import re
from pathlib import Path

import nbformat
from nbconvert import MarkdownExporter

root = Path(__file__).resolve().parent.parent
notebook = nbformat.read(root / "nbs" / "index.ipynb", as_version=4)

def is_hidden(cell): return cell.cell_type == "code" and any(l.strip() == "#| hide" for l in cell.source.splitlines())

cells = []
for cell in notebook.cells:
    if is_hidden(cell): continue
    if cell.cell_type == "code":
        cell.source = "\n".join(l for l in cell.source.splitlines() if not l.startswith("#|")).strip()
    cells.append(cell)
notebook.cells = cells
notebook.metadata["language_info"] = {"name": "python"}   # so code blocks are fenced as ```python

body, _ = MarkdownExporter().from_notebook_node(notebook)
body = re.sub(r"\]\((?!https?:)([\w.-]+\.ipynb)\)", r"](nbs/\1)", body)  # links are relative to nbs/
header = "<!-- Generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file. -->\n\n"
(root / "README.md").write_text(header + body.strip() + "\n")
print(f"wrote {root / 'README.md'}")

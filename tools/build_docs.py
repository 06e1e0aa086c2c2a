"""Build a browsable static HTML site of the lessons into `_docs/`, without Quarto.

nbdev's own processing (what `nbdev_proc_nbs` does, the step `nbdev_docs` runs before Quarto) writes the notebooks as the docs
show them to `_proc/`: hidden cells dropped, directives stripped, and each exported function or class followed by its
documentation. nbconvert then turns each into an HTML page, and this script adds a sidebar listing the lessons in the
order of `nbs/sidebar.yml`. Outputs are the saved ones, so each replay appears as its self-playing GIF.

The site is self-contained, so it reads the same offline (a classroom without internet, a copied folder): the maths is
typeset by MathJax 2.7, copied into `mathjax/` from the `jupyter_server_mathjax` package (a dev requirement) instead of
being fetched from a CDN when a page is read, and nothing else is fetched either (nbconvert's require.js and its
Jupyter-widgets loader are left out: no output here needs them, and saved widgets show their static fallback). Code cells show no `In [ ]:` prompts: the saved notebooks are cleaned of
execution counts, so every prompt would be an empty one that looks like an unexecuted cell.

Usage: python tools/build_docs.py [output folder, default _docs]
"""
import html
import importlib.util
import re
import shutil
import sys
from pathlib import Path

import nbformat
import yaml
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]

STYLE = """
<style>
  .lerax-sidebar { position: fixed; top: 0; left: 0; bottom: 0; width: 220px; overflow-y: auto; padding: 16px;
                   background: #f7f7f9; border-right: 1px solid #ddd; font-family: sans-serif; font-size: 14px; }
  .lerax-sidebar a { display: block; padding: 4px 0; color: #333; text-decoration: none; }
  .lerax-sidebar a.current { font-weight: bold; color: #0b5cad; }
  .lerax-sidebar .lerax-brand { font-size: 20px; font-weight: bold; margin-bottom: 12px; }
  body { margin-left: 252px !important; }
  .lerax-summary { font-size: 1.1em; color: #555; margin: 0 0 1em 0; }
</style>
"""


MATHJAX_FOLDER = "mathjax"  # in the output folder, beside the pages
# MathJax's own combined configuration (TeX and MathML in, HTML-CSS out) plus its Safe mode, as the classic Jupyter
# Notebook used them; the package ships these files, not the `TeX-AMS_CHTML-full` of nbconvert's CDN default.
MATHJAX_URL = f"{MATHJAX_FOLDER}/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
# Set before MathJax.js loads. The package ships only the STIX-Web web fonts, so MathJax must use those rather than
# look for fonts installed on the reader's machine or fall back to image fonts (not shipped either).
MATHJAX_SETUP = """<script>
window.MathJax = {"HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null}};
</script>
"""


def copy_mathjax(output: Path) -> Path:
    "MathJax's files the pages need, from the `jupyter_server_mathjax` package, into `output/mathjax/`."
    spec = importlib.util.find_spec("jupyter_server_mathjax")  # found, not imported: that would import jupyter_server
    if spec is None or not (Path(spec.origin).parent / "static" / "MathJax.js").exists():
        raise SystemExit("tools/build_docs.py needs MathJax from the jupyter_server_mathjax package: "
                         "pip install jupyter_server_mathjax")
    source = Path(spec.origin).parent / "static"
    def skip(folder, names):
        # Left out: the SVG output (the pages use HTML-CSS), translations other than English, and the opt-in
        # accessibility explorer with its speech rules (3.7 MB); the screen-reader MathML is in the combined config.
        folder = Path(folder).relative_to(source).as_posix()
        return {name for name in names if (folder, name) in {("jax/output", "SVG"), ("extensions", "a11y")}
                or (folder == "localization" and name != "en")}
    target = output / MATHJAX_FOLDER
    shutil.copytree(source, target, ignore=skip)
    return target


def lessons() -> list[str]:
    "The notebooks of the sidebar, in order."
    sidebar = yaml.safe_load((ROOT / "nbs" / "sidebar.yml").read_text())
    return [entry for entry in sidebar["website"]["sidebar"]["contents"] if isinstance(entry, str) and entry.endswith(".ipynb")]


def front_matter(notebook) -> tuple[str, str, list]:
    "Title and description from nbdev's front-matter cell (`---` YAML), and the remaining cells."
    for i, cell in enumerate(notebook.cells):
        source = cell.source.strip()
        if source.startswith("---") and source.count("---") >= 2:
            meta = yaml.safe_load(source.strip("-\n")) or {}
            return str(meta.get("title", "")), str(meta.get("description", "")), notebook.cells[:i] + notebook.cells[i + 1:]
    return "", "", notebook.cells


def show_docs_as_markdown(cells: list) -> list:
    "nbdev's `show_doc` cells as the markdown they produce (Quarto's link attributes removed), without their code."
    result = []
    for cell in cells:
        if cell.cell_type == "code" and "show_doc(" in cell.source:
            text = "".join(output.get("data", {}).get("text/markdown", "") for output in cell.get("outputs", []))
            cell = nbformat.v4.new_markdown_cell(re.sub(r"\{target=[^}]*\}", "", text))
        result.append(cell)
    return result


def page_name(notebook_name: str) -> str: return Path(notebook_name).stem + ".html"


def build(output: Path) -> list[Path]:
    # nbdev's own docs processing (what `nbdev_proc_nbs` runs), called directly: the command would first try to
    # install Quarto and then `pip install -e .` the library, which breaks the very processes that import it.
    from fastcore.xtras import working_directory
    from nbdev.serve import proc_nbs
    with working_directory(ROOT): proc_nbs(ROOT / "nbs", force=True)
    names = lessons()
    titles = {}
    notebooks = {}
    for name in names:
        notebook = nbformat.read(ROOT / "_proc" / name, as_version=4)
        title, description, notebook.cells = front_matter(notebook)
        titles[name], notebooks[name] = title or Path(name).stem, (notebook, description)
    exporter = HTMLExporter(template_name="lab", mathjax_url=MATHJAX_URL,
                            exclude_input_prompt=True, exclude_output_prompt=True)
    if output.exists(): shutil.rmtree(output)
    output.mkdir(parents=True)
    copy_mathjax(output)
    pages = []
    for name in names:
        notebook, description = notebooks[name]
        notebook.cells = show_docs_as_markdown(notebook.cells)
        notebook.metadata.pop("widgets", None)  # else nbconvert adds a loader that fetches the widget manager online
        links = "".join(f'<a href="{page_name(other)}"{" class=current" if other == name else ""}>'
                        f'{html.escape(titles[other])}</a>' for other in names)
        header = f'<h1>{html.escape(titles[name])}</h1>' + (f'<p class="lerax-summary">{html.escape(description)}</p>'
                                                            if description else "")
        notebook.cells.insert(0, nbformat.v4.new_markdown_cell(header))
        body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": titles[name]}})
        body = re.sub(r'href="([\w.-]+)\.ipynb(#[^"]*)?"', lambda m: f'href="{m[1]}.html{m[2] or ""}"', body)
        sidebar = f'<nav class="lerax-sidebar"><div class="lerax-brand">Lerax</div>{links}</nav>'
        body = body.replace("</head>", STYLE + "</head>", 1)
        body = body.replace(f'<script src="{exporter.require_js_url}"></script>', "", 1)
        mathjax_script = f'<script src="{MATHJAX_URL}">'
        if mathjax_script not in body: raise RuntimeError(f"nbconvert no longer loads MathJax as {mathjax_script}")
        body = body.replace(mathjax_script, MATHJAX_SETUP + mathjax_script, 1)
        body = re.sub(r"(<body[^>]*>)", lambda m: m[1] + sidebar, body, count=1)
        page = output / page_name(name)
        page.write_text(body)
        pages.append(page)
    return pages


if __name__ == "__main__":
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_docs"
    pages = build(output)
    print(f"wrote {len(pages)} pages to {output}; open {output / 'index.html'}")

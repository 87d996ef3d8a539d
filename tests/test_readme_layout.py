"""README's "How the code is laid out" lists every module, folder by folder: the listing and the tree agree."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _listed() -> dict[str, set[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## How the code is laid out"):]
    block = re.search(r"```text\n(.*?)```", section, re.S).group(1)
    listed = {}
    for line in block.splitlines():
        folder, _, names = line.partition(" ")
        listed[folder] = set() if names.strip().startswith("(") else set(names.split())
    return listed


def _tree() -> dict[str, set[str]]:
    package = ROOT / "xlbudget"
    tree = {"xlbudget/": {p.stem for p in package.glob("*.py") if p.stem != "__init__"}}
    for folder in sorted(p for p in package.iterdir() if (p / "__init__.py").exists()):
        tree[f"{folder.name}/"] = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    tree["data/"] = set()  # package data: listed by name only
    return tree


def test_readme_lists_every_module_of_the_tree():
    listed, tree = _listed(), _tree()
    assert set(listed) == set(tree), "README's listing names these folders; the tree has those"
    for folder in tree:
        assert listed[folder] == tree[folder], (
            f"{folder}: in the tree, not in README: {sorted(tree[folder] - listed[folder])}; "
            f"in README, not in the tree: {sorted(listed[folder] - tree[folder])}")

#!/usr/bin/env python3
"""Generates the provider's documentation (docs/, Terraform Registry layout).

Prose comes from Markdown templates under templates/; the attribute tables
come from the provider's own schema, as `terraform providers schema -json`
reports it, so schema descriptions are the single source of attribute text.

    templates/index.md.tmpl                  -> docs/index.md            (the provider)
    templates/resources/NAME.md.tmpl         -> docs/resources/NAME.md   (resource influxdb3_NAME)
    templates/data-sources/NAME.md.tmpl      -> docs/data-sources/NAME.md (data source influxdb3_NAME)
    templates/ephemeral-resources/NAME.md.tmpl -> docs/ephemeral-resources/NAME.md (Terraform 1.10+)
    templates/list-resources/NAME.md.tmpl    -> docs/list-resources/NAME.md (Terraform 1.14+)
    templates/actions/NAME.md.tmpl           -> docs/actions/NAME.md     (Terraform 1.14+)
    templates/guides/NAME.md.tmpl            -> docs/guides/NAME.md      (prose; no schema)

Every resource, data source, ephemeral resource, list resource and action in
the schema must have a template. The schema must come from a Terraform that
reports them all (1.14 or later; the default is 1.15.5).

Usage:
    scripts/generate-docs.py                 write docs/ (make generate)
    scripts/generate-docs.py --check         regenerate into a temp dir and fail, with a
                                             diff, when docs/ is stale (make docs-check)
    scripts/generate-docs.py --schema FILE   read the schema JSON from FILE ("-": stdin)
                                             instead of running Terraform
Options:
    --out DIR           where to write (default: docs/)
    --terraform PATH    Terraform CLI (default: $TERRAFORM, else .tools/bin/terraform-1.15.5,
                        else `terraform` on PATH)
    --provider-dir DIR  directory holding the built terraform-provider-influxdb3
                        (default: $CARGO_TARGET_DIR/debug or target/debug)

Without --schema, Terraform runs in a temporary directory with its own CLI config
(dev_overrides pointing at --provider-dir) and HOME, so nothing is downloaded and
neither ~/.terraformrc nor a lock file is involved.

Template language: the subset of terraform-plugin-docs' templates used here.
    {{ .Name }}            influxdb3_management_token (the provider's name for index.md)
    {{ .ShortName }}       management_token
    {{ .Type }}            Resource, Data Source or Provider
    {{ .ProviderName }}    influxdb3
    {{ .Description }}     the schema's description
    {{ .SchemaMarkdown }}  the generated "## Schema" section
    {{ tffile "examples/.../x.tf" }}           a file as a ```terraform block
    {{ codefile "shell" "examples/.../x.sh" }} a file as a ```shell block
    {{ X | trimspace }}, {{ X | prefixlines "  " }}  filters
Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PROVIDER_NAME = "influxdb3"
PROVIDER_SOURCE = "registry.terraform.io/influxdb3/influxdb3"
PROVIDER_BINARY = "terraform-provider-influxdb3"
TEMPLATES = REPO_ROOT / "templates"
GENERATED_DIRS = ("resources", "data-sources", "ephemeral-resources", "list-resources", "actions", "guides")


class DocsError(Exception):
    """A problem the user can fix; printed without a traceback."""


# --- schema -----------------------------------------------------------------


def find_terraform(explicit: str | None) -> str:
    candidates = []
    if explicit:
        candidates.append(explicit)
    elif os.environ.get("TERRAFORM"):
        candidates.append(os.environ["TERRAFORM"])
    else:
        candidates.append(str(REPO_ROOT / ".tools/bin/terraform-1.15.5"))
        on_path = shutil.which("terraform")
        if on_path:
            candidates.append(on_path)
    for candidate in candidates:
        path = shutil.which(candidate) if os.sep not in candidate else candidate
        if path and os.access(path, os.X_OK) and os.path.isfile(path):
            return os.path.abspath(path)
    raise DocsError(
        "no Terraform CLI found (tried: %s).\n"
        "Install one with: bash scripts/install-terraform.sh   (or: make install-terraform)\n"
        "or pass --terraform PATH, or --schema FILE with the output of "
        "`terraform providers schema -json`." % ", ".join(candidates)
    )


def default_provider_dir() -> Path:
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO_ROOT / "target")
    if not target.is_absolute():
        target = REPO_ROOT / target
    return target / "debug"


def run_terraform_schema(terraform: str, provider_dir: Path) -> dict:
    binary = provider_dir / PROVIDER_BINARY
    if not os.access(binary, os.X_OK):
        raise DocsError(
            f"{binary} not found. Build it first: cargo build --bin {PROVIDER_BINARY}"
        )
    with tempfile.TemporaryDirectory(prefix="influxdb3-docs-") as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "home").mkdir()
        work = tmp_path / "work"
        work.mkdir()
        provider_dir_text = str(provider_dir).replace("\\", "\\\\").replace('"', '\\"')
        (tmp_path / "terraform.tfrc").write_text(
            "disable_checkpoint = true\n\n"
            "provider_installation {\n"
            "  dev_overrides {\n"
            f'    "{PROVIDER_SOURCE}" = "{provider_dir_text}"\n'
            "  }\n"
            "  direct {}\n"
            "}\n"
        )
        (work / "main.tf").write_text(
            "terraform {\n  required_providers {\n    influxdb3 = {\n"
            '      source = "influxdb3/influxdb3"\n    }\n  }\n}\n'
        )
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TF_", "INFLUXDB3_", "PLUGIN_", "CHECKPOINT_"))
        }
        env.update(
            HOME=str(tmp_path / "home"),
            TF_CLI_CONFIG_FILE=str(tmp_path / "terraform.tfrc"),
            CHECKPOINT_DISABLE="1",
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
        )
        result = subprocess.run(
            [terraform, "providers", "schema", "-json"],
            cwd=work,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise DocsError(
                f"`{terraform} providers schema -json` failed (exit {result.returncode}):\n"
                f"{result.stdout}{result.stderr}"
            )
        try:
            return json.loads(result.stdout)
        except json.JSONDecodeError as error:
            raise DocsError(f"`terraform providers schema -json` printed no JSON ({error}):\n{result.stdout[:2000]}")


def provider_schema(schema_json: dict) -> dict:
    schemas = schema_json.get("provider_schemas", {})
    if PROVIDER_SOURCE not in schemas:
        raise DocsError(f"the schema JSON has no provider {PROVIDER_SOURCE} (found: {', '.join(schemas) or 'none'})")
    return schemas[PROVIDER_SOURCE]


# --- schema to Markdown ----------------------------------------------------


def type_name(ty) -> str:
    """A cty type, as terraform-plugin-docs spells it: String, List of Object, ..."""
    if isinstance(ty, str):
        return {"string": "String", "number": "Number", "bool": "Boolean", "dynamic": "Dynamic"}.get(ty, ty.title())
    kind = ty[0]
    if kind in ("list", "set", "map"):
        return f"{kind.title()} of {type_name(ty[1])}"
    if kind == "object":
        return "Object"
    if kind == "tuple":
        return "Tuple"
    return str(kind)


def object_type(ty):
    """The attribute types of an object type, or of the element of a collection of objects."""
    if isinstance(ty, list):
        if ty[0] == "object":
            return ty[1]
        if ty[0] in ("list", "set", "map"):
            return object_type(ty[1])
    return None


def nested_type_name(nested: dict) -> str:
    mode = nested.get("nesting_mode", "single")
    return {"single": "Attributes", "list": "List of Attributes", "set": "Set of Attributes", "map": "Map of Attributes"}.get(
        mode, "Attributes"
    )


def cell(text: str) -> str:
    """Text for one Markdown table cell."""
    text = text.strip().replace("\r\n", "\n")
    text = re.sub(r"\n\s*\n", "<br><br>", text)
    text = text.replace("\n", " ").replace("|", "\\|")
    return text


def kind_of(attribute: dict) -> str:
    if attribute.get("required"):
        return "Required"
    if attribute.get("optional"):
        return "Optional"
    return "Read-Only"


class SchemaRenderer:
    """Renders a block as tfplugindocs-style sections, with tables."""

    def __init__(self) -> None:
        self.nested: list[tuple[str, str, str]] = []  # (anchor, title, markdown)

    def render(self, block: dict) -> str:
        out = ["## Schema", ""]
        out.extend(self.block_sections(block, "", "###"))
        while self.nested:
            anchor, title, body = self.nested.pop(0)
            out.extend([f'<a id="{anchor}"></a>', f"### Nested Schema for `{title}`", "", body, ""])
        return "\n".join(out).rstrip() + "\n"

    def block_sections(self, block: dict, prefix: str, heading: str) -> list[str]:
        rows: dict[str, list[str]] = {"Required": [], "Optional": [], "Read-Only": []}
        for name in sorted(block.get("attributes", {})):
            attribute = block["attributes"][name]
            rows[kind_of(attribute)].append(self.attribute_row(prefix, name, attribute))
        for name in sorted(block.get("block_types", {})):
            block_type = block["block_types"][name]
            kind = "Required" if block_type.get("min_items", 0) > 0 else "Optional"
            rows[kind].append(self.block_row(prefix, name, block_type))
        out = []
        for kind in ("Required", "Optional", "Read-Only"):
            if not rows[kind]:
                continue
            out.extend([f"{heading} {kind}", "", "| Name | Type | Description |", "| --- | --- | --- |"])
            out.extend(rows[kind])
            out.append("")
        return out

    def attribute_row(self, prefix: str, name: str, attribute: dict) -> str:
        description = attribute.get("description", "")
        if attribute.get("deprecated"):
            description = "**Deprecated.** " + description
        if "nested_type" in attribute:
            nested = attribute["nested_type"]
            ty = nested_type_name(nested)
            anchor = self.add_nested(prefix + name, "nestedatt", nested)
            description += f" (see [below for nested schema](#{anchor}))"
        else:
            ty = type_name(attribute["type"])
            fields = object_type(attribute["type"])
            if fields is not None:
                anchor = self.add_object(prefix + name, fields, kind_of(attribute))
                description += f" (see [below for nested schema](#{anchor}))"
        if attribute.get("sensitive"):
            ty += ", Sensitive"
        return f"| `{name}` | {ty} | {cell(description)} |"

    def block_row(self, prefix: str, name: str, block_type: dict) -> str:
        mode = block_type.get("nesting_mode", "single")
        ty = {"single": "Block", "list": "Block List", "set": "Block Set", "map": "Block Map"}.get(mode, "Block")
        if block_type.get("max_items"):
            ty += f", Max: {block_type['max_items']}"
        anchor = f"nestedblock--{anchor_id(prefix + name)}"
        sub = SchemaRenderer()
        body = "\n".join(sub.block_sections(block_type.get("block", {}), prefix + name + ".", "####")).rstrip()
        self.nested.append((anchor, prefix + name, body))
        self.nested.extend(sub.nested)
        description = block_type.get("block", {}).get("description", "")
        description += f" (see [below for nested schema](#{anchor}))"
        return f"| `{name}` | {ty} | {cell(description)} |"

    def add_nested(self, path: str, kind: str, nested: dict) -> str:
        anchor = f"{kind}--{anchor_id(path)}"
        sub = SchemaRenderer()
        body = "\n".join(sub.block_sections(nested, path + ".", "####")).rstrip()
        self.nested.append((anchor, path, body))
        self.nested.extend(sub.nested)
        return anchor

    def add_object(self, path: str, fields: dict, kind: str) -> str:
        anchor = f"nestedatt--{anchor_id(path)}"
        lines = [f"#### {kind}", "", "| Name | Type |", "| --- | --- |"]
        for name in sorted(fields):
            lines.append(f"| `{name}` | {type_name(fields[name])} |")
            inner = object_type(fields[name])
            if inner is not None:
                self.add_object(path + "." + name, inner, kind)
        self.nested.append((anchor, path, "\n".join(lines)))
        return anchor


def anchor_id(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "--", path)


# --- templates -----------------------------------------------------------------

TOKEN = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
ARG = re.compile(r'"((?:[^"\\]|\\.)*)"|(\S+)')


def split_args(text: str) -> list[str]:
    args = []
    for quoted, bare in ARG.findall(text):
        args.append(json.loads(f'"{quoted}"') if bare == "" else bare)
    return args


def split_pipeline(expression: str) -> list[str]:
    parts, current, quoted = [], "", False
    for char in expression:
        if char == '"' and not current.endswith("\\"):
            quoted = not quoted
        if char == "|" and not quoted:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return parts


def read_example(relative: str, template: Path) -> str:
    path = (REPO_ROOT / relative).resolve()
    if REPO_ROOT not in path.parents or not path.is_file():
        raise DocsError(f"{template.relative_to(REPO_ROOT)}: embedded file {relative!r} does not exist")
    return path.read_text().rstrip("\n")


def render_template(template: Path, fields: dict[str, str]) -> str:
    text = template.read_text()

    def evaluate(match: re.Match) -> str:
        stages = split_pipeline(match.group(1))
        head = split_args(stages[0])
        if not head:
            raise DocsError(f"{template.relative_to(REPO_ROOT)}: empty {{{{ }}}}")
        if head[0].startswith("."):
            if head[0][1:] not in fields or len(head) != 1:
                raise DocsError(f"{template.relative_to(REPO_ROOT)}: unknown field {stages[0]!r}; known: {', '.join('.' + f for f in fields)}")
            value = fields[head[0][1:]]
        elif head[0] == "tffile" and len(head) == 2:
            value = "```terraform\n" + read_example(head[1], template) + "\n```"
        elif head[0] == "codefile" and len(head) == 3:
            value = f"```{head[1]}\n" + read_example(head[2], template) + "\n```"
        else:
            raise DocsError(f"{template.relative_to(REPO_ROOT)}: unknown directive {{{{ {match.group(1)} }}}}")
        for stage in stages[1:]:
            args = split_args(stage)
            if args == ["trimspace"]:
                value = value.strip()
            elif len(args) == 2 and args[0] == "prefixlines":
                value = "\n".join(args[1] + line if line else line for line in value.split("\n"))
            else:
                raise DocsError(f"{template.relative_to(REPO_ROOT)}: unknown filter {stage!r}")
        return value

    rendered = TOKEN.sub(evaluate, text)
    notice = (
        f"<!-- Generated by scripts/generate-docs.py from {template.relative_to(REPO_ROOT)} and the "
        "provider's schema: edit those, then run `make generate`. -->"
    )
    # After the front matter, which the Registry needs first.
    front = re.match(r"---\n.*?\n---\n", rendered, re.S)
    if front:
        rendered = rendered[: front.end()] + "\n" + notice + "\n" + rendered[front.end() :]
    else:
        rendered = notice + "\n\n" + rendered
    rendered = re.sub(r"\n{3,}", "\n\n", rendered)
    return rendered.rstrip("\n") + "\n"


def render_all(schema: dict) -> dict[str, str]:
    """Relative output path -> contents, for every template."""
    pages: dict[str, str] = {}
    kinds = {
        "resources": ("resource_schemas", "Resource"),
        "data-sources": ("data_source_schemas", "Data Source"),
        "ephemeral-resources": ("ephemeral_resource_schemas", "Ephemeral Resource"),
        "list-resources": ("list_resource_schemas", "List Resource"),
        "actions": ("action_schemas", "Action"),
    }
    index = TEMPLATES / "index.md.tmpl"
    if not index.is_file():
        raise DocsError(f"missing template {index.relative_to(REPO_ROOT)}")
    provider_block = schema["provider"]["block"]
    pages["index.md"] = render_template(
        index,
        {
            "Name": PROVIDER_NAME,
            "ShortName": PROVIDER_NAME,
            "Type": "Provider",
            "ProviderName": PROVIDER_NAME,
            "Description": provider_block.get("description", ""),
            "SchemaMarkdown": SchemaRenderer().render(provider_block).rstrip("\n"),
        },
    )
    for directory, (key, type_label) in kinds.items():
        objects = schema.get(key, {})
        templates = sorted((TEMPLATES / directory).glob("*.md.tmpl"))
        short_names = {t.name[: -len(".md.tmpl")] for t in templates}
        missing = sorted(n for n in objects if n.removeprefix(PROVIDER_NAME + "_") not in short_names)
        if missing:
            raise DocsError(
                f"no template for {type_label.lower()}(s) {', '.join(missing)}: add "
                + ", ".join(f"templates/{directory}/{n.removeprefix(PROVIDER_NAME + '_')}.md.tmpl" for n in missing)
            )
        for template in templates:
            short = template.name[: -len(".md.tmpl")]
            name = f"{PROVIDER_NAME}_{short}"
            if name not in objects:
                raise DocsError(
                    f"{template.relative_to(REPO_ROOT)}: the provider has no {type_label.lower()} {name} "
                    f"(it has: {', '.join(sorted(objects)) or 'none'})"
                )
            block = objects[name]["block"]
            pages[f"{directory}/{short}.md"] = render_template(
                template,
                {
                    "Name": name,
                    "ShortName": short,
                    "Type": type_label,
                    "ProviderName": PROVIDER_NAME,
                    "Description": block.get("description", ""),
                    "SchemaMarkdown": SchemaRenderer().render(block).rstrip("\n"),
                },
            )
    for template in sorted((TEMPLATES / "guides").glob("*.md.tmpl")):
        short = template.name[: -len(".md.tmpl")]
        pages[f"guides/{short}.md"] = render_template(
            template,
            {"Name": short, "ShortName": short, "Type": "Guide", "ProviderName": PROVIDER_NAME},
        )
    return pages


# --- writing and checking ----------------------------------------------------


def write_pages(pages: dict[str, str], out: Path) -> None:
    for relative, text in pages.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    # Pages of objects that no longer exist.
    for directory in GENERATED_DIRS:
        for stale in sorted((out / directory).glob("*.md")):
            if f"{directory}/{stale.name}" not in pages:
                stale.unlink()
                print(f"generate-docs: removed {stale} (no template)")


def owned_files(out: Path) -> set[str]:
    files = {"index.md"} if (out / "index.md").exists() else set()
    for directory in GENERATED_DIRS:
        files.update(f"{directory}/{p.name}" for p in (out / directory).glob("*.md"))
    return files


def check_pages(pages: dict[str, str], out: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="influxdb3-docs-check-") as tmp:
        fresh = Path(tmp)
        write_pages(pages, fresh)
        stale = 0
        for relative in sorted(set(pages) | owned_files(out)):
            checked_in = out / relative
            generated = fresh / relative
            old = checked_in.read_text().splitlines(keepends=True) if checked_in.exists() else []
            new = generated.read_text().splitlines(keepends=True) if generated.exists() else []
            if old != new:
                stale += 1
                sys.stdout.writelines(
                    difflib.unified_diff(old, new, f"{checked_in} (checked in)", f"{checked_in} (generated)")
                )
                if new and not new[-1].endswith("\n"):
                    print()
    if stale:
        print(f"\ndocs-check: {stale} file(s) under {out} are stale: run `make generate` and commit the result.")
        return 1
    print(f"docs-check: {len(pages)} file(s) under {out} are up to date.")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schema", help="schema JSON file (from `terraform providers schema -json`); '-' for stdin")
    parser.add_argument("--out", default=str(REPO_ROOT / "docs"), help="output directory (default: docs/)")
    parser.add_argument("--check", action="store_true", help="fail with a diff when --out is stale")
    parser.add_argument("--terraform", help="Terraform CLI to run")
    parser.add_argument("--provider-dir", help="directory of the built provider binary")
    args = parser.parse_args(argv)

    try:
        if args.schema == "-":
            schema_json = json.load(sys.stdin)
        elif args.schema:
            schema_json = json.loads(Path(args.schema).read_text())
        else:
            terraform = find_terraform(args.terraform)
            provider_dir = Path(args.provider_dir).resolve() if args.provider_dir else default_provider_dir()
            schema_json = run_terraform_schema(terraform, provider_dir)
        pages = render_all(provider_schema(schema_json))
        out = Path(args.out)
        if args.check:
            return check_pages(pages, out)
        write_pages(pages, out)
        for relative in sorted(pages):
            print(f"generate-docs: wrote {out / relative}")
        return 0
    except DocsError as error:
        print(f"generate-docs: ERROR: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

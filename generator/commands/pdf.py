"""`zhengxie pdf`: one document, written where asked, never into site/."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from generator import diagnostics
from generator.commands.common import print_diagnostics, show_dir
from generator.output import write_file
from generator.project import check_project


def pdf(root: Path, file: Path, output: Path | None) -> int:
    file = file.resolve()
    output = (output or Path(file.stem + ".pdf")).resolve()
    if output.is_relative_to((root / "site").resolve()) or output.is_relative_to((root / "content").resolve()):
        print(f"zhengxie: 不能写入 {show_dir(root, output.parent)}（site/ 只由 zhengxie build 整体替换，content/ 只放源文件）", file=sys.stderr)
        return 1
    if not file.is_file() or not file.is_relative_to((root / "content").resolve()):
        print(f"zhengxie: {file} 不是 content/ 中的文件", file=sys.stderr)
        return 1
    corpus, found = check_project(root, keep_files=True)
    errors = [d for d in found if d.level == diagnostics.ERROR and d.path == file.relative_to(root.resolve()).as_posix()]
    if errors:
        print_diagnostics(errors)
        return 1

    from generator.print.build import pdf_for_file

    with tempfile.TemporaryDirectory() as folder:
        made, found = pdf_for_file(root, corpus, file.relative_to(root.resolve()).as_posix(), Path(folder))
        print_diagnostics(diagnostics.sort(found))
        if made is None:
            return 1
        write_file(output, made.read_bytes())
    print(output)
    return 0

"""`zhengxie import`: a Word document as a new draft content file, never over an existing one."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.commands.common import USAGE_ERROR


def import_docx(root: Path, args: argparse.Namespace) -> int:
    from generator import importer, scaffold
    from generator.docx_import import DocxProblem

    if args.kind == "wenshi-article" and not args.volume:
        print("zhengxie: 用法错误：zhengxie import 文件.docx wenshi-article 后面要写辑号", file=sys.stderr)
        return USAGE_ERROR
    try:
        if args.kind == "briefing":
            done = importer.import_briefing(root, args.file, args.date)
        else:
            done = importer.import_wenshi_article(root, args.file, args.volume, args.slug)
    except FileExistsError as exc:
        print(f"zhengxie: 文件已存在，未覆盖：{Path(exc.filename).relative_to(root).as_posix()}；没有新建任何文件", file=sys.stderr)
        return 1
    except (scaffold.ScaffoldProblem, DocxProblem) as problem:
        print(f"zhengxie: {problem}", file=sys.stderr)
        return 1
    for path in done.paths:
        print(f"已新建 {path.relative_to(root).as_posix()}")
    print("请核对或补填：")
    for item in done.todo:
        print(f"  - {item}")
    return 0

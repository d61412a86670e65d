"""`zhengxie new`: a content file from its template, never over an existing one."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.commands.common import USAGE_ERROR


def new(root: Path, args: argparse.Namespace) -> int:
    from generator import scaffold

    kind = next(k for k in scaffold.kinds() if k.kind == args.kind)
    if kind.needs and not args.name:
        print(f"zhengxie: 用法错误：zhengxie new {args.kind} 后面要写{kind.needs}", file=sys.stderr)
        return USAGE_ERROR
    try:
        path = scaffold.new(root, args.kind, args.name, args)
    except FileExistsError as exc:
        print(f"zhengxie: 文件已存在，未覆盖：{Path(exc.filename).relative_to(root).as_posix()}", file=sys.stderr)
        return 1
    except scaffold.ScaffoldProblem as problem:
        print(f"zhengxie: {problem}", file=sys.stderr)
        return 1
    print(path.relative_to(root).as_posix())
    return 0

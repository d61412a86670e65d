"""`zhengxie new`: a content file from its template, never over an existing one."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from generator.commands.common import USAGE_ERROR


def new(root: Path, args: argparse.Namespace) -> int:
    from generator import scaffold

    needs_name = {"wenshi-article": "辑号", "rule": "英文短名", "plan": "年份", "report": "年份"}
    if args.kind in needs_name and not args.name:
        print(f"zhengxie: 用法错误：zhengxie new {args.kind} 后面要写{needs_name[args.kind]}", file=sys.stderr)
        return USAGE_ERROR
    try:
        if args.kind == "briefing":
            path = scaffold.new_briefing(root, args.date or dt.date.today())
        elif args.kind == "wenshi-volume":
            path = scaffold.new_volume(root)
        elif args.kind == "wenshi-article":
            path = scaffold.new_wenshi_article(root, args.name, args.slug)
        elif args.kind == "rule":
            path = scaffold.new_rule(root, args.name)
        else:
            path = scaffold.new_yearly(root, args.kind, args.name)
    except FileExistsError as exc:
        print(f"zhengxie: 文件已存在，未覆盖：{Path(exc.filename).relative_to(root).as_posix()}", file=sys.stderr)
        return 1
    except scaffold.ScaffoldProblem as problem:
        print(f"zhengxie: {problem}", file=sys.stderr)
        return 1
    print(path.relative_to(root).as_posix())
    return 0

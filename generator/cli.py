"""The `zhengxie` command: check, build, pdf, serve, fmt, new, import, stats."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from generator import scaffold
from generator.commands.common import USAGE_ERROR
from generator.output import describe_os_error, internal_error


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own wording stays, framed in Chinese
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"{self.prog}: 用法错误：{message}\n")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 YYYY-MM-DD，而不是“{value}”") from None


def parser() -> argparse.ArgumentParser:
    main = ChineseArgumentParser(prog="zhengxie", description="区政协知识库与出版物生成器")
    commands = main.add_subparsers(dest="command", metavar="命令", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--root", type=Path, default=Path("."), help="项目目录（含 mkdocs.yml 和 content/），默认为当前目录")
        return sub

    check = command("check", "检查 content/ 中的全部内容，列出所有问题")
    check.add_argument("--format", choices=["text", "json"], default="text", help="输出格式：text（默认）或 json（供其他程序读取）")
    command("stats", "概览：各年简报期数、文史各辑、制度状态、协商计划报道情况")
    build = command("build", "检查后生成网站到 site/")
    build.add_argument("--site-dir", type=Path, help="输出目录，默认为项目目录下的 site/")
    build.add_argument("--drafts", action="store_true", help="同时发布草稿（draft: true）")
    build.add_argument("--no-pdf", action="store_true", help="不生成 PDF（只生成网页）")
    build.add_argument("--public", action="store_true", help="公开版：完全不含标明 internal: true（内部资料）的内容")
    build.add_argument("--stats-json", type=Path, metavar="文件", help="把各阶段用时和峰值内存写入这个 JSON 文件（供测速脚本读取）")
    pdf = command("pdf", "为一个内容文件生成印刷用 PDF（不写入 site/）")
    pdf.add_argument("file", type=Path, help="内容文件，如 content/briefings/2018/12.md")
    pdf.add_argument("-o", "--output", type=Path, help="输出文件，默认为当前目录下与内容文件同名的 .pdf")
    fmt = command("fmt", "检查或修正中文标点与空格（依 GB/T 15834-2011）")
    mode = fmt.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="只列出问题，有问题时退出码为 1（默认）")
    mode.add_argument("--fix", action="store_true", help="直接修正文件（只改标点和空格）")
    fmt.add_argument("paths", nargs="*", type=Path, metavar="路径", help="要处理的文件或目录，默认为 content/")
    serve = command("serve", "本地预览（含草稿），保存文件后自动刷新")
    serve.add_argument("--address", default="127.0.0.1:8000", help="预览地址，默认 127.0.0.1:8000")
    new = command("new", "按模板新建内容文件（从不覆盖已有文件）")
    kinds = scaffold.kinds()  # every content type's
    new.add_argument(
        "kind",
        choices=[k.kind for k in kinds],
        help="；".join(" ".join(filter(None, (k.kind, k.needs, k.help))) for k in kinds),
    )
    needing: dict[str, list[str]] = {}
    for k in kinds:
        if k.needs:
            needing.setdefault(k.needs, []).append(k.kind)
    new.add_argument("name", nargs="?", help="、".join(f"{'/'.join(names)} 的{needs}" for needs, names in needing.items()))
    new.add_argument("--date", type=_date, help="简报日期 YYYY-MM-DD，默认为今天")
    new.add_argument("--slug", default="wenzhang", help="文史文章的英文短名（文件名的一部分），默认 wenzhang")
    docx = command("import", "把 Word 文档（.docx）转换为新的内容文件（草稿，从不覆盖已有文件）")
    docx.add_argument("file", type=Path, help="Word 文档，如 简报.docx")
    docx.add_argument("kind", choices=["briefing", "wenshi-article"], help="briefing 简报；wenshi-article 辑号 文史文章")
    docx.add_argument("volume", nargs="?", help="wenshi-article 的辑号，如 14")
    docx.add_argument("--date", type=_date, help="简报日期 YYYY-MM-DD；不写时取文档中的日期，没有则为今天")
    docx.add_argument("--slug", help="文史文章的英文短名（文件名的一部分），默认 wenzhang")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    root: Path = args.root.resolve()
    try:
        return _dispatch(root, args)
    except KeyboardInterrupt:
        print("\nzhengxie: 已中断", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"zhengxie: {describe_os_error(exc, root)}；未完成", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a bug: one line for the editor, the details in a file
        print(f"zhengxie: {internal_error(root, exc)}", file=sys.stderr)
        return 1


def _dispatch(root: Path, args: argparse.Namespace) -> int:
    if not (root / "mkdocs.yml").is_file() or not (root / "content").is_dir():
        print(f"zhengxie: {root} 不是项目目录（应含 mkdocs.yml 和 content/），可用 --root 指定", file=sys.stderr)
        return USAGE_ERROR
    # Each command's module is loaded only when it runs.
    if args.command == "check":
        from generator.commands.check import check

        return check(root, as_json=args.format == "json")
    if args.command == "stats":
        from generator.commands.stats import stats

        return stats(root)
    if args.command == "build":
        from generator.commands.build import build

        site_dir = (args.site_dir or root / "site").resolve()
        return build(root, site_dir, drafts=args.drafts, pdf=not args.no_pdf,
                     stats_json=args.stats_json.resolve() if args.stats_json else None, public=args.public)
    if args.command == "pdf":
        from generator.commands.pdf import pdf

        return pdf(root, args.file, args.output)
    if args.command == "serve":
        from generator.commands.serve import serve

        return serve(root, args.address)
    if args.command == "fmt":
        from generator.commands.fmt import fmt

        return fmt(root, args)
    if args.command == "new":
        from generator.commands.new import new

        return new(root, args)
    if args.command == "import":
        from generator.commands.import_docx import import_docx

        return import_docx(root, args)
    return USAGE_ERROR

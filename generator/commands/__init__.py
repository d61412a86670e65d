"""One module per `zhengxie` command, each with one entry function; `cli.py` parses and dispatches."""

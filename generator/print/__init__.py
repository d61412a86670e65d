"""Print: content -> document tree (JSON) -> Typst templates -> PDF."""

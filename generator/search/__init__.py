"""Search: each page's search document and the store they are kept in (`documents`),
Pagefind run over them (`indexing`), the bundle a browser loads put together from the
runs (`bundle`, the one module that knows Pagefind's bytes), and the search box's script
(`zhengxie-search.js`, published as assets/zhengxie-search.js)."""

"""The journal's pages, one module per resource. No view imports another view."""

"""The built graph; it may import the layers below: model, engine, validation, reasoning.

It holds the build pipeline (parse, reason, validate, index), its summary, the on-disk build
cache, the folder of curated case files with its atomic add, and canonical formatting of files.
"""

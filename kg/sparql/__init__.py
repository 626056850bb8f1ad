"""SPARQL for users; it may import every layer below it, never api, synth or cli.

It holds the named query catalogue, result writers, remote endpoints, pushing the graph to a
server, and serving it (the protocol, queries in worker processes under a time limit, the
SERVICE check).
"""

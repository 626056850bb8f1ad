"""An ontology individual that HermiT puts in a lesion class, with no type in the data.

The one-pass classification counts it among the lesions (as the SPARQL updates do, through
``VALUES``), but looked up the nodes its properties reach only for nodes typed in the store,
so it was never classified.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.model.namespace import CMR
from kg.model.resources import ONTOLOGY_FILE
from kg.reasoning.classify import inferred_types
from kg.reasoning.closure import TBox, lesion_rules, tbox


def test_an_ontology_individual_hermit_puts_in_a_lesion_class_is_classified() -> None:
    classes = tbox()
    individual = "https://example.org/lesion-known-to-the-ontology"
    with_member = TBox(
        classes.ancestors,
        {**classes.types, individual: frozenset({str(CMR.MetastaticLesion)})},
    )
    store = ox.Store()
    store.load(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE)
    store.add(
        ox.Quad(
            ox.NamedNode(individual),
            ox.NamedNode(str(CMR.hasSite)),
            ox.NamedNode(str(CMR.VertebraT11)),
        )
    )
    rules = lesion_rules(classes=with_member)
    found = {(str(node), kind) for node, kind in inferred_types(store, rules, with_member)}
    assert (f"<{individual}>", str(CMR.VertebralMetastasis)) in found
    assert (f"<{individual}>", str(CMR.BoneMetastasis)) in found

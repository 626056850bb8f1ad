"""Issue 17: `kg report` said 0 issues while a ROBOT-style report found two label/synonym clashes
and 13 redundant asserted parents (15 with the reasoner's classification).

The clashes: the class cmr:Meninx had the exact synonym "meninges", the label of the individual
cmr:Meninges; the individual cmr:EpiduralSpace had the exact synonym "extradural space", the
label of the class cmr:ExtraduralSpace. No term was removed or deprecated.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.model.namespace import CMR
from kg.model.vocabulary import Vocabulary
from kg.reasoning.closure import tbox
from kg.validation.quality import asserted_superclasses, quality_report

OBO_IN_OWL = "http://www.geneontology.org/formats/oboInOwl#"
EXACT = URIRef(OBO_IN_OWL + "hasExactSynonym")
RELATED = URIRef(OBO_IN_OWL + "hasRelatedSynonym")


def _rules(graph: Graph, superclasses: dict[str, frozenset[str]] | None = None) -> set[str]:
    return {v.rule for v in quality_report(graph, superclasses=superclasses)}


def test_label_synonym_clashes_are_gone(ontology: Graph) -> None:
    assert "duplicate_label_synonym" not in _rules(ontology)
    assert (CMR.Meninx, EXACT, Literal("meninges", lang="en")) not in ontology
    assert (CMR.EpiduralSpace, EXACT, Literal("extradural space", lang="en")) not in ontology


def test_the_clashing_words_still_find_their_terms(ontology: Graph) -> None:
    assert ontology.value(CMR.Meninges, RDFS.label) == Literal("meninges", lang="en")
    assert (CMR.Meninx, RELATED, Literal("meninges", lang="en")) in ontology
    assert ontology.value(CMR.ExtraduralSpace, RDFS.label) == Literal("extradural space", lang="en")
    assert (CMR.EpiduralSpace, EXACT, Literal("spinal extradural space", lang="en")) in ontology
    vocabulary = Vocabulary.shipped()
    assert {CMR.Meninx, CMR.Meninges} <= set(vocabulary.search("meninges"))
    assert {CMR.ExtraduralSpace, CMR.EpiduralSpace} <= set(vocabulary.search("extradural space"))


def test_no_asserted_parent_is_redundant(ontology: Graph) -> None:
    assert "redundant_asserted_superclass" not in _rules(ontology)
    assert "redundant_asserted_superclass" not in _rules(ontology, tbox().ancestors)


def test_the_report_finds_the_redundant_parents_once_put_back(ontology: Graph) -> None:
    broken = Graph()
    for triple in ontology:
        broken.add(triple)
    broken.add((CMR.VertebralMetastasis, RDFS.subClassOf, CMR.MetastaticLesion))
    broken.add((CMR.IntracranialMetastasis, RDFS.subClassOf, CMR.MetastaticLesion))
    put_back = {
        (str(CMR.VertebralMetastasis), str(CMR.MetastaticLesion)),
        (str(CMR.IntracranialMetastasis), str(CMR.MetastaticLesion)),
    }
    for superclasses in (None, tbox().ancestors):  # the asserted hierarchy, then HermiT's
        found = {
            (v.entity, v.value)
            for v in quality_report(broken, superclasses=superclasses)
            if v.rule == "redundant_asserted_superclass"
        }
        assert found == put_back


def test_removing_the_parents_kept_every_superclass(ontology: Graph) -> None:
    # every class keeps, in the asserted hierarchy, the ancestors HermiT gives it among the
    # parents that were removed, so SPARQL without a reasoner sees the same hierarchy
    told = asserted_superclasses(ontology)
    for cls, parent in [
        (CMR.BrainMetastasis, CMR.MetastaticLesion),
        (CMR.CervicalNeoplasm, CMR.Neoplasm),
        (CMR.CranialNerveMetastasis, CMR.NervousSystemMetastasis),
        (CMR.InvasiveDuctalBreastCarcinoma, CMR.BreastNeoplasm),
        (CMR.SmallCellLungCarcinoma, CMR.LungNeoplasm),
        (CMR.VertebralMetastasis, CMR.MetastaticLesion),
    ]:
        assert str(parent) in told[str(cls)]
        assert str(parent) in tbox().ancestors[str(cls)]

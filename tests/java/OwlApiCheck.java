// Parse an ontology with the OWL API (the library Protegé is built on) and report what it saw:
// the document format, axiom counts, triples it could not turn into axioms, and OWL 2 DL
// profile violations. Imports resolve offline through a catalog-v001.xml beside the file.
// Usage: java -cp <owlapi jars>:<dir> OwlApiCheck ONTOLOGY_FILE
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.io.RDFParserMetaData;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.util.AutoIRIMapper;

public class OwlApiCheck {
    public static void main(String[] args) throws Exception {
        File file = new File(args[0]);
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        // Resolve owl:imports from local files only (no network).
        manager.getIRIMappers().add(new AutoIRIMapper(file.getAbsoluteFile().getParentFile(), true));
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(file);
        OWLDocumentFormat format = manager.getOntologyFormat(ontology);
        System.out.println("format=" + format.getKey());
        System.out.println("axioms=" + ontology.getAxiomCount(Imports.INCLUDED));
        System.out.println("logical_axioms=" + ontology.getLogicalAxiomCount(Imports.INCLUDED));
        System.out.println("classes=" + ontology.getClassesInSignature(Imports.INCLUDED).size());
        System.out.println("individuals=" + ontology.getIndividualsInSignature(Imports.INCLUDED).size());
        long unparsed = 0;
        OWLOntologyLoaderMetaData meta = format.getOntologyLoaderMetaData().orElse(null);
        if (meta instanceof RDFParserMetaData) {
            RDFParserMetaData rdf = (RDFParserMetaData) meta;
            unparsed = rdf.getUnparsedTriples().count();
            rdf.getUnparsedTriples().forEach(t -> System.out.println("unparsed: " + t));
        }
        System.out.println("unparsed_triples=" + unparsed);
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        System.out.println("dl_violations=" + report.getViolations().size());
        for (OWLProfileViolation violation : report.getViolations()) {
            System.out.println("violation: " + violation);
        }
    }
}

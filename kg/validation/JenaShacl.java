// Apache Jena SHACL on several data files in one JVM, for `kg validate --engine jena`.
//
// Usage: java -cp JENA JenaShacl.java SHAPES.nt DATA.nt REPORT.nt [DATA.nt REPORT.nt ...]
// Blank node labels are kept as written in the inputs, so the reports point at the caller's
// nodes; a blank node Jena makes itself gets a label of letters and digits only.

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.lang.LabelToNode;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.sparql.graph.GraphFactory;

public class JenaShacl {
    public static void main(String[] args) throws IOException {
        Shapes shapes = Shapes.parse(read(args[0]));
        for (int i = 1; i + 1 < args.length; i += 2) {
            ValidationReport report = ShaclValidator.get().validate(shapes, read(args[i]));
            try (Writer out = Files.newBufferedWriter(Paths.get(args[i + 1]), StandardCharsets.UTF_8)) {
                report.getGraph().find().forEachRemaining(t -> write(out, t));
            }
        }
    }

    static Graph read(String path) {
        Graph graph = GraphFactory.createDefaultGraph();
        RDFParser.create().source(path).lang(Lang.NTRIPLES)
            .labelToNode(LabelToNode.createUseLabelAsGiven()).parse(graph);
        return graph;
    }

    static void write(Writer out, Triple t) {
        try {
            out.write(term(t.getSubject()) + " " + term(t.getPredicate()) + " " + term(t.getObject()) + " .\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String term(Node node) {
        if (node.isURI()) {
            return "<" + node.getURI() + ">";
        }
        if (node.isLiteral()) {
            String lexical = node.getLiteralLexicalForm().replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("\n", "\\n").replace("\r", "\\r");
            String language = node.getLiteralLanguage();
            return "\"" + lexical + "\"" + (language.isEmpty() ? "^^<" + node.getLiteralDatatypeURI() + ">" : "@" + language);
        }
        StringBuilder label = new StringBuilder("_:");
        for (char c : node.getBlankNodeLabel().toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 128) {
                label.append(c);
            } else {
                label.append("x").append(Integer.toHexString(c));
            }
        }
        return label.toString();
    }
}

package io.storecap.reports.gates;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Gate results as JUnit XML (one testsuite, one testcase per gate; not comparable as skipped) so CI systems list them. */
public final class JUnitXml {
    private JUnitXml() {}

    public static final String SUITE = "storecap-gates";

    public static void write(Path file, List<GateResult> results) {
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            Element suites = doc.createElement("testsuites");
            doc.appendChild(suites);
            Element suite = doc.createElement("testsuite");
            suites.appendChild(suite);
            long failures = results.stream().filter(GateResult::failed).count();
            long skipped = results.stream().filter(r -> r.outcome() == GateResult.Outcome.NOT_COMPARABLE).count();
            suite.setAttribute("name", SUITE);
            suite.setAttribute("tests", String.valueOf(results.size()));
            suite.setAttribute("failures", String.valueOf(failures));
            suite.setAttribute("errors", "0");
            suite.setAttribute("skipped", String.valueOf(skipped));
            suite.setAttribute("time", "0");
            suite.setAttribute("timestamp", Instant.now().toString().replaceFirst("\\.\\d+Z$", "").replace("Z", ""));
            suites.setAttribute("name", SUITE);
            suites.setAttribute("tests", String.valueOf(results.size()));
            suites.setAttribute("failures", String.valueOf(failures));
            for (GateResult r : results) {
                Element tc = doc.createElement("testcase");
                tc.setAttribute("classname", SUITE);
                tc.setAttribute("name", r.name());
                tc.setAttribute("time", "0");
                if (r.failed()) {
                    Element f = doc.createElement("failure");
                    f.setAttribute("message", r.message());
                    f.setAttribute("type", "GateFailed");
                    f.setTextContent(r.message());
                    tc.appendChild(f);
                } else if (r.outcome() == GateResult.Outcome.NOT_COMPARABLE) {
                    // neither a pass nor a failure: CI lists it as skipped, with why
                    Element sk = doc.createElement("skipped");
                    sk.setAttribute("message", r.message());
                    tc.appendChild(sk);
                } else {
                    Element out = doc.createElement("system-out");
                    out.setTextContent(r.message());
                    tc.appendChild(out);
                }
                suite.appendChild(tc);
            }
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            try (OutputStream o = Files.newOutputStream(file)) {
                t.transform(new DOMSource(doc), new StreamResult(o));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JUnit XML to " + file + ": " + e.getMessage(), e);
        } catch (ParserConfigurationException | TransformerException e) {
            throw new IllegalStateException("cannot build JUnit XML: " + e.getMessage(), e);
        }
    }
}

package io.storecap.reports;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link ReportWriter#write} produced.
 *
 * @param outDir  the report folder
 * @param index   outDir/index.html
 * @param summary outDir/summary.json
 * @param charts  the charts, in page order (PNG and SVG paths are relative to outDir)
 * @param summaryTree the summary as written, for gates evaluated in the same process
 */
public record Report(Path outDir, Path index, Path summary, List<ChartFile> charts, ObjectNode summaryTree) {
    public Report {
        charts = List.copyOf(charts);
    }
}

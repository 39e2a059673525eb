package io.storecap.model.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A throughput-against-concurrency table as CSV, for {@link UslFit}: a header naming two columns
 * (concurrency or load, then throughput), then one row per measurement. Commas, semicolons or tabs
 * separate cells; blank lines and lines starting with '#' are skipped.
 *
 * @param concurrencyColumn name of the first column
 * @param throughputColumn  name of the second column
 * @param concurrency       the first column's values, all > 0
 * @param throughput        the second column's values, all >= 0
 */
public record UslCsv(String concurrencyColumn, String throughputColumn, double[] concurrency, double[] throughput) {

    /** The USL has three parameters; six points leave three degrees of freedom for the intervals. */
    public static final int MIN_POINTS = 6;

    /** Parses CSV text; errors say the line and column and what to fix. */
    public static UslCsv parse(String csvText) {
        if (csvText == null || csvText.isBlank())
            throw new IllegalArgumentException("the CSV is empty; it needs a header line such as 'concurrency,throughput' and at least "
                    + MIN_POINTS + " rows of two numbers");
        String[] lines = csvText.split("\\r?\\n|\\r");
        String[] header = null;
        int headerLine = 0;
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] cells = split(line);
            if (header == null) {
                header = cells;
                headerLine = i + 1;
                if (cells.length < 2)
                    throw new IllegalArgumentException("line " + headerLine + ": the header names " + cells.length
                            + " column; two are needed, concurrency (or load) then throughput, e.g. 'concurrency,throughput'");
                if (cells.length > 2)
                    throw new IllegalArgumentException("line " + headerLine + ": the header names " + cells.length
                            + " columns " + List.of(cells) + "; keep exactly two, concurrency (or load) then throughput");
                if (isNumber(cells[0]) && isNumber(cells[1]))
                    throw new IllegalArgumentException("line " + headerLine + ": the first line holds numbers, not column names; add a header "
                            + "line such as 'concurrency,throughput'");
                continue;
            }
            if (cells.length != 2)
                throw new IllegalArgumentException("line " + (i + 1) + ": expected 2 values (" + header[0] + ", " + header[1]
                        + "), found " + cells.length + (cells.length < 2 ? "; a column is missing" : ""));
            double[] row = new double[2];
            for (int c = 0; c < 2; c++) {
                String cell = cells[c];
                double v;
                try {
                    v = Double.parseDouble(cell);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + (i + 1) + ", column '" + header[c] + "': '" + cell
                            + "' is not a number (use digits and a decimal point, e.g. 1652.4)");
                }
                if (!Double.isFinite(v))
                    throw new IllegalArgumentException("line " + (i + 1) + ", column '" + header[c] + "': '" + cell + "' is not a finite number");
                if (v < 0)
                    throw new IllegalArgumentException("line " + (i + 1) + ", column '" + header[c] + "': " + cell
                            + " is negative; concurrency and throughput cannot be");
                if (c == 0 && v == 0)
                    throw new IllegalArgumentException("line " + (i + 1) + ", column '" + header[c]
                            + "': concurrency 0 says nothing about scaling; start at 1 or above");
                row[c] = v;
            }
            rows.add(row);
        }
        if (header == null)
            throw new IllegalArgumentException("the CSV has no lines; it needs a header such as 'concurrency,throughput' and at least "
                    + MIN_POINTS + " rows");
        if (rows.size() < MIN_POINTS)
            throw new IllegalArgumentException("too few points: " + rows.size() + " row(s) of data, the USL fit needs at least " + MIN_POINTS
                    + " (three parameters and three degrees of freedom for the intervals); measure more concurrency levels");
        double[] x = new double[rows.size()], y = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) { x[i] = rows.get(i)[0]; y[i] = rows.get(i)[1]; }
        return new UslCsv(header[0], header[1], x, y);
    }

    private static String[] split(String line) {
        String sep = line.contains(",") ? "," : line.contains(";") ? ";" : line.contains("\t") ? "\t" : "\\s+";
        String[] cells = line.split(sep, -1);
        for (int i = 0; i < cells.length; i++) cells[i] = unquote(cells[i].strip());
        return cells;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static boolean isNumber(String s) {
        try { Double.parseDouble(s.toLowerCase(Locale.ROOT)); return true; } catch (NumberFormatException e) { return false; }
    }
}

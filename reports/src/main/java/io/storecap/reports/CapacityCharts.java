package io.storecap.reports;

import io.storecap.model.Route;
import io.storecap.model.Tier;
import io.storecap.model.TierCapacity;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.study.StudyModel;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.storecap.reports.ChartStyle.FIT;
import static io.storecap.reports.ChartStyle.HEIGHT;
import static io.storecap.reports.ChartStyle.INK;
import static io.storecap.reports.ChartStyle.WIDTH;
import static io.storecap.reports.ChartStyle.style;

/** The verdict charts: measured capacity against each claim, and what a store costs per month at that capacity. */
final class CapacityCharts {
    private CapacityCharts() {}

    /**
     * One row per claim on a log store axis: the claimed range as a thick grey bar (open-ended claims
     * run to the right edge), the measured threshold as a diamond coloured by verdict, its 95 %
     * interval as a line through it. A log axis keeps 20 stores and 2000 stores readable together.
     */
    static XYChart thresholds(StudyModel model) { return thresholds(model, null); }

    /**
     * As above; with a baseline study, each claim the baseline measured also gets the baseline's
     * threshold and interval just below its row, lighter, so a shift is seen against the claim's range.
     */
    static XYChart thresholds(StudyModel model, StudyComparison baseline) {
        List<ClaimResult> claims = model.claims();
        int n = Math.max(1, claims.size());
        XYChart ch = new XYChartBuilder().width(WIDTH).height(Math.max(300, 120 + 70 * n))
                .title("Capacity: measured against claimed").xAxisTitle("stores (log scale)").yAxisTitle("claims").build();
        style(ch.getStyler());
        ch.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        ch.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        double lo = Double.MAX_VALUE, hi = 0;
        for (ClaimResult c : claims) {
            lo = Math.min(lo, c.claimed().min());
            hi = Math.max(hi, c.claimed().top());
            if (c.measured() != null) for (Double v : new Double[]{c.measured().threshold(), c.measured().low(), c.measured().high()})
                if (v != null && Double.isFinite(v) && v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
            ClaimInterval old = baselineOf(baseline, c);
            if (old != null) for (Double v : new Double[]{old.threshold(), old.low(), old.high()})
                if (v != null && v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        }
        if (hi <= 0) { lo = 1; hi = 100; }
        double xMin = Math.max(1, lo * 0.5);
        double xMax = hi * 2.5; // room on the right for the last label
        boolean claimedShown = false, measuredShown = false, baselineShown = false;
        for (int i = 0; i < claims.size(); i++) {
            ClaimResult c = claims.get(i);
            double y = claims.size() - i;
            double top = c.claimed().openEnded() ? xMax : Math.max(c.claimed().top(), c.claimed().min() * 1.04);
            XYSeries cl = ch.addSeries(claimedShown ? c.id() + " claimed" : "claimed range", new double[]{Math.max(xMin, c.claimed().min()), top}, new double[]{y, y});
            if (claimedShown) cl.setShowInLegend(false);
            claimedShown = true;
            cl.setLineColor(new Color(156, 163, 175, 150));
            cl.setLineStyle(new BasicStroke(16f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
            cl.setMarker(SeriesMarkers.NONE);
            Color vc = verdictColor(c);
            ClaimInterval old = baselineOf(baseline, c);
            if (old != null) baselineShown = baselineRow(ch, c.id(), old, y - 0.27, xMin, xMax, baselineShown);
            Double t = c.measured() == null ? null : c.measured().threshold();
            if (t == null || !Double.isFinite(t) || t <= 0) {
                ch.addAnnotation(new AnnotationText(c.id() + ": not determined", Math.sqrt(xMin * xMax), y, false));
                continue;
            }
            Double l = c.measured().low(), h = c.measured().high();
            double il = l == null || !Double.isFinite(l) || l <= 0 ? t : Math.max(xMin, l);
            double ih = h == null || !Double.isFinite(h) ? (c.measured().lowerBound() ? xMax : t) : h;
            XYSeries iv = ch.addSeries(c.id() + " interval", new double[]{il, ih}, new double[]{y, y});
            iv.setShowInLegend(false);
            iv.setLineColor(vc);
            iv.setLineStyle(new BasicStroke(3f));
            iv.setMarker(SeriesMarkers.NONE);
            XYSeries m = ch.addSeries(measuredShown ? c.id() + " measured" : "measured (line: 95 % interval)",
                    new double[]{t}, new double[]{y});
            measuredShown = true;
            m.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            m.setMarker(SeriesMarkers.DIAMOND);
            m.setMarkerColor(vc);
            if (!m.getName().startsWith("measured")) m.setShowInLegend(false);
            ClaimChange change = baseline == null ? null : baseline.claim(c);
            ch.addAnnotation(new AnnotationText(c.id() + ": " + Fmt.threshold(c.measured()) + "  " + c.verdict().name()
                    + (change != null && change.change() == ClaimChange.Change.REGRESSION ? "  (regression vs baseline)" : ""), t, y + 0.34, false));
        }
        ch.getStyler().setXAxisLogarithmic(true).setXAxisMin(xMin).setXAxisMax(xMax)
                .setYAxisMin(0.4).setYAxisMax(claims.size() + 0.75);
        ch.getStyler().setXAxisDecimalPattern("#,###");
        ch.getStyler().setYAxisTicksVisible(false);
        ch.getStyler().setPlotGridHorizontalLinesVisible(false);
        ch.getStyler().setMarkerSize(16);
        return ch;
    }

    /** The baseline's interval for a claim when it measured one; null otherwise. */
    private static ClaimInterval baselineOf(StudyComparison baseline, ClaimResult c) {
        ClaimChange change = baseline == null ? null : baseline.claim(c);
        return change == null || change.old() == null || !change.old().measured() ? null : change.old();
    }

    /** The baseline's interval as a thin grey line at {@code y}, its threshold as a light diamond; returns whether the legend has it. */
    private static boolean baselineRow(XYChart ch, String id, ClaimInterval old, double y, double xMin, double xMax, boolean shown) {
        double il = Math.max(xMin, old.lo() > 0 ? old.lo() : xMin), ih = Double.isInfinite(old.hi()) ? xMax : Math.max(il, old.hi());
        XYSeries iv = ch.addSeries(id + " baseline interval", new double[]{il, ih}, new double[]{y, y});
        iv.setShowInLegend(false);
        iv.setLineColor(BASELINE);
        iv.setLineStyle(new BasicStroke(2f));
        iv.setMarker(SeriesMarkers.NONE);
        double at = old.threshold() != null ? old.threshold() : old.kind().lowerBoundOnly() ? il : Math.sqrt(il * ih);
        XYSeries m = ch.addSeries(shown ? id + " baseline" : "baseline study (line: its 95 % interval)", new double[]{Math.max(xMin, at)},
                new double[]{y});
        m.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        m.setMarker(SeriesMarkers.DIAMOND);
        m.setMarkerColor(BASELINE);
        if (shown) m.setShowInLegend(false);
        return true;
    }

    /** Slate: apart from the claimed range's light grey bar and from every verdict colour. */
    private static final Color BASELINE = new Color(0x64748b);

    private static Color verdictColor(ClaimResult c) {
        return switch (c.verdict()) {
            case CONFIRMED -> new Color(0x15803d);
            case OPTIMISTIC -> new Color(0xb91c1c);
            case CONSERVATIVE -> new Color(0x1d4ed8);
            case NOT_REFUTED -> new Color(0x0e7490);
            case INCONCLUSIVE -> new Color(0x6b7280);
        };
    }

    static CategoryChart costPerStore(StudyModel model, Map<String, Tier> tiers) {
        if (!model.tierCapacities().isEmpty()) return costPerTier(model.tierCapacities());
        List<String> ids = new ArrayList<>();
        List<Double> cents = new ArrayList<>();
        for (ClaimResult c : model.claims()) {
            Double perStore = SummaryJson.costPerStore(c, tiers.get(c.tier()));
            if (perStore == null || !Double.isFinite(perStore)) continue;
            ids.add(c.id());
            cents.add(Math.round(perStore * 100 * 100) / 100.0);
        }
        if (ids.isEmpty()) return null;
        CategoryChart ch = costChart("claim");
        CategorySeries s = ch.addSeries("cents per store", ids, cents);
        s.setFillColor(FIT);
        ch.getStyler().setLegendVisible(false);
        return ch;
    }

    /** Every tier of the tiers file, per route, from the model's tier capacities (the measured fits at each limit). */
    static CategoryChart costPerTier(List<TierCapacity> caps) {
        List<String> tiersWithCost = caps.stream().filter(c -> c.costPerStoreUsd() != null && Double.isFinite(c.costPerStoreUsd()))
                .map(TierCapacity::tier).distinct().toList();
        if (tiersWithCost.isEmpty()) return null;
        CategoryChart ch = costChart("tier");
        int i = 0;
        for (Route route : Route.values()) {
            List<Double> cents = new ArrayList<>();
            boolean any = false;
            for (String t : tiersWithCost) {
                Double v = caps.stream().filter(c -> c.tier().equals(t) && c.route() == route && c.costPerStoreUsd() != null)
                        .map(c -> Math.round(c.costPerStoreUsd() * 100 * 100) / 100.0).findFirst().orElse(null);
                any |= v != null;
                cents.add(v == null ? 0.0 : v);
            }
            if (!any) continue;
            CategorySeries s = ch.addSeries(Fmt.route(route), tiersWithCost, cents);
            s.setFillColor(i++ == 0 ? new Color(0x9ca3af) : FIT);
        }
        return ch;
    }

    private static CategoryChart costChart(String xTitle) {
        CategoryChart ch = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Cost per store per month at capacity")
                .xAxisTitle(xTitle).yAxisTitle("US cents (¢) per store per month").build();
        style(ch.getStyler());
        ch.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        ch.getStyler().setLabelsVisible(true);
        ch.getStyler().setLabelsFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        ch.getStyler().setLabelsFontColorAutomaticEnabled(true);
        ch.getStyler().setLabelsPosition(1.0);
        ch.getStyler().setLabelsFontColorAutomaticEnabled(false);
        ch.getStyler().setLabelsFontColor(INK);
        ch.getStyler().setDecimalPattern("#,##0.00");
        ch.getStyler().setYAxisDecimalPattern("#,##0.00");
        ch.getStyler().setYAxisMin(0.0);
        return ch;
    }
}

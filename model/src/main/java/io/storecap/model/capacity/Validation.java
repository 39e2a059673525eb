package io.storecap.model.capacity;

import io.storecap.model.ModelSettings;
import io.storecap.model.RunResult;
import io.storecap.model.ValidationRow;
import io.storecap.model.fit.Curve;
import io.storecap.model.fit.FitSelection;
import io.storecap.model.fit.LinearFit;
import io.storecap.model.verdict.Stair;

import java.util.ArrayList;
import java.util.List;

/**
 * Out-of-sample checks: fit on the lower levels of a run, predict the upper ones, compare. Only good
 * levels are used (a level with refusals is censored at the limit and a test-machine level is not the
 * tier's), and at least 3 must remain for the fit, so a run needs 4 good levels.
 */
public final class Validation {
    private Validation() {}

    /** Held out: the top third of the good levels (at least one). */
    public static List<ValidationRow> holdOut(String claimId, RunResult run, ModelSettings s) {
        Stair st = Stair.judge(run, run.config().tier(), s);
        int n = st.good().size();
        int held = Math.max(1, n / 3);
        int train = n - held;
        if (train < LinearFit.MIN_POINTS) return List.of();
        double[] x = st.xs(), y = st.ys();
        double[] tx = java.util.Arrays.copyOf(x, train), ty = java.util.Arrays.copyOf(y, train);
        FitSelection sel;
        try {
            sel = FitSelection.ofCounts(tx, ty);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        Curve c = sel.curve();
        List<Integer> fittedOn = new ArrayList<>();
        for (int i = 0; i < train; i++) fittedOn.add((int) tx[i]);
        List<ValidationRow> rows = new ArrayList<>();
        for (int i = train; i < n; i++) {
            double p = c.predict(x[i]), lo = c.lowerPrediction(x[i]), hi = c.upperPrediction(x[i]);
            Double err = y[i] == 0 ? null : 100 * (p - y[i]) / y[i];
            rows.add(new ValidationRow(claimId, run.runId(), "peak server connections", sel.chosen(), fittedOn,
                    (int) x[i], p, lo, hi, y[i], err, y[i] >= lo && y[i] <= hi));
        }
        return rows;
    }
}

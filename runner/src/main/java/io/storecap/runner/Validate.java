package io.storecap.runner;

import io.storecap.model.Claim;
import io.storecap.model.ClaimsFile;
import io.storecap.model.Json;
import io.storecap.model.LevelResult;
import io.storecap.model.Route;
import io.storecap.model.RunConfig;
import io.storecap.model.RuntimePreset;
import io.storecap.model.RuntimesFile;
import io.storecap.model.Tier;
import io.storecap.model.TiersFile;
import io.storecap.model.TrafficProfile;
import io.storecap.model.serverless.Dispatch;
import io.storecap.model.serverless.MeasuredParameters;
import io.storecap.model.serverless.ParameterBootstrap;
import io.storecap.model.serverless.ServerlessParameters;
import io.storecap.model.validation.CasePredictor;
import io.storecap.model.validation.Quantity;
import io.storecap.model.validation.ValidationCase;
import io.storecap.model.validation.ValidationResult;
import io.storecap.simulations.LevelPlan;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./storecap validate}: does the serverless model predict what it has not seen? On one
 * environment (the first direct claim's tier, the default runtime):
 * <ol>
 * <li>calibrate: a few levels at the search's conditions, from which the parameters are read
 * ({@link MeasuredParameters}) with their bootstrap;</li>
 * <li>freeze: every case's prediction ({@link CasePredictor}) is written to predictions.json, with
 * its SHA-256, before any case runs;</li>
 * <li>measure: each case holds a fixed load at its idle TTL (a ladder up to 64x the quick stair's TTL,
 * and in full mode a production-like 300 s TTL held for 30 minutes), long enough for the pool to
 * settle, and compares what it measured with the frozen interval;</li>
 * <li>judge: validation.json with every row and the coverage rule ({@link ValidationResult#minCovered}).</li>
 * </ol>
 */
public final class Validate {
    /** The quick stair's idle TTL (config/study.yaml modes.quick.idleTtlSeconds): the ladder reaches 64x it. */
    static final double[] QUICK_TTLS = {4, 16, 64, 256};
    static final double[] FULL_TTLS = {4, 16, 64, 256, 300};
    static final int QUICK_STORES = 1500, FULL_STORES = 3000;
    static final double TIME_SCALE = 0.25;
    static final int DRAWS = 100;

    private final PrintStream out;

    public Validate(PrintStream out) { this.out = out; }

    /**
     * @param full    the full ladder (adds a 300 s TTL measured for 30 minutes of production time)
     * @param runtime the runtime preset (null: the runtimes file's default)
     */
    public record Options(boolean full, Long seed, String runtime) {}

    public ValidationResult run(Study.Inputs in, Options o, Path outDir) {
        List<Claim> claims = ClaimsFile.load(in.claims());
        Map<String, Tier> tiers = TiersFile.load(in.tiers());
        TrafficProfile profile = TrafficProfile.load(in.profile());
        StudyConfig study = StudyConfig.load(in.study());
        Claim claim = claims.stream().filter(c -> c.route() == Route.DIRECT).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(in.claims() + " has no direct-route claim to validate the model on"));
        RunConfig config = study.searchConfig(claim, tiers.get(claim.tier()), !o.full()).toBuilder().id("validate").build();
        if (in.runtimes() != null && Files.exists(in.runtimes())) {
            List<RuntimePreset> rs = RuntimesFile.load(in.runtimes()).select(o.runtime() == null ? List.of() : List.of(o.runtime()));
            if (!rs.isEmpty()) config = rs.get(0).applyTo(config).toBuilder().id("validate").build();
        }
        long seed = o.seed() != null ? o.seed() : new java.security.SecureRandom().nextInt(1_000_000);
        SearchSettings search = study.mode(!o.full()).search();
        int stores = o.full() ? FULL_STORES : QUICK_STORES;
        List<ValidationCase> cases = new ArrayList<>(ValidationCase.ladder(stores, o.full() ? FULL_TTLS : QUICK_TTLS, TIME_SCALE));
        if (o.full()) cases.add(new ValidationCase("production-300s-30min", stores, 300, 60, 600, 1800, TIME_SCALE));
        double wall = cases.stream().mapToDouble(ValidationCase::wallSeconds).sum();
        out.printf(Locale.ROOT, "storecap validate (%s, seed %d): runtime %s, tier %s direct; calibrate, freeze %d cases' predictions, then measure"
                        + " them (about %.0f min of load)%n", o.full() ? "full" : "quick", seed, config.runtime(), claim.tier(), cases.size(),
                (wall + 120) / 60);
        Path runDir = outDir.resolve("run");
        RunHarness harness = RunHarness.start(config, profile, Math.min(search.maxStores(), search.seedStores()), runDir, true);
        SearchTarget h = SearchTarget.local(harness);
        try {
            // 1. calibration: the search's own level shape at a few loads
            LevelPlanner planner = new LevelPlanner(search, profile, config.coldStartMs());
            List<LevelResult> calibration = new ArrayList<>();
            int i = 0;
            for (int s : new int[]{stores / 4, stores / 2, stores, 2 * stores}) {
                List<LevelPlan> plan = planner.plan(s, "calibrate", seed * 1000 + 10L * ++i);
                LevelResult l = Probe.run(h, config, plan, in.profile(), runDir.resolve("levels").resolve("calibrate-" + s),
                        config.idleTtlSeconds(), 1, null).level();
                calibration.add(l);
                out.printf(Locale.ROOT, "  calibrate %5d stores: %d requests, warm %.0f, connections max %.0f%n", s, l.requests().count(),
                        l.warmInstances().max(), l.serverConnections().max());
            }
            if (!MeasuredParameters.canRead(calibration))
                throw new IllegalStateException("the service did not report its instances' busy time and connections (an old service build?)");
            Dispatch dispatch = Dispatch.of(config.serviceOptions());
            double rate = profile.perStorePerHour().values().stream().mapToDouble(r -> r.at(profile.phase() == null ? "peak" : profile.phase())).sum() / 3600;
            RunConfig cfg = config;
            ParameterBootstrap boot = ParameterBootstrap.of(calibration,
                    ls -> MeasuredParameters.read(ls, rate, cfg.idleTtlSeconds(), cfg.connectionLimit(), Route.DIRECT, dispatch, true));
            ServerlessParameters p = boot.point();
            out.printf(Locale.ROOT, "  parameters: function time %.1f ms, cold start %.2f s, %.2f connections per instance, floor %.0f (peak %.0f), %s dispatch%n",
                    1000 * p.functionSeconds(), p.coldStartSeconds(), p.connectionsPerInstance(), p.floorConnections(), p.floorPeak(), dispatch.id());

            // 2. freeze the predictions before any case runs
            double sample = 0.1 / TIME_SCALE; // the sampler's 100 ms, production seconds
            Map<String, List<CasePredictor.Predicted>> predictions = new LinkedHashMap<>();
            for (ValidationCase c : cases)
                predictions.put(c.id(), CasePredictor.predict(boot.map(x -> x.withIdleTtlSeconds(c.idleTtlSeconds())), c, sample, DRAWS, seed));
            String frozenAt = Instant.now().toString();
            Path frozen = outDir.resolve("predictions.json");
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("frozenAt", frozenAt);
            doc.put("parameters", p);
            doc.put("cases", cases);
            doc.put("predictions", predictions);
            byte[] bytes = Json.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
            Files.write(frozen, bytes);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            out.printf("  predictions frozen: %s (sha256 %s)%n", frozen, sha.substring(0, 16));

            // 3. measure each case
            List<ValidationResult.Row> rows = new ArrayList<>();
            for (ValidationCase c : cases) {
                double k = c.timeScale();
                List<LevelPlan> plan = List.of(new LevelPlan(c.stores(), c.rampSeconds() * k, k, seed * 1000 + 500 + rows.size(), "settle"),
                        new LevelPlan(c.stores(), c.plateauSeconds() * k, k, seed * 1000 + 600 + rows.size(), "plateau"),
                        new LevelPlan(c.stores(), c.measureSeconds() * k, k, seed * 1000 + 700 + rows.size(), "validate"));
                LevelResult l = Probe.run(h, config, plan, in.profile(), runDir.resolve("levels").resolve(c.id()), c.idleTtlSeconds(), 2, null).level();
                Map<Quantity, Double> measured = Map.of(Quantity.MEAN_WARM_INSTANCES, l.warmInstances().mean(),
                        Quantity.PEAK_WARM_INSTANCES, l.warmInstances().max(), Quantity.MEAN_CONNECTIONS, l.serverConnections().mean(),
                        Quantity.PEAK_CONNECTIONS, l.serverConnections().max());
                for (CasePredictor.Predicted pr : predictions.get(c.id())) {
                    Double m = l.warmInstances().samples() == 0 ? null : measured.get(pr.quantity());
                    Boolean covered = m == null ? null : pr.low() <= m && m <= pr.high();
                    rows.add(new ValidationResult.Row(c.id(), c.stores(), c.idleTtlSeconds(), pr.quantity().id(), pr.value(), pr.low(), pr.high(),
                            pr.analytic(), m, covered));
                    out.printf(Locale.ROOT, "  %-22s %-26s predicted %6.1f (%5.1f-%5.1f)  measured %6s  %s%n", c.id(), pr.quantity().words(),
                            pr.value(), pr.low(), pr.high(), m == null ? "-" : String.format(Locale.ROOT, "%.1f", m),
                            covered == null ? "not measured" : covered ? "covered" : "MISSED");
                }
            }

            // 4. judge
            int total = (int) rows.stream().filter(r -> r.covered() != null).count();
            int covered = (int) rows.stream().filter(r -> Boolean.TRUE.equals(r.covered())).count();
            int min = ValidationResult.minCovered(total, ValidationResult.NOMINAL);
            double longest = cases.stream().mapToDouble(ValidationCase::idleTtlSeconds).max().orElse(0);
            ValidationResult result = new ValidationResult(Instant.now().toString(), o.full() ? "full" : "quick", runDir.toString(), p,
                    frozenAt, sha, rows, covered, total, total == 0 ? 0 : (double) covered / total, ValidationResult.NOMINAL, min,
                    total > 0 && covered >= min, ValidationResult.rule(total, min), longest / study.mode(true).idleTtlSeconds(), config.runtime());
            Json.JSON.writerWithDefaultPrettyPrinter().writeValue(outDir.resolve("validation.json").toFile(), result);
            out.printf(Locale.ROOT, "%ncoverage: %d of %d (%.0f %%) within their 95 %% intervals; %s: %s%nvalidation: %s%n", covered, total,
                    100.0 * result.coverage(), result.validated() ? "VALIDATED" : "NOT VALIDATED", result.rule(), outDir.resolve("validation.json"));
            return result;
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot write the validation under " + outDir + ": " + e.getMessage(), e);
        } finally {
            h.close();
        }
    }
}

package io.storecap.runner;

import io.storecap.environment.Sample;
import io.storecap.model.Route;
import io.storecap.model.RunConfig;
import io.storecap.model.Tier;
import io.storecap.model.TrafficProfile;
import io.storecap.simulations.IntervalLatency;
import io.storecap.simulations.LevelClock;

import java.util.function.IntToDoubleFunction;
import java.util.function.Supplier;

/**
 * The run the live metrics show: who it is (labels), its limits, and where its readings come from,
 * read at each scrape. Built from a harness in a study ({@link #of}); a test may give its own sources.
 *
 * @param run        the run id (claim, claim@runtime or claim~pattern)
 * @param claim      the claim it measures
 * @param runtime    the runtime preset ("" for the study's own settings)
 * @param latest     the sampler's newest reading (null before the first)
 * @param clock      the level under way (null between levels)
 * @param intervals  the responses of the interval under way, per kind
 * @param targetRps  production-equivalent arrivals per second at a store count
 */
public record LiveRun(String run, String claim, String runtime, Route route, Tier tier, Supplier<Sample> latest,
                      Supplier<LevelClock> clock, IntervalLatency intervals, IntToDoubleFunction targetRps) {

    /** A search's target (the local harness or a deployment): its sampler and the simulation's clock. */
    static LiveRun of(RunConfig config, TrafficProfile profile, SearchTarget target) {
        return new LiveRun(config.id(), Study.Options.claimOf(config),
                config.runtime() == null ? "" : config.runtime(), config.route(), config.tier(), () -> target.sampler().latest(),
                () -> target.control().clock(), target.control().intervals(), profile::totalRps);
    }

    static LiveRun of(RunConfig config, TrafficProfile profile, RunHarness harness) {
        return new LiveRun(config.id(), Study.Options.claimOf(config),
                config.runtime() == null ? "" : config.runtime(), config.route(), config.tier(), () -> harness.sampler().latest(),
                () -> harness.control().clock(), harness.control().intervals(), profile::totalRps);
    }
}

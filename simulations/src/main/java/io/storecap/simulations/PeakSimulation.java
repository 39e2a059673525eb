package io.storecap.simulations;

/**
 * The peak scenario (see {@link Scenario#PEAK}):
 * {@code mvn gatling:test -pl simulations -Dgatling.simulationClass=io.storecap.simulations.PeakSimulation}.
 */
public class PeakSimulation extends StairSimulation {
    @Override
    protected Scenario scenarioKind() { return Scenario.PEAK; }
}

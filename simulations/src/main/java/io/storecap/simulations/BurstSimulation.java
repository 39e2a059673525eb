package io.storecap.simulations;

/**
 * The burst scenario (see {@link Scenario#BURST}):
 * {@code mvn gatling:test -pl simulations -Dgatling.simulationClass=io.storecap.simulations.BurstSimulation}.
 */
public class BurstSimulation extends StairSimulation {
    @Override
    protected Scenario scenarioKind() { return Scenario.BURST; }
}

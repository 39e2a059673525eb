package io.storecap.simulations;

/**
 * The soak scenario (see {@link Scenario#SOAK}):
 * {@code mvn gatling:test -pl simulations -Dgatling.simulationClass=io.storecap.simulations.SoakSimulation}.
 */
public class SoakSimulation extends StairSimulation {
    @Override
    protected Scenario scenarioKind() { return Scenario.SOAK; }
}

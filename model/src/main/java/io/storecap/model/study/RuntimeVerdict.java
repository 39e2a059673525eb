package io.storecap.model.study;

import io.storecap.model.capacity.ClaimResult;

import java.util.Map;

/**
 * One claim measured under one runtime (config/runtimes.yaml): a row of the report's "verdict by
 * runtime" table. The claim's verdict itself comes from its baseline run; these rows say how that
 * verdict moves when the platform and client hold connections differently.
 *
 * @param claimId  the claim
 * @param runtime  the runtime id; "(study settings)" for a run that named none
 * @param baseline true for the run the claim's verdict comes from
 * @param result   the claim evaluated on this runtime's run (knee or bound, interval, verdict, reason)
 * @param settings the run's service settings that define the runtime, as it recorded them
 */
public record RuntimeVerdict(String claimId, String runtime, boolean baseline, ClaimResult result, Map<String, String> settings) {
    public RuntimeVerdict {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }
}

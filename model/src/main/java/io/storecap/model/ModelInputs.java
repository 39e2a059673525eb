package io.storecap.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The claims and tiers a study is judged against, checked together: every claim names a defined tier.
 *
 * @param claims claims in file order
 * @param tiers  tiers by id, in file order
 */
public record ModelInputs(List<Claim> claims, Map<String, Tier> tiers) {
    public ModelInputs {
        claims = List.copyOf(claims);
        tiers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tiers));
    }

    /** Parses both files from text and checks the claims' tier references. */
    public static ModelInputs parse(String claimsYaml, String claimsSource, String tiersYaml, String tiersSource) {
        Map<String, Tier> tiers = TiersFile.parse(tiersYaml, tiersSource);
        List<Claim> claims = ClaimsFile.parse(claimsYaml, claimsSource);
        ClaimsFile.checkTiers(claims, tiers, claimsSource, tiersSource);
        return new ModelInputs(claims, tiers);
    }

    /** Loads {@code claims.yaml} and {@code tiers.yaml} from a config folder (e.g. {@code config/}). */
    public static ModelInputs load(Path configDir) {
        return load(configDir.resolve(ClaimsFile.DEFAULT_NAME), configDir.resolve(TiersFile.DEFAULT_NAME));
    }

    /** Loads the two given files and checks them together. */
    public static ModelInputs load(Path claimsFile, Path tiersFile) {
        return parse(ClaimsFile.read(claimsFile), claimsFile.getFileName().toString(),
                ClaimsFile.read(tiersFile), tiersFile.getFileName().toString());
    }

    public Tier tier(String id) {
        Tier t = tiers.get(id);
        if (t == null) throw new IllegalArgumentException("tier '" + id + "' is not defined; known tiers: " + tiers.keySet());
        return t;
    }
}

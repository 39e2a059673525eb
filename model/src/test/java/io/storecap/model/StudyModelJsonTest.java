package io.storecap.model;

import io.storecap.model.study.CapacityModel;
import io.storecap.model.study.StudyModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** summary.json is written from StudyModel: it must round-trip and carry the contract's keys. */
class StudyModelJsonTest {
    @Test
    void studyModelRoundTripsThroughJsonWithTheContractKeys() throws Exception {
        List<Claim> claims = List.of(CapacityModelTest.claim("free-direct", 150, 200), CapacityModelTest.claim("free-x", 20, 25));
        StudyModel sm = CapacityModel.evaluate(claims, Map.of("free", Runs.FREE),
                List.of(CapacityModelTest.linearRun("free-direct")), ModelSettings.defaults());
        String json = Json.JSON.writeValueAsString(sm);
        StudyModel back = Json.JSON.readValue(json, StudyModel.class);
        assertEquals(sm, back);
        var node = Json.JSON.readTree(json).get("claims").get(0);
        for (String k : List.of("id", "claimed", "measured", "verdict", "reason", "fit", "fits", "levels"))
            assertTrue(node.has(k), k + " in " + node);
        assertTrue(node.get("claimed").has("max"));
        for (String k : List.of("threshold", "low", "high", "binding", "kind", "replicates"))
            assertTrue(node.get("measured").has(k), k);
        assertEquals("lower-bound", node.get("measured").get("kind").asText(), "nothing bound up to 180 stores");
        assertEquals("NOT_REFUTED", node.get("verdict").asText(), "a lower bound of 180 inside 150-200 confirms nothing");
        assertFalse(Json.JSON.readTree(json).get("validation").isEmpty(), "8 good levels give held-out rows");
    }
}

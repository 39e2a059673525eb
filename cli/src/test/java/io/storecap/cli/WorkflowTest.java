package io.storecap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.Json;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The example CI workflow (.github/workflows/capacity.yml) cannot run here, so it is read: valid
 * YAML, runs on main too (so main has a report to compare with), fetches main's last summary.json
 * before the study, and passes it as --baseline when there is one.
 */
class WorkflowTest {
    static final Path WORKFLOW = Path.of("../.github/workflows/capacity.yml");

    @Test
    void theWorkflowComparesEachStudyWithMainsLastSummary() throws Exception {
        JsonNode root = Json.YAML.readTree(WORKFLOW.toFile());
        assertNotNull(root, WORKFLOW + " is empty");
        // YAML 1.1 reads the key "on" as true; either way it must list a push to main
        JsonNode on = root.has("on") ? root.get("on") : root.get("true");
        assertNotNull(on, "the workflow's triggers");
        assertTrue(on.has("pull_request"), on.toString());
        assertTrue(on.path("push").path("branches").toString().contains("\"main\""), "main keeps a report to compare with: " + on);
        assertEquals("read", root.path("permissions").path("actions").asText(), "downloading an artifact needs actions: read");

        List<JsonNode> steps = new ArrayList<>();
        root.path("jobs").path("study").path("steps").forEach(steps::add);
        int fetch = -1, study = -1, keep = -1;
        for (int i = 0; i < steps.size(); i++) {
            String run = steps.get(i).path("run").asText(""), uses = steps.get(i).path("uses").asText("");
            if (run.contains("gh run download") && run.contains("--branch main")) fetch = i;
            if (run.contains("./storecap study")) study = i;
            if (uses.startsWith("actions/upload-artifact")) keep = i;
        }
        assertTrue(fetch >= 0, "a step downloads main's last report with gh run download");
        JsonNode fetchStep = steps.get(fetch);
        assertTrue(fetchStep.path("run").asText().contains("--name capacity-report --dir baseline"), fetchStep.toString());
        assertFalse(fetchStep.path("env").path("GH_TOKEN").isMissingNode(), "gh needs a token");
        assertTrue(study > fetch, "the baseline is fetched before the study");
        assertTrue(steps.get(study).path("run").asText().contains("--baseline baseline/summary.json"), steps.get(study).toString());
        assertTrue(keep > study && steps.get(keep).path("with").path("name").asText().equals("capacity-report")
                        && steps.get(keep).path("with").path("path").asText().startsWith("capacity-report"),
                "the artifact the next run downloads is the one this run keeps");
    }
}

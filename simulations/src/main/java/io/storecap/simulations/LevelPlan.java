package io.storecap.simulations;

import io.storecap.model.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One level as the injector runs it: the store count whose traffic it sends, how long (emulated
 * seconds), the time scale (rates are divided by it; the service stretches its durations by it),
 * the seed of its arrivals and store choices, and the search step that asked for it.
 */
public record LevelPlan(int stores, double seconds, double timeScale, long seed, String phase) {
    public LevelPlan {
        if (stores < 1) throw new IllegalArgumentException("a level needs >= 1 store, was " + stores);
        if (!(seconds > 0)) throw new IllegalArgumentException("a level needs > 0 seconds, was " + seconds);
        if (!(timeScale > 0)) throw new IllegalArgumentException("timeScale must be > 0, was " + timeScale);
        if (phase == null) phase = "stair";
    }

    /** The fixed stair of the classic simulation: every level the same length, time scale 1. */
    public static List<LevelPlan> stair(List<Integer> stores, double seconds, long seed) {
        List<LevelPlan> out = new ArrayList<>();
        for (int i = 0; i < stores.size(); i++) out.add(new LevelPlan(stores.get(i), seconds, 1, seed + i, "stair"));
        return out;
    }

    /** Whether the level's rate ramps up from 0 (the settle part of a probe). */
    public boolean ramps() { return "settle".equals(phase); }

    public long millis() { return Math.round(seconds * 1000); }

    public static void write(Path file, List<LevelPlan> plan) {
        try {
            Json.JSON.writeValue(file.toFile(), plan);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the level plan " + file + ": " + e.getMessage(), e);
        }
    }

    public static List<LevelPlan> read(Path file) {
        try {
            return List.of(Json.JSON.readValue(file.toFile(), LevelPlan[].class));
        } catch (IOException e) {
            throw new IllegalArgumentException("storecap.plan: cannot read the level plan " + file + ": " + e.getMessage(), e);
        }
    }
}

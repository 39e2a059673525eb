package io.storecap.service;

import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Which warm instance with spare concurrency gets a request ({@code --dispatch}, see
 * {@link RuntimeSettings}): the most recently used (the fewest instances stay alive), the least
 * recently used (load spread, more stay warm), or one at random from a seeded generator, so a run
 * repeats. Not thread-safe: the instance pool calls it under its own lock.
 */
final class Dispatch {
    private final RuntimeSettings.Dispatch policy;
    private final Random random;

    Dispatch(RuntimeSettings.Dispatch policy, long seed) {
        this.policy = policy;
        this.random = new Random(seed);
    }

    /** The chosen one among the eligible, from instances ordered most recently used first; null when none is. */
    <T> T pick(Deque<T> mostRecentFirst, Predicate<T> eligible) {
        return switch (policy) {
            case MRU -> first(mostRecentFirst.iterator(), eligible);
            case LRU -> first(mostRecentFirst.descendingIterator(), eligible);
            case RANDOM -> {
                List<T> candidates = new ArrayList<>();
                for (T t : mostRecentFirst) if (eligible.test(t)) candidates.add(t);
                yield candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
            }
        };
    }

    private static <T> T first(Iterator<T> it, Predicate<T> eligible) {
        while (it.hasNext()) {
            T t = it.next();
            if (eligible.test(t)) return t;
        }
        return null;
    }
}

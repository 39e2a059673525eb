package io.storecap.environment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Starts a {@link DatabaseEnvironment} from a spec, choosing the provider for {@code auto}:
 * containers when Docker is reachable and storecap's images exist (or, with
 * {@code withBuildImages(true)}, can be built by docker/build-images.sh), else local processes.
 */
public final class Environments {
    private static final Logger log = LoggerFactory.getLogger(Environments.class);

    private Environments() {}

    public static DatabaseEnvironment start(EnvironmentSpec spec) {
        return switch (resolve(spec)) {
            case LOCAL -> LocalEnvironment.start(spec);
            case CONTAINERS -> {
                if (spec.buildImages()) buildImagesIfMissing(spec);
                yield ContainersEnvironment.start(spec);
            }
            case EXTERNAL -> ExternalEnvironment.start(spec);
            case AUTO -> throw new IllegalStateException("auto resolves to a provider");
        };
    }

    /** The provider {@link #start} will use for this spec (probes Docker for auto: a few milliseconds). */
    public static Provider resolve(EnvironmentSpec spec) {
        if (spec.provider() != Provider.AUTO) return spec.provider();
        if (spec.external() != null) return Provider.EXTERNAL;
        DockerStatus s = DockerAccess.probe(spec);
        if (s.usable()) return Provider.CONTAINERS;
        if (spec.buildImages() && s.reachable() && !s.imagesPresent() && s.problem().startsWith("the image")
                && buildImagesIfMissing(spec)) return Provider.CONTAINERS;
        log.info("provider auto: using local processes, because {}", s.message());
        return Provider.LOCAL;
    }

    /** Whether the containers provider can run here, and if not, why and how to fix it. */
    public static DockerStatus dockerStatus() { return dockerStatus(EnvironmentSpec.defaults()); }

    public static DockerStatus dockerStatus(EnvironmentSpec spec) { return DockerAccess.probe(spec); }

    /** Runs docker/build-images.sh when an image is missing; true when the images are there afterwards. */
    static boolean buildImagesIfMissing(EnvironmentSpec spec) {
        DockerStatus s = DockerAccess.probe(spec);
        if (s.usable()) return true;
        if (!s.reachable()) return false;
        Path script = DockerAccess.buildScript();
        if (script == null) {
            log.warn("{}; and {} was not found from {} (set -Dstorecap.root to the project folder)", s.problem(),
                    DockerAccess.BUILD_SCRIPT, Path.of("").toAbsolutePath());
            return false;
        }
        log.info("{}: building with {} (about 40 s the first time)", s.problem(), script);
        boolean ok = DockerAccess.runBuildScript(script, line -> log.info("  {}", line));
        return ok && DockerAccess.probe(spec).usable();
    }
}

package dev.aceproxy.micrometer;

import dev.aceproxy.registry.RegistryStatus;
import dev.aceproxy.registry.StreamRegistry;
import java.time.Duration;

/**
 * Hands out a registry's status snapshot, reusing one for up to a maximum age so that the meters
 * of one scrape share it. Lock-free: threads that find it stale at once may each take a snapshot,
 * and the last one written wins, which is harmless.
 */
final class StatusSnapshots {

    private record Taken(RegistryStatus status, long atNanos) {
    }

    private final long maxAgeNanos;
    private volatile Taken last;

    StatusSnapshots(Duration maxAge) {
        this.maxAgeNanos = maxAge.toNanos();
    }

    RegistryStatus of(StreamRegistry registry) {
        long now = System.nanoTime();
        Taken taken = last;
        if (taken == null || maxAgeNanos == 0 || now - taken.atNanos() >= maxAgeNanos) {
            taken = new Taken(registry.status(), now);
            last = taken;
        }
        return taken.status();
    }
}

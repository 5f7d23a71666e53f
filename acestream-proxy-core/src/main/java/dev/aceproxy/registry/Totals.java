package dev.aceproxy.registry;

/**
 * Registry-wide figures in a {@link RegistryStatus}. Byte counts and event counts cover every
 * session since the registry was built, ended sessions included; {@code sessions} and
 * {@code clients} count what runs now.
 *
 * @param sessions sessions now (not stopped or failed)
 * @param clients clients now
 * @param bytesIn bytes read from engines
 * @param bytesOut bytes written to clients
 * @param reconnects upstream reconnects and new engine sessions
 * @param failovers moves to an alternate content
 * @param evictions clients disconnected for overflow or stall
 * @param skippedBytes bytes dropped for slow clients (skip-to-live)
 */
public record Totals(int sessions, int clients, long bytesIn, long bytesOut, long reconnects, long failovers,
                     long evictions, long skippedBytes) {
}

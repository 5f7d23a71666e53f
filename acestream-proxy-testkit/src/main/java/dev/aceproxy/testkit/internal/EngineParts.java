package dev.aceproxy.testkit.internal;

import java.net.URI;

/**
 * The shared state every endpoint works with.
 *
 * @param config what the engine was built with
 * @param sessions the session table
 * @param faults the scripted faults
 * @param counters the counters
 * @param events the event queue
 * @param connections every open connection
 * @param workers the owner of every thread
 * @param advertisedBase scheme, host and port of returned urls, without a trailing slash
 */
record EngineParts(EngineConfig config, SessionsByContent sessions, FaultScript faults, EngineCounters counters,
                   EventLog events, ConnectionTable connections, Workers workers, String advertisedBase) {

    String url(String path) {
        return advertisedBase + path;
    }

    static String baseOf(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}

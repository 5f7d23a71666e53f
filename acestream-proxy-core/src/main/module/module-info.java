/**
 * acestream-proxy core: puts many players on one AceStream engine session.
 *
 * <p>Only the API packages are exported, each for what an embedder does with it (its
 * {@code package-info} says why); everything under an {@code internal} package (the engine's wire
 * protocol, the upstream pump, the fan-out, the registry's machinery, the transport-stream
 * readers, the HLS segmenter) may change without notice. docs/architecture.md lists the API.
 */
module dev.aceproxy.core {
    requires transitive java.net.http;

    // building engine clients, naming contents, catching engine failures
    exports dev.aceproxy.engine;
    // the chunks a ChunkSink receives; the fast-start policy
    exports dev.aceproxy.ts;
    // a player's sink, its queue policy, figures and end
    exports dev.aceproxy.fanout;
    // the registry: the entry point, its policies, status, listener and refusals
    exports dev.aceproxy.registry;
    // HLS from the shared stream
    exports dev.aceproxy.hls;
}

/**
 * acestream-proxy core: puts many players on one AceStream engine session.
 *
 * <p>Only the API packages are exported; everything under an {@code internal} package may change
 * without notice.
 */
module dev.aceproxy.core {
    requires transitive java.net.http;

    exports dev.aceproxy.engine;
    exports dev.aceproxy.ts;
    exports dev.aceproxy.fanout;
    exports dev.aceproxy.registry;
    exports dev.aceproxy.hls;
}

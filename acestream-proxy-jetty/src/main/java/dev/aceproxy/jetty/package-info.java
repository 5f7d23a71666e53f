/**
 * A thin Jetty 12 (ee11, Jakarta Servlet 6.1) adapter over acestream-proxy-core: the stream
 * servlet, the status, metrics and health endpoints, the access-token filter, and a ready server
 * that runs request handling on virtual threads.
 *
 * <p>Three ways in: {@link dev.aceproxy.jetty.StreamServlet} alone in your own Jetty server,
 * {@link dev.aceproxy.jetty.AceProxyEndpoints#mount} for every endpoint on your
 * {@code ServletContextHandler}, or {@link dev.aceproxy.jetty.AceProxyHttpServer} for the whole
 * server.
 */
package dev.aceproxy.jetty;

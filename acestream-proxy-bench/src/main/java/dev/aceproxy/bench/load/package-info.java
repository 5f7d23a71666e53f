/**
 * The end-to-end load tool: a fake engine in this process, the reference server in its own JVM,
 * many loopback clients read by a few NIO selector threads, and figures taken from the server's
 * {@code /proc} entries. Entry point: {@link dev.aceproxy.bench.load.LoadTool}.
 */
package dev.aceproxy.bench.load;

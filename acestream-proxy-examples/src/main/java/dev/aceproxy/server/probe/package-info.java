/**
 * {@code --probe-report}: records, step by step, what a real AceStream engine sends, byte for byte
 * where it matters, into a JSON report a user can send to the project. The engine is talked to over
 * plain sockets with a lenient reader ({@link dev.aceproxy.server.probe.WireClient}), so that an
 * answer the engine client would refuse is still recorded; everything is bounded in time and size.
 */
package dev.aceproxy.server.probe;

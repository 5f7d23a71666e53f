/**
 * The stream registry: one engine session per content, shared by every client that asks for it,
 * kept alive through upstream failures (reconnect, new engine session, failover to an alternate
 * content), lingering briefly after the last client leaves, and spread over a pool of engines.
 *
 * <p>Start with {@link dev.aceproxy.registry.StreamRegistry#newBuilder()}; a client joins with
 * {@link dev.aceproxy.registry.StreamRegistry#subscribe(dev.aceproxy.engine.ContentId, java.util.Map,
 * dev.aceproxy.fanout.ClientSink, dev.aceproxy.registry.ClientInfo)} and leaves by closing its
 * {@link dev.aceproxy.registry.Subscription}. Lifecycle changes are reported to a
 * {@link dev.aceproxy.registry.StreamListener}; {@link dev.aceproxy.registry.StreamRegistry#status()}
 * gives an immutable snapshot of everything running.
 */
package dev.aceproxy.registry;

/**
 * The stream registry, the control plane above the data path: one engine session per content,
 * shared by every client that asks for it, kept alive through upstream failures (reconnect, new
 * engine session, failover to an alternate content), lingering briefly after the last client
 * leaves, and spread over a pool of engines.
 *
 * <p>Start with {@link dev.aceproxy.registry.StreamRegistry#newBuilder()}; a client joins with
 * {@link dev.aceproxy.registry.StreamRegistry#subscribe(dev.aceproxy.engine.ContentId, java.util.Map,
 * dev.aceproxy.fanout.ClientSink, dev.aceproxy.registry.ClientInfo)} and leaves by closing its
 * {@link dev.aceproxy.registry.Subscription}. Lifecycle changes are reported to a
 * {@link dev.aceproxy.registry.StreamListener}; {@link dev.aceproxy.registry.StreamRegistry#status()}
 * gives an immutable snapshot of everything running.
 *
 * <p><b>Why exported:</b> this is the embedder's entry point: the registry, its policies and
 * limits, its status records, its listener, and the sealed
 * {@link dev.aceproxy.registry.SubscriptionRefusedException} family of refusals.
 */
package dev.aceproxy.registry;

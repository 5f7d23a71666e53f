/**
 * The upstream: one session's connection to the engine and the thread that pumps it.
 * {@link dev.aceproxy.upstream.internal.UpstreamPump} reads the playback, hands every chunk to the
 * fan-out, and runs the one retry loop for the start and every recovery;
 * {@link dev.aceproxy.upstream.internal.RecoveryPlan} says what it tries next and how long it waits
 * ({@link dev.aceproxy.upstream.internal.RecoveryWait}, {@link dev.aceproxy.upstream.internal.EngineFault});
 * {@link dev.aceproxy.upstream.internal.Upstream} holds the engine session and the playback
 * connection ({@link dev.aceproxy.upstream.internal.EngineSessionHolder}). Not exported; may change
 * without notice.
 */
package dev.aceproxy.upstream.internal;

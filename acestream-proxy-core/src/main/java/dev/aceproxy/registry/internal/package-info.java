/**
 * The registry's machinery: the {@link dev.aceproxy.registry.internal.SessionTable} (sessions by
 * key), {@link dev.aceproxy.registry.internal.Admission} (limits, draining, engine health),
 * {@link dev.aceproxy.registry.internal.ContentClaims} (one session per content),
 * {@link dev.aceproxy.registry.internal.RegistryTotals}, one {@link dev.aceproxy.registry.internal.Session}
 * with its lifecycle table and periodic tick, the engine pool and the threads they own. Not
 * exported; may change at any time.
 */
package dev.aceproxy.registry.internal;

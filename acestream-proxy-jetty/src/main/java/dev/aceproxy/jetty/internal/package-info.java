/**
 * The adapter's internals: request parsing, JSON and Prometheus writers, the servlet sink and the
 * status endpoints. Not API; may change without notice.
 */
package dev.aceproxy.jetty.internal;

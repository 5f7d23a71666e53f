/**
 * Micrometer binding: {@link dev.aceproxy.micrometer.AceProxyMetrics} publishes a
 * {@link dev.aceproxy.registry.StreamRegistry}'s figures to any Micrometer {@code MeterRegistry}
 * under the names the {@code /metrics} endpoint uses.
 */
package dev.aceproxy.micrometer;

/**
 * Performance measurement for acestream-proxy: JMH micro-benchmarks of the fan-out path
 * ({@link dev.aceproxy.bench.micro}) and the end-to-end load tool that drives the reference server
 * as a separate process ({@link dev.aceproxy.bench.load}).
 */
package dev.aceproxy.bench;

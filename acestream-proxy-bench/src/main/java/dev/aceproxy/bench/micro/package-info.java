/**
 * JMH benchmarks of the hot path: the fan-out of one chunk to many writers, the MPEG-TS
 * packetiser and the fast-start index. Run them through {@code target/benchmarks.jar}.
 */
package dev.aceproxy.bench.micro;

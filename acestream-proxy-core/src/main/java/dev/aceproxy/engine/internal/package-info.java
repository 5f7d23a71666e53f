/**
 * The engine client's own HTTP/1.1 response reading for the playback: a buffered view of the
 * socket ({@link dev.aceproxy.engine.internal.WireInput}), the bounded response head
 * ({@link dev.aceproxy.engine.internal.ResponseHead}) and the body framings
 * ({@link dev.aceproxy.engine.internal.ChunkedBody}, {@link dev.aceproxy.engine.internal.LengthBody}).
 * Everything the engine sends is untrusted: every line, head and chunk size is bounded, and a
 * violation is a {@link dev.aceproxy.engine.internal.MalformedHttpException}. Not exported by the
 * module: it may change without notice.
 */
package dev.aceproxy.engine.internal;

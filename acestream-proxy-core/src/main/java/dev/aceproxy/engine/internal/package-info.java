/**
 * How the engine client talks to the engine: the control calls and their answers
 * ({@link dev.aceproxy.engine.internal.GetstreamCall}, {@link dev.aceproxy.engine.internal.ControlCalls},
 * {@link dev.aceproxy.engine.internal.EngineExchange}), the mapping of transport failures to the
 * engine's exception types ({@link dev.aceproxy.engine.internal.EngineErrors}), and the playback
 * connection with its own bounded HTTP/1.1 reading ({@link dev.aceproxy.engine.internal.SocketPlayback},
 * {@link dev.aceproxy.engine.internal.WireInput}, {@link dev.aceproxy.engine.internal.ResponseHead},
 * the body framings). Everything the engine sends is untrusted: every line, head, chunk size and
 * answer is bounded. Not exported by the module: it may change without notice.
 */
package dev.aceproxy.engine.internal;

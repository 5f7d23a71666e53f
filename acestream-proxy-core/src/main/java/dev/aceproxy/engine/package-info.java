/**
 * The AceStream engine's HTTP API as a proxy meets it: content ids, the engine client, engine
 * sessions and statistics, and the checked exceptions that name each way the engine can fail.
 *
 * <p>Start with {@link dev.aceproxy.engine.AceEngineClient#newBuilder()}.
 *
 * <p><b>Why exported:</b> an embedder builds the engine clients it gives the registry, names
 * contents with {@link dev.aceproxy.engine.ContentId}, and catches the sealed
 * {@link dev.aceproxy.engine.EngineException} family to answer its own clients.
 */
package dev.aceproxy.engine;

/**
 * The AceStream engine's HTTP API as a proxy meets it: content ids, the engine client, engine
 * sessions and statistics, and the checked exceptions that name each way the engine can fail.
 *
 * <p>Start with {@link dev.aceproxy.engine.AceEngineClient#newBuilder()}.
 */
package dev.aceproxy.engine;

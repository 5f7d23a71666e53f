/**
 * A small, strict JSON reader for the engine's answers, which the proxy treats as untrusted input.
 *
 * <p>{@link dev.aceproxy.internal.json.JsonReader} turns text into immutable values ({@code Map},
 * {@code List}, {@code String}, {@code Long} or {@code BigDecimal}, {@code Boolean} and
 * {@link dev.aceproxy.internal.json.JsonNull#NULL}); {@link dev.aceproxy.internal.json.JsonObject}
 * reads typed fields from an object and names the field path when one is missing or of the wrong
 * type. Every failure is a checked {@link dev.aceproxy.internal.json.JsonParseException}. Not
 * exported by the module: it may change without notice.
 */
package dev.aceproxy.internal.json;

/**
 * A fake AceStream engine for tests: a real HTTP server on a loopback port that follows the
 * engine's HTTP API (getstream, playback, stat, stop, version and status) with its quirks, serves a
 * looped MPEG-TS clip as an endless live stream, and plays scripted faults on request.
 *
 * <p>{@link dev.aceproxy.testkit.FakeAceEngine} is the entry point; {@link
 * dev.aceproxy.testkit.WriteProfile} says how playbacks are cut into socket writes; {@link
 * dev.aceproxy.testkit.GetstreamFault} describes how a getstream call may misbehave; {@link
 * dev.aceproxy.testkit.RestartMode} what a restarting engine does; {@link
 * dev.aceproxy.testkit.EngineEvent} is what the engine's event queue tells; {@link
 * dev.aceproxy.testkit.Eventually} waits, with a bound, for what no event tells.
 */
package dev.aceproxy.testkit;

/**
 * A fake AceStream engine for tests: a real HTTP server on a loopback port that follows the
 * engine's HTTP API (getstream, playback, stat, stop, version and status), serves a looped MPEG-TS
 * clip as an endless live stream, and plays scripted faults on request.
 *
 * <p>{@link dev.aceproxy.testkit.FakeAceEngine} is the entry point; {@link
 * dev.aceproxy.testkit.GetstreamFault} describes how a getstream call may misbehave.
 */
package dev.aceproxy.testkit;

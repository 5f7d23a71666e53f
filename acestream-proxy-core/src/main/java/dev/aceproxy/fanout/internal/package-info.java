/**
 * The fan-out: {@link dev.aceproxy.fanout.internal.FanOut} hands each chunk to every player's
 * bounded {@link dev.aceproxy.fanout.internal.PlayerQueue}, which the player's own virtual thread
 * drains into its sink. {@link dev.aceproxy.fanout.internal.SlowPlayer} decides everything about a
 * player that cannot keep up; {@link dev.aceproxy.fanout.internal.PlayerList} holds the players;
 * the {@link dev.aceproxy.fanout.internal.ChunkCoalescer} gathers small reads and
 * {@link dev.aceproxy.fanout.internal.HeldChunkFlusher} hands out what waited;
 * {@link dev.aceproxy.fanout.internal.StallWatchdog} looks for blocked writes;
 * {@link dev.aceproxy.fanout.internal.StartBacklog} keeps the start for early joiners. Not
 * exported; may change without notice.
 */
package dev.aceproxy.fanout.internal;

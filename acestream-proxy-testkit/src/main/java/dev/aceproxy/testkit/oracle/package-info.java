/**
 * An independent oracle for streaming tests: it locates every MPEG-TS packet a player received in
 * the source the engine played, and tells whether the player's bytes follow the source with no
 * jump, or where and how they jumped.
 *
 * <p>It shares no code with the proxy: it parses packets on its own, so a defect in the proxy's
 * packetiser, gathering or fan-out cannot hide itself from it. {@link
 * dev.aceproxy.testkit.oracle.StreamOracle} is the entry point, {@link
 * dev.aceproxy.testkit.oracle.StreamExpectation} says what a test allows, and {@link
 * dev.aceproxy.testkit.oracle.StreamCheck} is what the oracle found.
 */
package dev.aceproxy.testkit.oracle;

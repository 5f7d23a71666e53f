package dev.aceproxy.fanout;

import dev.aceproxy.fanout.internal.Player;
import dev.aceproxy.fanout.internal.FanOut;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.Clip;
import dev.aceproxy.ts.FastStartPolicy;
import dev.aceproxy.ts.internal.TsPacketizer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fan-out under production defaults (gathering on, fast start on) keeps every byte in order
 * whatever sizes the engine's reads come in: the packetiser and the fan-out are fed as the pump
 * feeds them, from an upstream whose reads are 1 B to 128 KiB, and every player's bytes are
 * checked against the source by the independent oracle.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FanOutOrderPropertyTest {

    private static final byte[] CLIP = Clip.bytes();
    /** The clip twice, raw: the oracle allows the loop. */
    private static final byte[] TWICE = twice(CLIP);
    private static final StreamOracle ORACLE = StreamOracle.of(CLIP);

    private final List<FanOut> fanOuts = new ArrayList<>();

    @AfterEach
    void noThreadsLeft() throws Exception {
        fanOuts.forEach(FanOut::close);
        LiveThreads.awaitNone("aceproxy-fanout-flusher-");
        LiveThreads.awaitNone("aceproxy-writer-");
    }

    @Test
    void onePlayerGetsTheSourceExactlyForManySeeds() throws Exception {
        for (long seed = 1; seed <= 40; seed++) {
            FanOut fanOut = production();
            ScriptedSink player = ScriptedSink.recording();
            fanOut.add(player);
            pump(fanOut, new Random(seed), CLIP, seed % 4 == 0);
            fanOut.close(EndReason.STREAM_ENDED, Duration.ofSeconds(10));
            assertThat(player.bytes()).as("seed %d", seed).isEqualTo(CLIP);
        }
    }

    @Test
    void onePlayerWrittenThroughBySocketsWithLittleRoomGetsTheSourceExactly() throws Exception {
        long handedOut = 0;
        long keptParts = 0;
        for (long seed = 1; seed <= 40; seed++) {
            FanOut fanOut = production();
            ScriptedSink player = ScriptedSink.recording().writingThrough(seed);
            fanOut.add(player);
            pump(fanOut, new Random(seed), CLIP, seed % 4 == 0);
            fanOut.close(EndReason.STREAM_ENDED, Duration.ofSeconds(10));
            assertThat(player.bytes()).as("seed %d", seed).isEqualTo(CLIP);
            assertThat(player.overlappingCalls()).as("seed %d: calls at once", seed).isZero();
            handedOut += player.tryWrites();
            keptParts += player.tryWrites() - player.tryWritesWhole();
        }
        // A writer that never waits (a pump with no pause) is never handed out to; over all seeds
        // both the hand-out and the rest kept for the writer must have happened.
        assertThat(handedOut).as("chunks handed out").isPositive();
        assertThat(keptParts).as("hand-outs the socket took only part of").isPositive();
    }

    @Test
    void playersWhoJoinAndLeaveAtRandomEachGetOneRunOfTheSource() throws Exception {
        joinAndLeave(false);
    }

    @Test
    void playersWrittenThroughWhoJoinAndLeaveAtRandomEachGetOneRunOfTheSource() throws Exception {
        joinAndLeave(true);
    }

    private void joinAndLeave(boolean writeThrough) throws Exception {
        long handedOut = 0;
        for (long seed = 100; seed < 112; seed++) {
            Random random = new Random(seed);
            FanOut fanOut = production();
            List<Member> members = new ArrayList<>();
            members.add(Member.join(fanOut, 0, writeThrough ? seed : -1));
            TsPacketizer packetizer = new TsPacketizer(new RaggedInput(TWICE, seed));
            long chunks = 0;
            for (Chunk chunk = packetizer.next(); chunk != null; chunk = packetizer.next()) {
                fanOut.write(chunk);
                chunks++;
                int roll = random.nextInt(100);
                // Per chunk of the packetiser's 128 KiB reads: a join in 6, a leave in 25.
                if (roll < 16) {
                    // Written through or not, half and half: both kinds share the chunks.
                    members.add(Member.join(fanOut, chunks, writeThrough && random.nextBoolean() ? chunks : -1));
                } else if (roll < 20) {
                    leaveOne(members, random);
                } else if (roll < 24) {
                    LockSupport.parkNanos(random.nextLong(150_000_000)); // the scenario: a pause in the churn
                }
            }
            fanOut.close(EndReason.STREAM_ENDED, Duration.ofSeconds(10));
            assertThat(members).hasSizeGreaterThan(3);
            for (Member member : members) {
                StreamExpectation expectation = member.joinedAt == 0 && !member.left
                        ? StreamExpectation.fromAnEntryPoint()
                        : StreamExpectation.fromAnEntryPoint().allowingNoData();
                // A player who left may have been closed in the middle of a chunk its socket took
                // part of: what it was handed is what it received and the part not yet sent.
                ORACLE.verify(member.left ? member.sink.bytesWithKeptRest() : member.sink.bytes(), expectation);
                assertThat(member.sink.overlappingCalls()).as("seed %d: calls at once", seed).isZero();
                handedOut += member.sink.tryWrites();
            }
            Member first = members.get(0);
            if (!first.left) {
                assertThat(first.sink.bytes()).as("seed %d: the first player got everything", seed).isEqualTo(TWICE);
            }
        }
        if (writeThrough) {
            assertThat(handedOut).as("chunks handed out").isPositive();
        }
    }

    private static void leaveOne(List<Member> members, Random random) {
        List<Member> present = members.stream().filter(m -> !m.left).toList();
        if (present.size() > 1) {
            Member leaving = present.get(1 + random.nextInt(present.size() - 1));
            leaving.writer.close(EndReason.CLIENT_CLOSED);
            leaving.left = true;
        }
    }

    /** Feeds the fan-out as the pump does: packetised ragged reads, now and then a pause. */
    private static void pump(FanOut fanOut, Random random, byte[] source, boolean pauses) throws IOException {
        TsPacketizer packetizer = new TsPacketizer(new RaggedInput(source, random.nextLong()));
        for (Chunk chunk = packetizer.next(); chunk != null; chunk = packetizer.next()) {
            fanOut.write(chunk);
            if (pauses && random.nextInt(20) == 0) {
                // Long enough, now and then, for the flusher to hand out what is held.
                LockSupport.parkNanos(random.nextLong(150_000_000));
            }
        }
    }

    private FanOut production() {
        FanOut fanOut = new FanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DEFAULT,
                CoalescePolicy.DEFAULT);
        fanOuts.add(fanOut);
        return fanOut;
    }

    private static byte[] twice(byte[] clip) {
        byte[] out = Arrays.copyOf(clip, clip.length * 2);
        System.arraycopy(clip, 0, out, clip.length, clip.length);
        return out;
    }

    /** A player of the stateful test. */
    private static final class Member {
        final ScriptedSink sink;
        final long joinedAt;
        Player writer;
        boolean left;

        private Member(long joinedAt, long writeThroughSeed) {
            this.joinedAt = joinedAt;
            this.sink = writeThroughSeed < 0 ? ScriptedSink.recording()
                    : ScriptedSink.recording().writingThrough(writeThroughSeed);
        }

        /** A player joining after {@code chunks}; written through from the seed, unless it is negative. */
        static Member join(FanOut fanOut, long chunks, long writeThroughSeed) {
            Member member = new Member(chunks, writeThroughSeed);
            member.writer = fanOut.add(member.sink);
            return member;
        }
    }
}

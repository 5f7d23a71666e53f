package dev.aceproxy.fanout;

import dev.aceproxy.fanout.internal.Player;
import dev.aceproxy.fanout.internal.FanOut;
import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.oracle.StreamCheck;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.Clip;
import dev.aceproxy.ts.internal.FastStartIndex;
import dev.aceproxy.ts.FastStartPolicy;
import dev.aceproxy.ts.Ffmpeg;
import dev.aceproxy.ts.TsPackets;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class FanOutTest {

    private static final int PACKETS_PER_CHUNK = 7;
    private static final Duration LONG_DRAIN = Duration.ofSeconds(10);

    private final byte[] clip = Clip.bytes();
    private final List<FanOut> fanOuts = new ArrayList<>();

    @AfterEach
    void closeFanOuts() throws Exception {
        for (FanOut fanOut : fanOuts) {
            fanOut.close(EndReason.SHUTDOWN, Duration.ofMillis(100));
        }
        LiveThreads.awaitNone("aceproxy-writer-");
        LiveThreads.awaitNone("aceproxy-fanout-watchdog-");
    }

    /** A fan-out that hands out every chunk as it comes: join points and skips are per chunk here. */
    private FanOut fanOut(PlayerPolicy policy, FastStartPolicy fastStart) {
        FanOut fanOut = new FanOut(policy, fastStart, CoalescePolicy.DISABLED);
        fanOuts.add(fanOut);
        return fanOut;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 1000})
    void everyWriterReceivesExactlyTheStreamFromItsJoinPoint(int writerCount) {
        byte[] source = writerCount > 10 ? Arrays.copyOf(clip, 2000 * 188) : clip;
        List<Chunk> chunks = Clip.chunks(source, PACKETS_PER_CHUNK);
        FanOut fanOut = fanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DISABLED);
        List<ScriptedSink> sinks = new ArrayList<>();
        List<Player> writers = new ArrayList<>();
        int[] joinedAt = new int[writerCount];
        int next = 0;
        for (int index = 0; index < chunks.size(); index++) {
            while (next < writerCount && (long) next * chunks.size() / writerCount <= index) {
                ScriptedSink sink = writerCount > 10 ? ScriptedSink.checksumming() : ScriptedSink.recording();
                sinks.add(sink);
                writers.add(fanOut.add(sink));
                joinedAt[next++] = index * PACKETS_PER_CHUNK * 188;
            }
            fanOut.write(chunks.get(index));
        }

        fanOut.close(EndReason.STREAM_ENDED, LONG_DRAIN);

        for (int i = 0; i < writerCount; i++) {
            ScriptedSink sink = sinks.get(i);
            byte[] expected = Arrays.copyOfRange(source, joinedAt[i], source.length);
            if (writerCount > 10) {
                CRC32 crc = new CRC32();
                crc.update(expected);
                assertThat(sink.received()).as("writer %d bytes", i).isEqualTo(expected.length);
                assertThat(sink.crc()).as("writer %d checksum", i).isEqualTo(crc.getValue());
            } else {
                assertThat(sink.bytes()).as("writer %d", i).isEqualTo(expected);
            }
            assertThat(sink.closes()).as("writer %d closes", i).isEqualTo(1);
            assertThat(writers.get(i).ended()).isCompletedWithValue(EndReason.STREAM_ENDED);
            assertThat(writers.get(i).stats().bytesWritten()).isEqualTo(expected.length);
        }
        assertThat(fanOut.playerCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void playersAreHandedBytesOutsideTheHeapWhateverTheEngineReadsWere(boolean gathering) {
        List<Chunk> chunks = Clip.chunks(Arrays.copyOf(clip, 600 * 188), PACKETS_PER_CHUNK);
        assertThat(chunks.get(0).buffer().isDirect()).as("the source chunks are heap chunks").isFalse();
        FanOut fanOut = new FanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DEFAULT,
                gathering ? CoalescePolicy.DEFAULT : CoalescePolicy.DISABLED);
        fanOuts.add(fanOut);
        List<ScriptedSink> sinks = List.of(ScriptedSink.recording(), ScriptedSink.recording());
        for (ScriptedSink sink : sinks) {
            fanOut.add(sink);
        }
        for (Chunk chunk : chunks) {
            fanOut.write(chunk);
        }
        ScriptedSink late = ScriptedSink.recording();
        fanOut.add(late);
        fanOut.close(EndReason.STREAM_ENDED, LONG_DRAIN);

        for (ScriptedSink sink : sinks) {
            assertThat(sink.bytes()).isEqualTo(Arrays.copyOf(clip, 600 * 188));
            assertThat(sink.heapWrites()).as("writes from the heap").isZero();
        }
        assertThat(late.received()).as("the late joiner's fast start").isPositive();
        assertThat(late.heapWrites()).as("the late joiner's fast start from the heap").isZero();
    }

    @Test
    void aPlayerWhoseSocketTakesEveryChunkIsWrittenByTheHandingOutThreadWhileItsWriterWaits() throws Exception {
        List<Chunk> chunks = Clip.chunks(Arrays.copyOf(clip, 700 * 188), PACKETS_PER_CHUNK);
        FanOut fanOut = fanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DISABLED);
        ScriptedSink sink = ScriptedSink.recording().writingThroughWhole();
        fanOut.add(sink);
        // Until its writer first waits for work, the writer writes; then the hand-outs begin.
        int index = 0;
        while (sink.tryWrites() == 0) {
            assertThat(index).as("chunks before the first hand-out").isLessThan(50);
            long before = sink.received();
            Chunk chunk = chunks.get(index++);
            fanOut.write(chunk);
            Eventually.within(Duration.ofSeconds(5), "the chunk written",
                    () -> sink.received() >= before + chunk.length());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // the writer goes back to waiting
        }
        int writesByTheWriter = sink.writes();
        int handedOutBefore = sink.tryWrites();
        int rest = chunks.size() - index;
        for (; index < chunks.size(); index++) {
            fanOut.write(chunks.get(index));
        }
        // Every later chunk went out from this thread as it was handed out, none from the writer.
        assertThat(sink.writes()).as("writes by the player's thread").isEqualTo(writesByTheWriter);
        assertThat(sink.tryWrites() - handedOutBefore).as("chunks handed out").isEqualTo(rest);
        fanOut.close(EndReason.STREAM_ENDED, LONG_DRAIN);
        assertThat(sink.bytes()).isEqualTo(Arrays.copyOf(clip, 700 * 188));
        assertThat(sink.overlappingCalls()).isZero();
    }

    @Test
    void aLateJoinerStartsWithTablesThenAKeyframeAndDecodesCleanly(@TempDir Path dir) throws Exception {
        List<Chunk> chunks = Clip.chunks(clip, PACKETS_PER_CHUNK);
        FanOut fanOut = fanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DEFAULT);
        FastStartIndex reference = new FastStartIndex(FastStartPolicy.DEFAULT);
        ScriptedSink early = ScriptedSink.recording();
        fanOut.add(early);
        int joinChunk = 777;
        ScriptedSink late = null;
        byte[] startSequence = null;
        for (int index = 0; index < chunks.size(); index++) {
            if (index == joinChunk) {
                startSequence = concat(reference.startSequence());
                late = ScriptedSink.recording();
                fanOut.add(late);
            }
            reference.observe(chunks.get(index));
            fanOut.write(chunks.get(index));
        }

        fanOut.close(EndReason.STREAM_ENDED, LONG_DRAIN);

        byte[] output = late.bytes();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(startSequence);
        expected.write(clip, joinChunk * PACKETS_PER_CHUNK * 188, clip.length - joinChunk * PACKETS_PER_CHUNK * 188);
        assertThat(output).isEqualTo(expected.toByteArray());
        assertThat(Clip.pid(output, 0)).isEqualTo(TsPackets.PAT_PID);
        assertThat(Clip.pid(output, 1)).isEqualTo(Clip.PMT_PID);
        assertThat(Clip.pid(output, 2)).isEqualTo(Clip.VIDEO_PID);
        assertThat(Clip.randomAccess(output, 2)).isTrue();
        assertThat(early.bytes()).isEqualTo(clip);
        Ffmpeg.assumeAvailable();
        assertThat(Ffmpeg.decodeErrors(output, dir)).isEmpty();
    }

    @Test
    void aClientWhoJoinsAfterTheFirstChunkButBeforeAnyKeyframeGetsTheStreamFromItsFirstByte() {
        // The registry attaches the players who waited for a session's start once its first chunk
        // went out: they must still get the stream's first byte, tables included.
        FanOut fanOut = new FanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DEFAULT,
                CoalescePolicy.DEFAULT);
        fanOuts.add(fanOut);
        List<Chunk> chunks = Clip.chunks(clip, 11);
        assertThat(Clip.keyframePackets(clip).get(0)).as("the first chunk holds no keyframe").isGreaterThan(11);
        fanOut.write(chunks.get(0));
        ScriptedSink waited = ScriptedSink.recording();
        fanOut.add(waited);
        chunks.subList(1, chunks.size()).forEach(fanOut::write);
        fanOut.close(EndReason.STREAM_ENDED, LONG_DRAIN);
        assertThat(waited.bytes()).isEqualTo(clip);
    }

    @Test
    void aClientWhoJoinsAfterARestartButBeforeItsFirstKeyframeGetsWhatTheOthersGotInOrder() {
        FanOut fanOut = new FanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DEFAULT,
                CoalescePolicy.DEFAULT);
        fanOuts.add(fanOut);
        ScriptedSink early = ScriptedSink.recording();
        fanOut.add(early);
        List<Chunk> chunks = Clip.chunks(clip, 11);
        chunks.subList(0, 300).forEach(fanOut::write);
        fanOut.upstreamRestarted();
        fanOut.write(chunks.get(0));
        ScriptedSink joiner = ScriptedSink.recording();
        fanOut.add(joiner);
        chunks.subList(1, 200).forEach(fanOut::write);
        fanOut.close(EndReason.STREAM_ENDED, LONG_DRAIN);
        StreamOracle oracle = StreamOracle.of(clip);
        oracle.verify(early.bytes(), StreamExpectation.fromAnEntryPoint().allowingRecoveries(1));
        StreamCheck check = oracle.verify(joiner.bytes(), StreamExpectation.fromAnEntryPoint());
        assertThat(check.segments()).singleElement().satisfies(s -> assertThat(s.tablesBefore()).isEqualTo(2));
    }

    @Test
    void aClientWhoJoinsWhenNoCleanStartIsHeldWaitsForTheNextKeyframe() {
        // 32 KiB of fast start: the stream since its start and the latest keyframe soon exceed it.
        FastStartPolicy small = new FastStartPolicy(true, FastStartPolicy.DEFAULT_WINDOW, 32 * 1024);
        FanOut fanOut = new FanOut(PlayerPolicy.DEFAULT, small, CoalescePolicy.DEFAULT);
        fanOuts.add(fanOut);
        List<Chunk> chunks = Clip.chunks(clip, PACKETS_PER_CHUNK);
        List<Integer> keyframes = Clip.keyframePackets(clip);
        int joinChunk = (keyframes.get(1) + 400) / PACKETS_PER_CHUNK;
        ScriptedSink late = ScriptedSink.recording();
        for (int i = 0; i < chunks.size(); i++) {
            if (i == joinChunk) {
                assertThat(fanOut.keyframeStartHeld(small.maxBytes())).as("no keyframe start held").isFalse();
                fanOut.add(late);
            }
            fanOut.write(chunks.get(i));
        }
        fanOut.close(EndReason.STREAM_ENDED, LONG_DRAIN);
        StreamCheck check = StreamOracle.of(clip).verify(late.bytes(), StreamExpectation.fromAnEntryPoint());
        assertThat(check.segments().get(0).tablesBefore()).as("resent tables before the keyframe").isEqualTo(2);
        assertThat(check.segments().get(0).sourcePacket()).isGreaterThan(joinChunk * PACKETS_PER_CHUNK);
    }

    @Test
    void theClientsAreBackedUpOnlyWhileEveryOpenOneHasHalfItsQueueWaiting() throws Exception {
        FanOut fanOut = fanOut(PlayerPolicy.DEFAULT.withMaxQueuedBytes(40 * 188), FastStartPolicy.DISABLED);
        assertThat(fanOut.clientsBackedUp()).as("no client").isFalse();
        ScriptedSink stuck = ScriptedSink.recording().blockingForever();
        fanOut.add(stuck);
        List<Chunk> chunks = Clip.chunks(clip, 5);
        fanOut.write(chunks.get(0));
        Eventually.within(Duration.ofSeconds(5), "the stuck client inside its first write", () -> stuck.writes() == 1);
        // The chunk inside the blocked write counts until it is written.
        fanOut.write(chunks.get(1));
        fanOut.write(chunks.get(2));
        assertThat(fanOut.clientsBackedUp()).as("15 of 40 packets waiting").isFalse();
        fanOut.write(chunks.get(3));
        assertThat(fanOut.clientsBackedUp()).as("20 of 40 packets waiting").isTrue();
        ScriptedSink fast = ScriptedSink.recording();
        fanOut.add(fast);
        assertThat(fanOut.clientsBackedUp()).as("a client with room").isFalse();
    }

    @Test
    void aBlockedClientIsDisconnectedWithoutSlowingTheOthers() throws Exception {
        FanOut fanOut = fanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DEFAULT);
        ScriptedSink stuck = ScriptedSink.recording().blockingForever();
        Player stuckWriter = fanOut.add(stuck, PlayerPolicy.DEFAULT.withMaxQueuedBytes(256 * 1024));
        List<ScriptedSink> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            others.add(ScriptedSink.recording());
            fanOut.add(others.get(i));
        }

        for (Chunk chunk : Clip.chunks(clip, PACKETS_PER_CHUNK)) {
            fanOut.write(chunk);
        }

        Eventually.within(Duration.ofSeconds(10), "every other client received the clip",
                () -> others.stream().allMatch(s -> s.received() == clip.length));
        for (ScriptedSink other : others) {
            assertThat(other.bytes()).isEqualTo(clip);
        }
        assertThat(stuckWriter.ended().get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.OVERFLOW);
        assertThat(stuckWriter.isOpen()).isFalse();
        assertThat(stuck.closes()).isEqualTo(1);
        assertThat(fanOut.playerCount()).isEqualTo(5);
    }

    @Test
    void aBlockedClientSkipsToLiveThenIsCutOffWhenItStaysStalled() throws Exception {
        FanOut fanOut = fanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DEFAULT);
        ScriptedSink stuck = ScriptedSink.recording().blockingForever();
        // the stall timeout outlasts offering the whole clip, even on a loaded machine, so every skip is counted
        Player stuckWriter = fanOut.add(stuck, new PlayerPolicy(64 * 1024, OverflowPolicy.SKIP_TO_LIVE,
                Duration.ofSeconds(1)));
        ScriptedSink other = ScriptedSink.recording();
        fanOut.add(other);

        List<Chunk> chunks = Clip.chunks(clip, PACKETS_PER_CHUNK);
        fanOut.write(chunks.get(0));
        // the stuck client is inside its first write before the flood (on a loaded machine its thread
        // may otherwise start only after everything was skipped, and then it is idle, not stalled)
        Eventually.within(Duration.ofSeconds(10), "the stuck client inside its first write", () -> stuck.writes() == 1);
        for (Chunk chunk : chunks.subList(1, chunks.size())) {
            fanOut.write(chunk);
        }

        Eventually.within(Duration.ofSeconds(10), "the other client received the clip", () -> other.received() == clip.length);
        assertThat(other.bytes()).isEqualTo(clip);
        assertThat(stuckWriter.stats().chunksSkipped()).isPositive();
        assertThat(stuckWriter.stats().bytesSkipped()).isGreaterThan(clip.length - 2L * 64 * 1024);
        assertThat(stuckWriter.stats().bytesQueued()).isLessThanOrEqualTo(64 * 1024);
        assertThat(stuckWriter.ended().get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.STALLED);
        assertThat(stuck.closes()).isEqualTo(1);
    }

    @Test
    void aSlowClientSkipsToLiveAndResumesAtAKeyframeWithTables() throws Exception {
        FanOut fanOut = fanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DEFAULT);
        ScriptedSink slow = ScriptedSink.recording().sleepingPerWrite(3);
        // The bound exceeds the clip's GOP (about 210 KB), so a skipping writer waits for the next keyframe.
        Player slowWriter = fanOut.add(slow, new PlayerPolicy(256 * 1024, OverflowPolicy.SKIP_TO_LIVE,
                Duration.ofSeconds(10)));

        // Paced at several times what the client takes, so it keeps falling behind and catching up.
        List<Chunk> chunks = Clip.chunks(clip, PACKETS_PER_CHUNK);
        for (int index = 0; index < chunks.size(); index++) {
            fanOut.write(chunks.get(index));
            if (index % 2 == 1) {
                Thread.sleep(1); // paces the source (the scenario), not a wait
            }
        }
        fanOut.close(EndReason.STREAM_ENDED, LONG_DRAIN);

        byte[] output = slow.bytes();
        assertThat(slowWriter.ended()).isCompletedWithValue(EndReason.STREAM_ENDED);
        assertThat(slowWriter.stats().chunksSkipped()).isPositive();
        assertThat(output.length % 188).isZero();
        for (int packet = 0; packet < output.length / 188; packet++) {
            assertThat(output[packet * 188]).isEqualTo((byte) 0x47);
        }
        assertThat(resumedKeyframes(output, clip)).as("keyframes the client resumed at, after tables")
                .isPositive();
        assertThat(slow.closes()).isEqualTo(1);
    }

    @Test
    void theWatchdogDisconnectsAStalledWrite() throws Exception {
        FanOut fanOut = fanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DEFAULT);
        ScriptedSink stuck = ScriptedSink.recording().blockingForever();
        Player writer = fanOut.add(stuck, PlayerPolicy.DEFAULT.withStallTimeout(Duration.ofMillis(150)));

        fanOut.write(Chunk.wrap(clip, 0, 7 * 188));

        assertThat(writer.ended().get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.STALLED);
        assertThat(stuck.closes()).isEqualTo(1);
        assertThat(fanOut.playerCount()).isZero();
    }

    @Test
    void overflowDisconnectsByDefault() throws Exception {
        FanOut fanOut = fanOut(PlayerPolicy.DEFAULT.withMaxQueuedBytes(10 * 188), FastStartPolicy.DISABLED);
        ScriptedSink stuck = ScriptedSink.recording().blockingForever();
        Player writer = fanOut.add(stuck);

        for (int packet = 0; packet < 20; packet++) {
            fanOut.write(Chunk.wrap(clip, packet * 188, 188));
        }

        assertThat(writer.ended().get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.OVERFLOW);
        assertThat(writer.stats().endReason()).contains(EndReason.OVERFLOW);
        assertThat(stuck.closes()).isEqualTo(1);
        assertThat(fanOut.playerCount()).isZero();
    }

    @Test
    void closeDrainsQueuesWithinTheDeadlineAndCutsOffTheRest() throws Exception {
        FanOut fanOut = fanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DISABLED);
        ScriptedSink slow = ScriptedSink.recording().sleepingPerWrite(2);
        ScriptedSink stuck = ScriptedSink.recording().blockingForever();
        Player slowWriter = fanOut.add(slow);
        Player stuckWriter = fanOut.add(stuck);
        byte[] part = Arrays.copyOf(clip, 280 * 188);
        for (Chunk chunk : Clip.chunks(part, PACKETS_PER_CHUNK)) {
            fanOut.write(chunk);
        }

        fanOut.close(EndReason.SHUTDOWN, Duration.ofSeconds(5));

        assertThat(slow.bytes()).isEqualTo(part);
        assertThat(slowWriter.ended()).isCompletedWithValue(EndReason.SHUTDOWN);
        assertThat(stuckWriter.ended()).isCompletedWithValue(EndReason.SHUTDOWN);
        assertThat(slow.closes()).isEqualTo(1);
        assertThat(stuck.closes()).isEqualTo(1);
        assertThatThrownBy(() -> fanOut.add(ScriptedSink.recording())).isInstanceOf(IllegalStateException.class);
        fanOut.write(Chunk.wrap(clip, 0, 188));
        fanOut.close();
        assertThat(slow.closes()).isEqualTo(1);
    }

    @Test
    void aFailingSinkEndsOnlyItsOwnWriter() throws Exception {
        FanOut fanOut = fanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DISABLED);
        ScriptedSink reset = ScriptedSink.recording().failingOnWrite(3, null);
        ScriptedSink buggy = ScriptedSink.recording().failingOnWrite(2, new IllegalStateException("bug"));
        ScriptedSink healthy = ScriptedSink.recording();
        Player resetWriter = fanOut.add(reset);
        Player buggyWriter = fanOut.add(buggy);
        fanOut.add(healthy);
        byte[] part = Arrays.copyOf(clip, 700 * 188);

        for (Chunk chunk : Clip.chunks(part, PACKETS_PER_CHUNK)) {
            fanOut.write(chunk);
        }

        assertThat(resetWriter.ended().get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.CLIENT_CLOSED);
        assertThat(buggyWriter.ended().get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.CLIENT_FAILED);
        fanOut.close(EndReason.STREAM_ENDED, LONG_DRAIN);
        assertThat(healthy.bytes()).isEqualTo(part);
        assertThat(reset.closes()).isEqualTo(1);
        assertThat(buggy.closes()).isEqualTo(1);
        assertThat(healthy.closes()).isEqualTo(1);
    }

    @ParameterizedTest(name = "gathering {0}")
    @ValueSource(booleans = {false, true})
    void writersAddedAndRemovedDuringWritesSeeNoGapAndNoDuplicate(boolean gathering) throws Exception {
        FanOut fanOut = new FanOut(PlayerPolicy.DEFAULT.withMaxQueuedBytes(64L * 1024 * 1024),
                FastStartPolicy.DISABLED, gathering ? CoalescePolicy.DEFAULT : CoalescePolicy.DISABLED);
        fanOuts.add(fanOut);
        int total = 20_000;
        List<SerialSink> sinks = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Player> stayers = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Player> removed = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean pumping = new AtomicBoolean(true);
        Thread churn = Thread.ofVirtual().name("test-churn").start(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            List<Player> live = new ArrayList<>();
            while (pumping.get()) {
                SerialSink sink = new SerialSink();
                sinks.add(sink);
                Player writer = fanOut.add(sink);
                if (random.nextInt(4) == 0) {
                    stayers.add(writer);
                } else {
                    live.add(writer);
                }
                if (live.size() > 10) {
                    Player gone = live.remove(random.nextInt(live.size()));
                    gone.close(EndReason.REMOVED);
                    removed.add(gone);
                }
                try {
                    Thread.sleep(1); // paces the churn against the writes (the scenario)
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int writes = 0;
        int serial = 0;
        // At least `total` packets, and on until the churn has both kept and removed writers.
        while (serial < total || stayers.size() < 4 || removed.size() < 3) {
            // Mostly tiny writes, now and then one of a third to a whole gathering target.
            int count = random.nextInt(10) == 0 ? 120 + random.nextInt(230) : 1 + random.nextInt(5);
            fanOut.write(serialPackets(serial, count));
            serial += count;
            if (++writes % 50 == 0) {
                Thread.sleep(1); // paces the source so the churn interleaves with it
            }
        }
        pumping.set(false);
        churn.join();
        int lastSerial = serial - 1;

        fanOut.close(EndReason.STREAM_ENDED, LONG_DRAIN);

        assertThat(stayers).hasSizeGreaterThan(3);
        assertThat(removed).isNotEmpty();
        for (SerialSink sink : sinks) {
            assertThat(sink.breaks).as("gaps or duplicates: %s", sink.firstBreak).isZero();
            assertThat(sink.closes.get()).isEqualTo(1);
        }
        for (Player stayer : stayers) {
            assertThat(stayer.ended()).isCompletedWithValue(EndReason.STREAM_ENDED);
        }
        assertThat(sinks.stream().filter(s -> s.last == lastSerial).count())
                .as("sinks that received the last packet")
                .isGreaterThanOrEqualTo(stayers.stream().filter(w -> w.stats().bytesWritten() > 0).count());
        for (Player gone : removed) {
            assertThat(gone.ended().get(5, TimeUnit.SECONDS)).isEqualTo(EndReason.REMOVED);
        }
    }

    /** Checks on the fly that the packets it receives carry consecutive serial numbers. */
    private static final class SerialSink implements ClientSink {
        final java.util.concurrent.atomic.AtomicInteger closes = new java.util.concurrent.atomic.AtomicInteger();
        volatile int last = -1;
        volatile int breaks;
        volatile String firstBreak;

        @Override
        public void write(java.nio.ByteBuffer packets) throws java.io.IOException {
            if (closes.get() > 0) {
                throw new java.io.IOException("closed");
            }
            for (int at = packets.position(); at < packets.limit(); at += 188) {
                int serial = packets.getInt(at + 4);
                if (last >= 0 && serial != last + 1) {
                    if (breaks == 0) {
                        firstBreak = "after " + last + " came " + serial + " (write of " + (packets.remaining() / 188) + " packets, at packet " + ((at - packets.position()) / 188) + ")";
                    }
                    breaks++;
                }
                last = serial;
            }
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Test
    void keepaliveReachesEveryoneButIsNotReplayed() throws Exception {
        FanOut fanOut = fanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DEFAULT);
        ScriptedSink first = ScriptedSink.recording();
        fanOut.add(first);
        byte[] part = Arrays.copyOf(clip, 3000 * 188);
        for (Chunk chunk : Clip.chunks(part, PACKETS_PER_CHUNK)) {
            fanOut.write(chunk);
        }
        fanOut.writeKeepalive(TsPackets.nullPackets(3));
        ScriptedSink late = ScriptedSink.recording();
        fanOut.add(late);

        fanOut.close(EndReason.STREAM_FAILED, LONG_DRAIN);

        byte[] firstOutput = first.bytes();
        assertThat(firstOutput).hasSize(part.length + 3 * 188);
        assertThat(Clip.pid(firstOutput, part.length / 188)).isEqualTo(TsPackets.NULL_PID);
        byte[] lateOutput = late.bytes();
        assertThat(Clip.pid(lateOutput, lateOutput.length / 188 - 1)).isNotEqualTo(TsPackets.NULL_PID);
        assertThat(Clip.pid(lateOutput, 0)).isEqualTo(TsPackets.PAT_PID);
    }

    @Test
    void afterAnUpstreamRestartEveryoneGetsTheTablesFirst() throws Exception {
        FanOut fanOut = fanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DEFAULT);
        ScriptedSink sink = ScriptedSink.recording();
        fanOut.add(sink);
        byte[] part = Arrays.copyOf(clip, 2000 * 188);
        for (Chunk chunk : Clip.chunks(part, PACKETS_PER_CHUNK)) {
            fanOut.write(chunk);
        }

        fanOut.upstreamRestarted();
        assertThat(fanOut.keyframeStartHeld(Long.MAX_VALUE)).isFalse();
        fanOut.write(Chunk.wrap(clip, 5000 * 188, 7 * 188));
        fanOut.close(EndReason.STREAM_ENDED, LONG_DRAIN);

        byte[] output = sink.bytes();
        int after = part.length / 188;
        assertThat(output).hasSize(part.length + 2 * 188 + 7 * 188);
        assertThat(Clip.pid(output, after)).isEqualTo(TsPackets.PAT_PID);
        assertThat(Clip.pid(output, after + 1)).isEqualTo(Clip.PMT_PID);
    }

    @Test
    void statsDescribeEachWriter() throws Exception {
        FanOut fanOut = fanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DISABLED);
        Player writer = fanOut.add(ScriptedSink.recording());
        fanOut.write(Chunk.wrap(clip, 0, 70 * 188));
        Eventually.within(Duration.ofSeconds(5), "70 packets written", () -> writer.stats().bytesWritten() == 70 * 188);

        List<PlayerStats> stats = fanOut.stats();

        assertThat(stats).hasSize(1);
        assertThat(stats.get(0).id()).isEqualTo(writer.id());
        assertThat(stats.get(0).bytesWritten()).isEqualTo(70 * 188);
        assertThat(stats.get(0).bytesQueued()).isZero();
        assertThat(stats.get(0).endReason()).isEmpty();
        assertThat(stats.get(0).connectedSince()).isBeforeOrEqualTo(java.time.Instant.now());
        writer.close(EndReason.REMOVED);
        assertThat(fanOut.playerCount()).isZero();
        assertThat(writer.stats().endReason()).contains(EndReason.REMOVED);
    }

    @Test
    void policiesValidate() {
        assertThatThrownBy(() -> new PlayerPolicy(100, OverflowPolicy.DISCONNECT, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlayerPolicy(1 << 20, OverflowPolicy.DISCONNECT, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FastStartPolicy(true, Duration.ofSeconds(-1), 1 << 20))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(PlayerPolicy.DEFAULT.overflow()).isEqualTo(OverflowPolicy.DISCONNECT);
        assertThat(PlayerPolicy.DEFAULT.maxQueuedBytes()).isEqualTo(4L * 1024 * 1024);
    }

    /**
     * Counts keyframes in {@code output} directly preceded by a PAT and a PMT where the source
     * did not have them so: the points where a skipping client was resumed.
     */
    private static long resumedKeyframes(byte[] output, byte[] source) {
        java.util.Set<java.nio.ByteBuffer> alreadyAdjacent = new java.util.HashSet<>();
        for (int packet : tablesThenKeyframe(source)) {
            alreadyAdjacent.add(java.nio.ByteBuffer.wrap(source, packet * 188, 188).slice());
        }
        return tablesThenKeyframe(output).stream()
                .filter(p -> !alreadyAdjacent.contains(java.nio.ByteBuffer.wrap(output, p * 188, 188).slice()))
                .count();
    }

    private static List<Integer> tablesThenKeyframe(byte[] data) {
        List<Integer> found = new ArrayList<>();
        for (int packet = 2; packet < data.length / 188; packet++) {
            if (Clip.pid(data, packet - 2) == TsPackets.PAT_PID && Clip.pid(data, packet - 1) == Clip.PMT_PID
                    && Clip.pid(data, packet) == Clip.VIDEO_PID && Clip.randomAccess(data, packet)) {
                found.add(packet);
            }
        }
        return found;
    }

    private static Chunk serialPackets(int first, int count) {
        byte[] bytes = new byte[count * 188];
        for (int i = 0; i < count; i++) {
            int at = i * 188;
            bytes[at] = 0x47;
            bytes[at + 1] = 0x01;
            bytes[at + 3] = 0x10;
            int serial = first + i;
            bytes[at + 4] = (byte) (serial >>> 24);
            bytes[at + 5] = (byte) (serial >>> 16);
            bytes[at + 6] = (byte) (serial >>> 8);
            bytes[at + 7] = (byte) serial;
        }
        return Chunk.wrap(bytes);
    }

    private static int serial(byte[] data, int packet) {
        int at = packet * 188;
        return ((data[at + 4] & 0xFF) << 24) | ((data[at + 5] & 0xFF) << 16)
                | ((data[at + 6] & 0xFF) << 8) | (data[at + 7] & 0xFF);
    }

    private static byte[] concat(List<Chunk> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Chunk chunk : chunks) {
            byte[] bytes = new byte[chunk.length()];
            chunk.copyTo(bytes, 0);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }
}

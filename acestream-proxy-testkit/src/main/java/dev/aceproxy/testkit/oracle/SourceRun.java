package dev.aceproxy.testkit.oracle;

/**
 * A run of received packets that follows the source with no jump.
 *
 * @param receivedPacket the run's first packet in what the player received, null packets counted
 * @param packets how many source packets the run holds, null packets not counted
 * @param sourcePacket where the run starts in the source, null packets counted
 * @param tablesBefore program-table packets the player got just before the run that are not
 *     part of it (the proxy resends PAT and PMT after a recovery and to a late joiner)
 * @param cleanEntry whether a decoder can start at the run: it starts on the tables and a
 *     keyframe, or on a keyframe right after resent tables
 */
public record SourceRun(long receivedPacket, long packets, int sourcePacket, int tablesBefore, boolean cleanEntry) {

    /**
     * Returns where the run starts in what the player received.
     *
     * @return a byte offset
     */
    public long receivedByte() {
        return receivedPacket * TsFields.PACKET_SIZE;
    }

    @Override
    public String toString() {
        return "run at received byte " + receivedByte() + " (packet " + receivedPacket + "): " + packets
                + " packets from source packet " + sourcePacket
                + (tablesBefore > 0 ? ", after " + tablesBefore + " resent table packets" : "")
                + (cleanEntry ? ", clean entry" : ", NOT a clean entry");
    }
}

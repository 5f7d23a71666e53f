package dev.aceproxy.jetty.playlist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads a source's bytes, bounded in size and, for urls, in time. A url is fetched with
 * {@code Connection: close} on the calling thread, so that nothing outlives the call (no
 * keep-alive cache, no client threads). Stateless.
 */
final class PlaylistReader {

    private static final int CHUNK = 64 * 1024;

    private PlaylistReader() {
    }

    /**
     * Reads a source.
     *
     * @param source the source
     * @param timeout for a url: the connect timeout, the read timeout and the whole fetch's bound
     * @param maxBytes the most bytes accepted
     * @return the bytes
     * @throws PlaylistLoadException if the file is missing or unreadable, the url does not answer
     *     {@code 200} in time, or the source is larger than {@code maxBytes}
     */
    static byte[] read(PlaylistSource source, Duration timeout, long maxBytes) throws PlaylistLoadException {
        if (!source.remote()) {
            return readFile(source, maxBytes);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpURLConnection connection = null;
        try {
            URLConnection opened = source.location().toURL().openConnection();
            connection = (HttpURLConnection) opened;
            connection.setConnectTimeout((int) Math.max(1, timeout.toMillis()));
            connection.setReadTimeout((int) Math.max(1, timeout.toMillis()));
            connection.setInstanceFollowRedirects(true);
            connection.setUseCaches(false);
            connection.setRequestProperty("Connection", "close");
            connection.setRequestProperty("Accept", "audio/x-mpegurl, application/x-mpegurl, */*");
            int status = connection.getResponseCode();
            if (status != 200) {
                throw new PlaylistLoadException("playlist " + source.name() + ": the url answered " + status, null);
            }
            long declared = connection.getContentLengthLong();
            if (declared > maxBytes) {
                throw tooBig(source, maxBytes);
            }
            try (InputStream in = connection.getInputStream()) {
                return readBounded(in, source, maxBytes, deadline);
            }
        } catch (PlaylistLoadException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new PlaylistLoadException("playlist " + source.name() + ": the url did not answer ("
                    + e.getClass().getSimpleName() + ")", e);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private static byte[] readFile(PlaylistSource source, long maxBytes) throws PlaylistLoadException {
        Path file = Path.of(source.location());
        try {
            if (Files.size(file) > maxBytes) {
                throw tooBig(source, maxBytes);
            }
            try (InputStream in = Files.newInputStream(file)) {
                return readBounded(in, source, maxBytes, Long.MAX_VALUE);
            }
        } catch (NoSuchFileException e) {
            throw new PlaylistLoadException("playlist " + source.name() + ": no such file " + file, e);
        } catch (PlaylistLoadException e) {
            throw e;
        } catch (IOException e) {
            throw new PlaylistLoadException("playlist " + source.name() + ": cannot read " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private static byte[] readBounded(InputStream in, PlaylistSource source, long maxBytes, long deadline)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[CHUNK];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (out.size() + (long) n > maxBytes) {
                throw tooBig(source, maxBytes);
            }
            out.write(buffer, 0, n);
            if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) {
                throw new PlaylistLoadException("playlist " + source.name() + ": the url took too long to send it",
                        null);
            }
        }
        return out.toByteArray();
    }

    private static PlaylistLoadException tooBig(PlaylistSource source, long maxBytes) {
        return new PlaylistLoadException("playlist " + source.name() + " is larger than " + maxBytes + " bytes", null);
    }
}

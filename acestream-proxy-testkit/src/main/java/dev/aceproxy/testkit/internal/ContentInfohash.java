package dev.aceproxy.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** The fake engine's deterministic mapping from a content id to its infohash. */
public final class ContentInfohash {

    private ContentInfohash() {
    }

    /**
     * The infohash the fake engine gives a content id: the SHA-1 of its lower-case text, in hex.
     *
     * @param contentId a content id
     * @return 40 lower-case hexadecimal characters
     */
    public static String of(String contentId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest(contentId.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}

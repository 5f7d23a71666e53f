package dev.aceproxy.jetty.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A shared secret checked in constant time: both sides are hashed to a fixed length and compared
 * with {@link MessageDigest#isEqual(byte[], byte[])}, so neither the content nor the length of the
 * token leaks through timing. {@link #toString()} never shows it.
 */
public final class AccessToken {

    private final byte[] digest;

    /**
     * Creates the token.
     *
     * @param secret the token's text
     * @throws IllegalArgumentException if the secret is empty
     */
    public AccessToken(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("the access token must not be empty");
        }
        this.digest = sha256(secret);
    }

    /**
     * Tells whether a presented value is the token.
     *
     * @param candidate what the client sent, or null when it sent nothing
     * @return true only for an exact match
     */
    public boolean matches(String candidate) {
        byte[] presented = sha256(candidate == null ? "" : candidate);
        return MessageDigest.isEqual(digest, presented) && candidate != null;
    }

    @Override
    public String toString() {
        return "AccessToken[****]";
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}

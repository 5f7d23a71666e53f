package dev.aceproxy.internal;

/**
 * ASCII hexadecimal digits, strictly: unlike {@link Character#digit(char, int)}, digits from other
 * scripts are not digits here, as the engine's protocols and content ids expect.
 */
public final class AsciiHex {

    private AsciiHex() {
    }

    /**
     * Returns the value of one hexadecimal digit.
     *
     * @param c a character
     * @return 0 to 15, or -1 when {@code c} is not {@code 0-9}, {@code a-f} or {@code A-F}
     */
    public static int value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}

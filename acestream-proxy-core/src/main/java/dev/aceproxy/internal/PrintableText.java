package dev.aceproxy.internal;

/**
 * Makes untrusted text (a player's user agent, the engine's strings) safe to keep, log and show:
 * control characters, Unicode format characters (such as bidirectional overrides), line and
 * paragraph separators, lone surrogates and unassigned or private-use code points become spaces,
 * surrounding space is trimmed, and the text is cut to a maximum length, marked with
 * {@code "..."} when it was cut.
 */
public final class PrintableText {

    private PrintableText() {
    }

    /**
     * Cleans and caps a text.
     *
     * @param text the untrusted text
     * @param max the most characters kept before the {@code "..."} mark; at least 1
     * @return the cleaned text
     */
    public static String clean(String text, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1");
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 3);
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            if (out.length() + width > max) {
                break;
            }
            if (printable(cp)) {
                out.appendCodePoint(cp);
            } else {
                out.append(' ');
            }
            i += width;
        }
        String cleaned = out.toString().strip();
        return i < text.length() ? cleaned + "..." : cleaned;
    }

    private static boolean printable(int cp) {
        if (Character.isISOControl(cp)) {
            return false;
        }
        return switch (Character.getType(cp)) {
            case Character.FORMAT, Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}

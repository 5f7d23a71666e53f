package dev.aceproxy.server;

import java.util.Objects;

/**
 * A setting of the reference server (a flag or an environment variable) has a value that cannot
 * be used. The message names the setting, quotes the value and says what is expected; the server
 * prints it and exits with status {@code 2}.
 */
public final class InvalidSettingException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The flag or environment variable at fault. */
    private final String setting;
    /** The offending value, or null when the value is missing. */
    private final String value;

    /**
     * Creates the exception.
     *
     * @param setting the flag ({@code --linger}) or variable ({@code ACEXY_EMPTY_TIMEOUT}) at fault
     * @param value the value as given, or null when the value is missing
     * @param problem what is wrong with it, for a person
     */
    public InvalidSettingException(String setting, String value, String problem) {
        super(message(setting, value, problem));
        this.setting = Objects.requireNonNull(setting, "setting");
        this.value = value;
    }

    /**
     * Returns the flag or environment variable at fault.
     *
     * @return the setting's name
     */
    public String setting() {
        return setting;
    }

    /**
     * Returns the rejected value.
     *
     * @return the value as given, or null when it was missing
     */
    public String value() {
        return value;
    }

    private static String message(String setting, String value, String problem) {
        return value == null
                ? "invalid " + setting + ": " + problem
                : "invalid " + setting + " \"" + value + "\": " + problem;
    }
}

package dev.aceproxy.registry;

import dev.aceproxy.engine.ContentId;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A named stream with ordered alternate contents: the registry plays the first and, when the
 * recovery ladder reaches its last rung, moves to the next one (cycling back to the first after
 * the last).
 *
 * @param name the channel's name, which keys its session; not blank
 * @param alternates the contents in order of preference; at least one, no duplicates; copied
 */
public record Channel(String name, List<ContentId> alternates) {

    /**
     * Validates and copies.
     *
     * @throws NullPointerException if an argument or an alternate is null
     * @throws IllegalArgumentException if the name is blank, the list empty or has duplicates
     */
    public Channel {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("channel name must not be blank");
        }
        alternates = List.copyOf(alternates);
        if (alternates.isEmpty()) {
            throw new IllegalArgumentException("channel " + name + " needs at least one content");
        }
        if (new HashSet<>(alternates).size() != alternates.size()) {
            throw new IllegalArgumentException("channel " + name + " lists a content twice");
        }
    }

    /**
     * A channel from its name and contents.
     *
     * @param name the channel's name
     * @param alternates the contents in order of preference
     * @return the channel
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static Channel of(String name, ContentId... alternates) {
        return new Channel(name, List.of(alternates));
    }
}

package io.reliablemsg.spring;

import java.util.List;

/**
 * One or more {@code reliable-msg.*} properties cannot make a messenger configuration. The message
 * names the first bad property and the others are suppressed exceptions, as before; {@link #problems()}
 * lists every one (property and reason), which the starter's failure analyzer prints at start-up.
 */
public class InvalidReliableMsgPropertiesException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** One bad property: its full name ({@code reliable-msg.client-id}) and why, in the core's words. */
    public record Problem(String property, String reason) {
        /** {@code property: reason}. */
        public String describe() {
            return property + ": " + reason;
        }
    }

    private final List<Problem> problems;

    InvalidReliableMsgPropertiesException(List<Problem> problems) {
        super(problems.get(0).describe());
        this.problems = List.copyOf(problems);
        for (Problem further : this.problems.subList(1, this.problems.size())) {
            addSuppressed(new IllegalArgumentException(further.describe()));
        }
    }

    /** Every bad property, in the order the properties were applied; never empty. */
    public List<Problem> problems() {
        return problems;
    }
}

package io.reliablemsg.spring.diagnostics;

import io.reliablemsg.spring.InvalidReliableMsgPropertiesException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Prints bad {@code reliable-msg.*} properties found when the messenger is built (a missing
 * {@code client-id} above all) as Boot's "APPLICATION FAILED TO START" with a Description and an
 * Action, instead of a stack trace. (Bad values caught while binding are reported by Boot's own
 * binding analyzer in the same form.)
 */
public final class InvalidPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<InvalidReliableMsgPropertiesException> {
    static final String CLIENT_ID = "reliable-msg.client-id";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidReliableMsgPropertiesException cause) {
        StringBuilder description = new StringBuilder("The reliable-msg messenger could not be configured:\n");
        boolean clientId = false;
        for (InvalidReliableMsgPropertiesException.Problem problem : cause.problems()) {
            description.append("\n    Property: ").append(problem.property())
                    .append("\n    Reason: ").append(problem.reason()).append('\n');
            clientId |= problem.property().equals(CLIENT_ID);
        }
        StringBuilder action = new StringBuilder();
        if (clientId) {
            action.append("Set ").append(CLIENT_ID).append(" to this process's client id, a number unique among the "
                    + "processes that exchange messages (for example reliable-msg.client-id=1 in application.properties "
                    + "or RELIABLE_MSG_CLIENT_ID=1 in the environment), or define a ReliableMessenger bean of your own.");
        }
        if (!clientId || cause.problems().size() > 1) {
            action.append(action.isEmpty() ? "" : "\n").append("Correct the reliable-msg properties listed above; "
                    + "each one, with its default and allowed range, is described in the starter's configuration "
                    + "metadata (your IDE shows it) and in docs/SPRING.md.");
        }
        return new FailureAnalysis(description.toString(), action.toString(), cause);
    }
}

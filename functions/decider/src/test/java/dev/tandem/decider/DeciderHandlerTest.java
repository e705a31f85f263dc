package dev.tandem.decider;

import dev.tandem.aws.Sdk;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class DeciderHandlerTest {

    @Test
    void theSweepsMarginCoversOneRunsClaimAndItsQueueing() {
        long worst = DeciderHandler.worstDecision().toMillis();
        assertTrue(worst >= Sdk.DYNAMO_CALL_TIMEOUT.toMillis() * 3, "worst " + worst);
        assertTrue(DeciderHandler.MARGIN_MILLIS >= worst,
                "a run started just before the margin must finish, its claim and job included: margin "
                        + DeciderHandler.MARGIN_MILLIS + " < " + worst);
    }
}

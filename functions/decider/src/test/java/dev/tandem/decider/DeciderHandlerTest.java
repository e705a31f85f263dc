package dev.tandem.decider;

import dev.tandem.aws.Sdk;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class DeciderHandlerTest {

    @Test
    void theSweepsMarginCoversASendItsRetriesAndItsRecord() {
        long worst = DeciderHandler.worstSend().toMillis();
        assertTrue(worst >= Sdk.PROVIDER_CALL_TIMEOUT.toMillis() + Sdk.DYNAMO_CALL_TIMEOUT.toMillis(), "worst " + worst);
        assertTrue(DeciderHandler.MARGIN_MILLIS >= worst,
                "a send started just before the margin must finish, record included: margin " + DeciderHandler.MARGIN_MILLIS + " < " + worst);
    }
}

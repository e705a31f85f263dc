package dev.tandem.local;

import dev.tandem.api.ApiHandler;
import dev.tandem.decider.DeciderHandler;
import dev.tandem.email.EmailEventsHandler;
import dev.tandem.sms.SmsEventsHandler;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SnapStart priming runs each function's request path and leaves no trace: nothing written, nothing sent. */
class PrimingIT {

    @Test
    void primingWritesNothingAndSendsNothing() {
        String table = Emulator.freshTable("priming-it");
        LocalFunctions functions = new LocalFunctions(Emulator.template(), Clock.systemUTC(), Map.of("TABLE_NAME", table));
        long emails = RequestCounter.INSTANCE.calls("SesV2.SendEmail");
        long sms = RequestCounter.INSTANCE.calls("Sns.Publish");
        long reads = RequestCounter.INSTANCE.calls("DynamoDb.GetItem") + RequestCounter.INSTANCE.calls("DynamoDb.Query");

        ((ApiHandler) functions.handler("ApiFunction")).prime();
        ((EmailEventsHandler) functions.handler("EmailEventsFunction")).prime();
        ((SmsEventsHandler) functions.handler("SmsEventsFunction")).prime();
        ((DeciderHandler) functions.handler("DeciderFunction")).prime();
        long queued = RequestCounter.INSTANCE.calls("Sqs.SendMessageBatch");
        ((dev.tandem.sender.SenderHandler) functions.handler("SenderFunction")).prime();

        assertEquals(List.of(), Emulator.dynamo().scan(r -> r.tableName(table)).items(), "nothing written");
        assertEquals(emails, RequestCounter.INSTANCE.calls("SesV2.SendEmail"), "no email sent");
        assertEquals(sms, RequestCounter.INSTANCE.calls("Sns.Publish"), "no SMS sent");
        assertTrue(RequestCounter.INSTANCE.calls("DynamoDb.GetItem") + RequestCounter.INSTANCE.calls("DynamoDb.Query") > reads,
                "the clients' request paths ran");
        assertTrue(RequestCounter.INSTANCE.calls("SesV2.GetAccount") > 0, "the SES client's request path ran");
        assertTrue(RequestCounter.INSTANCE.calls("Sqs.GetQueueAttributes") > 0, "the decider's queue client's request path ran");
        assertEquals(queued, RequestCounter.INSTANCE.calls("Sqs.SendMessageBatch"), "nothing queued");
    }
}

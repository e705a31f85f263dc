package dev.tandem.eventsout;

import dev.tandem.aws.Json;
import dev.tandem.aws.Sdk;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code TandemBus} through PutEvents: source {@code tandem}, detail-type the record's type, the record as detail. */
final class EventBridgeBus implements EventRecordsHandler.Bus {
    static final String SOURCE = "tandem";

    private final String name;
    private final EventBridgeClient client;

    EventBridgeBus(String name) {
        this.name = name;
        this.client = EventBridgeClient.builder().httpClient(Sdk.http()).build();
    }

    @Override
    public List<Boolean> put(List<Map<String, Object>> records) {
        List<PutEventsRequestEntry> entries = new ArrayList<>();
        for (Map<String, Object> r : records) {
            entries.add(PutEventsRequestEntry.builder().eventBusName(name).source(SOURCE)
                    .detailType(String.valueOf(r.get("type"))).detail(Json.write(r)).build());
        }
        PutEventsResponse answer = client.putEvents(p -> p.entries(entries));
        List<Boolean> taken = new ArrayList<>();
        for (PutEventsResultEntry e : answer.entries()) {
            taken.add(e.errorCode() == null && e.eventId() != null);
        }
        return taken;
    }
}

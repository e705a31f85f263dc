package dev.tandem.api;

import dev.tandem.aws.Json;
import dev.tandem.aws.Sdk;
import dev.tandem.decide.Launch;
import dev.tandem.port.Schedules;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A launch's one-time EventBridge Scheduler schedule: {@code at()} in the launch's zone (the campaign's, or
 * the earliest zone on Earth when each contact's own zone counts), invoking the decider through its alias,
 * deleted once it has run ({@code ActionAfterCompletion: DELETE}). A recurring campaign's schedule recurs until the
 * campaign's {@code until} and then deletes itself; without {@code until} it lasts until the campaign stops recurring
 * ({@link #cancel}).
 */
public final class EventBridgeSchedules implements Schedules {
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static volatile SchedulerClient shared;

    private final SchedulerClient scheduler;
    private final String group;
    private final String deciderArn;
    private final String roleArn;

    public EventBridgeSchedules(SchedulerClient scheduler, String group, String deciderArn, String roleArn) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.group = Objects.requireNonNull(group, "group");
        this.deciderArn = Objects.requireNonNull(deciderArn, "deciderArn");
        this.roleArn = Objects.requireNonNull(roleArn, "roleArn");
    }

    public static synchronized SchedulerClient client() {
        if (shared == null) {
            shared = SchedulerClient.builder().httpClient(Sdk.http()).overrideConfiguration(Sdk.overrides()).build();
        }
        return shared;
    }

    @Override
    public String launchAt(Launch launch) {
        String name = name(launch);
        String zone;
        LocalDateTime local;
        if (launch.localAt() == null) {
            zone = "UTC";
            local = LocalDateTime.ofInstant(launch.at(), ZoneOffset.UTC);
        } else if (launch.perContactZone()) {
            // Each contact's local time: the decider starts at the first zone where it comes and enrols each
            // contact at its own hour.
            zone = "Pacific/Kiritimati";
            local = launch.localAt();
        } else {
            zone = launch.zone();
            local = launch.localAt();
        }
        String input = Json.write(Map.of("launch", Map.of("campaign", launch.campaign(), "launchId", launch.launchId())));
        try {
            scheduler.createSchedule(r -> r.name(name)
                    .groupName(group)
                    .scheduleExpression("at(" + AT.format(local) + ")")
                    .scheduleExpressionTimezone(zone)
                    .flexibleTimeWindow(f -> f.mode(FlexibleTimeWindowMode.OFF))
                    .actionAfterCompletion(ActionAfterCompletion.DELETE)
                    .target(t -> t.arn(deciderArn).roleArn(roleArn).input(input)
                            .retryPolicy(p -> p.maximumRetryAttempts(10).maximumEventAgeInSeconds(3600)))
                    .description("Tandem launch " + launch.launchId() + " of campaign " + launch.campaign()));
        } catch (ConflictException e) {
            // the same launch was scheduled by an earlier copy of this request
        }
        return name;
    }

    /**
     * A recurring campaign's schedule: a cron expression at the local time in the recurrence's zone for an hourly, daily
     * or weekly rhythm, a rate otherwise; from the first occurrence to {@code until}. Each run wakes the decider on the
     * recurrence, which starts the occurrence that is due (and nothing when none is: a run that comes twice is one).
     */
    @Override
    public String recurring(Launch recurrence, dev.tandem.campaign.Recurrence r) {
        String name = name(recurrence);
        String zone = r.scheduleZone().getId().equals("Z") ? "UTC" : r.scheduleZone().getId();
        String input = Json.write(Map.of("launch", Map.of("campaign", recurrence.campaign(), "launchId", recurrence.launchId())));
        java.time.Instant start = recurrence.at();
        try {
            scheduler.createSchedule(q -> {
                q.name(name)
                        .groupName(group)
                        .scheduleExpression(expression(r, recurrence))
                        .scheduleExpressionTimezone(zone)
                        .startDate(start.isAfter(java.time.Instant.now()) ? start : null)
                        .flexibleTimeWindow(f -> f.mode(FlexibleTimeWindowMode.OFF))
                        .target(t -> t.arn(deciderArn).roleArn(roleArn).input(input)
                                .retryPolicy(p -> p.maximumRetryAttempts(10).maximumEventAgeInSeconds(3600)))
                        .description("Tandem recurring campaign " + recurrence.campaign() + " (" + recurrence.launchId() + ")");
                if (r.until() != null) {
                    q.endDate(r.until()).actionAfterCompletion(ActionAfterCompletion.DELETE);
                }
            });
        } catch (ConflictException e) {
            // the same recurrence was scheduled by an earlier copy of this request
        }
        return name;
    }

    @Override
    public void cancel(Launch recurrence) {
        try {
            scheduler.deleteSchedule(d -> d.groupName(group).name(name(recurrence)));
        } catch (software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException e) {
            // gone already: it ended, or an earlier copy of this request deleted it
        }
    }

    static String expression(dev.tandem.campaign.Recurrence r, Launch recurrence) {
        long minutes = r.every().toMinutes();
        if (r.at() != null && recurrence.localAt() != null) {
            int m = r.at().getMinute();
            int h = r.at().getHour();
            if (minutes == 60) {
                return "cron(" + m + " * * * ? *)";
            }
            if (minutes == 24 * 60) {
                return "cron(" + m + " " + h + " * * ? *)";
            }
            if (minutes == 7 * 24 * 60) {
                String day = recurrence.localAt().getDayOfWeek().name().substring(0, 3);
                return "cron(" + m + " " + h + " ? * " + day + " *)";
            }
        }
        if (minutes % (24 * 60) == 0) {
            long d = minutes / (24 * 60);
            return "rate(" + d + (d == 1 ? " day)" : " days)");
        }
        if (minutes % 60 == 0) {
            long h = minutes / 60;
            return "rate(" + h + (h == 1 ? " hour)" : " hours)");
        }
        return "rate(" + minutes + " minutes)";
    }

    /** Schedule names hold at most 64 of [0-9a-zA-Z-_.]; a long id keeps its start and a hash of the whole. */
    static String name(Launch launch) {
        String full = "tandem-" + launch.campaign() + "-" + launch.launchId();
        String safe = full.replaceAll("[^0-9A-Za-z_.-]", "-");
        if (safe.length() <= 64) {
            return safe;
        }
        String hash = UUID.nameUUIDFromBytes(full.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
        return safe.substring(0, 55) + "-" + hash;
    }
}
